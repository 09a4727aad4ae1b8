/** Adding or changing a register entry (claim, source, verdict, rebuttal, evidence link, published): each save is a version. */
import { useState } from 'react';
import { Button, Group, Modal, Select, SimpleGrid, Stack, Switch, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { FactVerdict } from '../../../shared/status-site.js';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { type FactEntry, useSaveFact } from './media-api.js';
import { VERDICTS } from './media-parts.js';

interface Draft {
  claim: { zh: string; en: string };
  source: string | null;
  verdict: FactVerdict;
  rebuttal: { zh: string; en: string };
  evidenceUrl: string | null;
  published: boolean;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function FactForm({
  incidentKey,
  entry,
  onClose,
}: {
  incidentKey: string | null;
  entry: FactEntry | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const save = useSaveFact(incidentKey);
  const [claimZh, setClaimZh] = useState(entry?.claim.zh ?? '');
  const [claimEn, setClaimEn] = useState(entry?.claim.en ?? '');
  const [source, setSource] = useState(entry?.source ?? '');
  const [verdict, setVerdict] = useState<FactVerdict>(entry?.verdict ?? 'unverified');
  const [rebuttalZh, setRebuttalZh] = useState(entry?.rebuttal.zh ?? '');
  const [rebuttalEn, setRebuttalEn] = useState(entry?.rebuttal.en ?? '');
  const [evidence, setEvidence] = useState(entry?.evidenceUrl ?? '');
  const [published, setPublished] = useState(entry?.published ?? false);

  const submit = () => {
    const draft: Draft = {
      claim: { zh: claimZh.trim(), en: claimEn.trim() },
      source: source.trim() || null,
      verdict,
      rebuttal: { zh: rebuttalZh, en: rebuttalEn },
      evidenceUrl: evidence.trim() || null,
      published,
    };
    if (!entry) {
      save.mutate({ id: null, body: draft }, { onSuccess: onClose });
      return;
    }
    // Only what changed: the version records the change as it was meant.
    const patch = Object.fromEntries(
      (Object.keys(draft) as (keyof Draft)[]).filter((k) => !same(draft[k], entry[k])).map((k) => [k, draft[k]]),
    );
    if (Object.keys(patch).length === 0) onClose();
    else save.mutate({ id: entry.id, body: patch }, { onSuccess: onClose });
  };

  return (
    <Modal opened onClose={onClose} size="lg" title={entry ? t('rumors.edit') : t('rumors.add')}>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('rumors.claimZh')}
            value={claimZh}
            onChange={(e) => setClaimZh(e.currentTarget.value)}
            error={fieldError(save.error, 'claim.zh')}
            data-testid="fact-claim-zh"
          />
          <TextInput
            label={t('rumors.claimEn')}
            value={claimEn}
            onChange={(e) => setClaimEn(e.currentTarget.value)}
            data-testid="fact-claim-en"
          />
          <TextInput
            label={t('rumors.source')}
            description={t('rumors.sourceHint')}
            value={source}
            onChange={(e) => setSource(e.currentTarget.value)}
            data-testid="fact-source"
          />
          <Select
            label={t('rumors.verdict')}
            data={VERDICTS.map((v) => ({ value: v, label: t(`rumors.verdicts.${v}`) }))}
            value={verdict}
            onChange={(v) => v && setVerdict(v as FactVerdict)}
            allowDeselect={false}
            comboboxProps={{ withinPortal: false }}
            data-testid="fact-verdict"
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Textarea
            label={t('rumors.rebuttalZh')}
            description={t('rumors.markdown')}
            autosize
            minRows={3}
            value={rebuttalZh}
            onChange={(e) => setRebuttalZh(e.currentTarget.value)}
            data-testid="fact-rebuttal-zh"
          />
          <Textarea
            label={t('rumors.rebuttalEn')}
            description={t('rumors.markdown')}
            autosize
            minRows={3}
            value={rebuttalEn}
            onChange={(e) => setRebuttalEn(e.currentTarget.value)}
            data-testid="fact-rebuttal-en"
          />
        </SimpleGrid>
        <TextInput
          label={t('rumors.evidence')}
          placeholder="https://"
          value={evidence}
          onChange={(e) => setEvidence(e.currentTarget.value)}
          error={fieldError(save.error, 'evidenceUrl')}
          data-testid="fact-evidence"
        />
        <Switch
          label={t('rumors.publish')}
          description={incidentKey ? t('rumors.publishHintIncident') : t('rumors.publishHintSite')}
          checked={published}
          onChange={(e) => setPublished(e.currentTarget.checked)}
          data-testid="fact-published"
        />
        <ProblemAlert error={save.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button disabled={!claimZh.trim()} loading={save.isPending} onClick={submit} data-testid="fact-save">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
