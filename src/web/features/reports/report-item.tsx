/** One regulator report in the incident's card: its missing facts, the sections to edit, the approval path, filing, versions, downloads. */
import { Alert, Anchor, Badge, Button, FileInput, Group, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { formatDateTime } from '../../ui/time.js';
import {
  exportUrl,
  receiptUrl,
  type Report,
  type ReportFields,
  type ReportMutations,
  STATE_COLOR,
  useReportVersions,
} from './reports-api.js';

const loc = (x: { 'zh-CN': string; en: string }, language: string) => (language.startsWith('zh') ? x['zh-CN'] : x.en);

function Sections({ r, m }: { r: Report; m: ReportMutations }) {
  const { t, i18n } = useTranslation();
  const canDraft = useCan('report.draft');
  const editable = r.state === 'draft' && canDraft;
  const [fields, setFields] = useState<ReportFields>(() => Object.fromEntries(r.sections.map((s) => [s.id, s.text])));
  const set = (id: string, lang: 'zh' | 'en', value: string) =>
    setFields((f) => ({ ...f, [id]: { ...f[id]!, [lang]: value } }));
  return (
    <Stack gap="xs">
      {r.sections.map((s) => (
        <Stack key={s.id} gap={2} data-testid="report-section" data-id={s.id}>
          <Text size="sm" fw={600}>
            {loc(s.heading, i18n.language)}
          </Text>
          <Group grow align="flex-start" gap="xs">
            {(['zh', 'en'] as const).map((lang) => (
              <Textarea
                key={lang}
                size="xs"
                autosize
                minRows={1}
                readOnly={!editable}
                aria-label={`${loc(s.heading, i18n.language)} (${lang})`}
                value={fields[s.id]?.[lang] ?? ''}
                onChange={(e) => set(s.id, lang, e.currentTarget.value)}
              />
            ))}
          </Group>
        </Stack>
      ))}
      {editable && (
        <Group>
          <Button
            size="xs"
            loading={m.save.isPending}
            onClick={() => m.save.mutate({ id: r.id, fields })}
            data-testid="report-save"
          >
            {t('reports.save')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function Workflow({ r, m }: { r: Report; m: ReportMutations }) {
  const { t } = useTranslation();
  const canDraft = useCan('report.draft');
  const canApprove = useCan('report.approve');
  const canSubmit = useCan('report.submit');
  const [reason, setReason] = useState('');
  const [channel, setChannel] = useState('');
  const [reference, setReference] = useState('');
  const [file, setFile] = useState<File | null>(null);
  return (
    <Stack gap="xs">
      <Group gap="xs">
        {r.state === 'draft' && canDraft && (
          <Button
            size="xs"
            variant="light"
            onClick={() => m.step.mutate({ id: r.id, step: 'review' })}
            data-testid="report-review"
          >
            {t('reports.sendForReview')}
          </Button>
        )}
        {r.state === 'in_review' && canApprove && (
          <Button
            size="xs"
            color="green"
            onClick={() => m.step.mutate({ id: r.id, step: 'approve' })}
            data-testid="report-approve"
          >
            {t('reports.approve')}
          </Button>
        )}
      </Group>
      {(r.state === 'in_review' || r.state === 'approved') && canApprove && (
        <Group gap="xs" align="flex-end">
          <TextInput
            size="xs"
            style={{ flex: 1 }}
            label={t('reports.rejectReason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          <Button
            size="xs"
            color="red"
            variant="light"
            disabled={!reason.trim()}
            onClick={() => m.reject.mutate({ id: r.id, reason })}
            data-testid="report-reject"
          >
            {t('reports.reject')}
          </Button>
        </Group>
      )}
      {r.state === 'approved' && canSubmit && (
        <Group gap="xs" align="flex-end" wrap="wrap">
          <TextInput
            size="xs"
            label={t('reports.channel')}
            value={channel}
            onChange={(e) => setChannel(e.currentTarget.value)}
          />
          <TextInput
            size="xs"
            label={t('reports.reference')}
            value={reference}
            onChange={(e) => setReference(e.currentTarget.value)}
          />
          <FileInput size="xs" label={t('reports.receipt')} value={file} onChange={setFile} style={{ minWidth: 160 }} />
          <Button
            size="xs"
            disabled={!channel.trim() || !reference.trim() || !file}
            onClick={() => file && m.submitted.mutate({ id: r.id, channel, reference, file })}
            data-testid="report-mark-submitted"
          >
            {t('reports.markSubmitted')}
          </Button>
        </Group>
      )}
      <ProblemAlert error={m.step.error ?? m.reject.error ?? m.submitted.error ?? m.save.error} />
    </Stack>
  );
}

function Versions({ r, incidentKey }: { r: Report; incidentKey: string }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const q = useReportVersions(incidentKey, r.id, open);
  return (
    <Stack gap={2}>
      <Anchor component="button" size="xs" onClick={() => setOpen((o) => !o)}>
        {t('reports.versions', { count: r.version })}
      </Anchor>
      {open &&
        q.data?.items.map((v) => (
          <Text key={v.n} size="xs" c="dimmed">
            v{v.n} · {v.author.name} · {formatDateTime(v.createdAt, i18n.language)}
          </Text>
        ))}
    </Stack>
  );
}

export function ReportItem({ r, m, incidentKey }: { r: Report; m: ReportMutations; incidentKey: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language.startsWith('zh') ? 'zh' : 'en';
  return (
    <Stack gap="xs" data-testid="report-item" data-id={r.id} data-state={r.state}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={0}>
          <Text fw={600} size="sm" className="tocsin-break">
            {loc(r.title, i18n.language)}
          </Text>
          <Text size="xs" c="dimmed">
            {loc(r.regulator, i18n.language)} · {t(`reports.stage.${r.stage}`)} · v{r.version}
          </Text>
        </Stack>
        <Badge color={STATE_COLOR[r.state]} variant="light">
          {t(`reports.state.${r.state}`)}
        </Badge>
      </Group>
      {r.rejectReason && r.state === 'draft' && (
        <Alert color="orange" p="xs">
          {t('reports.rejected', { reason: r.rejectReason })}
        </Alert>
      )}
      {r.missing.length > 0 && (
        <Alert
          color="yellow"
          p="xs"
          title={t('reports.missingTitle', { count: r.missing.length })}
          data-testid="report-missing"
        >
          <Text size="xs">{r.missing.map((x) => loc(x.label, i18n.language)).join(t('common.listSeparator'))}</Text>
        </Alert>
      )}
      {r.submission && (
        <Alert color="green" p="xs" data-testid="report-submission">
          <Text size="xs">
            {t('reports.submittedLine', {
              at: formatDateTime(r.submission.submittedAt, i18n.language),
              channel: r.submission.channel,
              reference: r.submission.reference,
            })}
          </Text>
          <Text size="xs" ff="monospace">
            <Anchor href={receiptUrl(r.id)} size="xs">
              {r.submission.receipt.name}
            </Anchor>{' '}
            SHA-256 {r.submission.receipt.sha256}
          </Text>
        </Alert>
      )}
      <Sections key={`${r.id}:${r.version}`} r={r} m={m} />
      <Workflow r={r} m={m} />
      <Group gap="sm">
        <Text size="xs">{t('reports.download')}</Text>
        {r.exports.map((f) => (
          <Anchor key={f} size="xs" href={exportUrl(r.id, f, lang)} data-testid={`report-export-${f}`}>
            {f.toUpperCase()}
          </Anchor>
        ))}
      </Group>
      <Versions r={r} incidentKey={incidentKey} />
    </Stack>
  );
}
