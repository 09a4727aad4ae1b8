/**
 * The war room's "ATT&CK" card: the incident's techniques as a matrix (the enterprise tactics that have
 * techniques as columns, in the matrix's order), each marked by where it came from (rules: orange, an analyst: blue,
 * both: red) with the rules, alerts and note on hover; a picker searching the catalogue to add one with a
 * note, removal with a note, and the ATT&CK Navigator layer to download.
 */
import { useState } from 'react';
import {
  Anchor,
  Badge,
  Button,
  Card,
  CloseButton,
  Group,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import {
  type IncidentAttack,
  navigatorUrl,
  useAddTechnique,
  useIncidentAttack,
  useRemoveTechnique,
  useTechniqueSearch,
} from './investigation-api.js';

type Technique = IncidentAttack['techniques'][number];

const colorOf = (t: Technique) =>
  t.source.rules.length && t.source.analyst ? 'red' : t.source.rules.length ? 'orange' : 'blue';

export function AttackCard({ incidentKey }: { incidentKey: string }) {
  const canRead = useCan('investigation.read');
  if (!canRead) return null;
  return <AttackMatrix incidentKey={incidentKey} />;
}

function AttackMatrix({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const query = useIncidentAttack(incidentKey);
  const canManage = useCan('investigation.manage');
  return (
    <Card withBorder radius="md" data-testid="attack-card">
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Title order={4}>{t('investigation.attack.title')}</Title>
          <Anchor href={navigatorUrl(incidentKey)} download={`${incidentKey}-attack-layer.json`} size="sm">
            {t('investigation.attack.navigator')}
          </Anchor>
        </Group>
        <QueryView query={query} compact keepOnError>
          {(a) => (
            <Stack gap="sm">
              {a.techniques.length === 0 ? (
                <EmptyState compact>{t('investigation.attack.empty')}</EmptyState>
              ) : (
                <Matrix attack={a} incidentKey={incidentKey} canManage={canManage} />
              )}
              {a.removed.length > 0 && (
                <Text size="xs" c="dimmed" data-testid="attack-removed">
                  {t('investigation.attack.removed')}{' '}
                  {a.removed.map((r) => `${r.id} ${r.name}${r.note ? ` (${r.note})` : ''}`).join('; ')}
                </Text>
              )}
            </Stack>
          )}
        </QueryView>
        {canManage && <AddTechnique incidentKey={incidentKey} />}
      </Stack>
    </Card>
  );
}

function Matrix({
  attack,
  incidentKey,
  canManage,
}: {
  attack: IncidentAttack;
  incidentKey: string;
  canManage: boolean;
}) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const remove = useRemoveTechnique(incidentKey);
  return (
    <Stack gap="xs">
      <Group gap="md" align="flex-start" wrap="wrap">
        {attack.tactics.map((tactic) => {
          const inTactic = attack.techniques.filter((x) => x.tactics.includes(tactic.shortname));
          if (!inTactic.length) return null;
          return (
            <Stack key={tactic.id} gap={4} maw={260} data-testid="attack-tactic" data-tactic={tactic.shortname}>
              <Text size="xs" fw={700}>
                {zh ? tactic.nameZh : tactic.name}
              </Text>
              {inTactic.map((x) => (
                <Group key={x.id} gap={2} wrap="nowrap" data-testid="attack-technique" data-technique={x.id}>
                  <Tooltip label={<SourceText t={x} />} multiline w={280} withinPortal>
                    <Badge color={colorOf(x)} variant="light" size="sm" maw={230} style={{ textTransform: 'none' }}>
                      {x.id} {x.name}
                    </Badge>
                  </Tooltip>
                  {canManage && (
                    <CloseButton
                      size="xs"
                      aria-label={t('investigation.attack.remove', { id: x.id })}
                      onClick={() => remove.mutate({ techniqueId: x.id })}
                    />
                  )}
                </Group>
              ))}
            </Stack>
          );
        })}
      </Group>
      <Group gap="xs">
        <Badge color="orange" variant="light" size="xs">
          {t('investigation.attack.fromRules')}
        </Badge>
        <Badge color="blue" variant="light" size="xs">
          {t('investigation.attack.fromAnalyst')}
        </Badge>
        <Badge color="red" variant="light" size="xs">
          {t('investigation.attack.fromBoth')}
        </Badge>
      </Group>
      <ProblemAlert error={remove.error} />
    </Stack>
  );
}

function SourceText({ t: x }: { t: Technique }) {
  const { t } = useTranslation();
  return (
    <Stack gap={2}>
      {x.source.rules.map((r) => (
        <Text key={r.ruleId} size="xs">
          {t('investigation.attack.rule', { title: r.ruleTitle, count: r.alertIds.length })}
        </Text>
      ))}
      {x.source.analyst && (
        <Text size="xs">
          {t('investigation.attack.analyst', { name: x.source.analyst.by?.name ?? '' })}
          {x.source.analyst.note ? `: ${x.source.analyst.note}` : ''}
        </Text>
      )}
    </Stack>
  );
}

function AddTechnique({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [picked, setPicked] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const search = useTechniqueSearch(q);
  const add = useAddTechnique(incidentKey);
  const options = (search.data?.items ?? []).map((x) => ({ value: x.id, label: `${x.id} ${x.name}` }));
  return (
    <Stack gap="xs">
      <Group gap="xs" align="flex-end" wrap="wrap">
        <Select
          label={t('investigation.attack.pick')}
          placeholder={t('investigation.attack.pickHint')}
          searchable
          clearable
          data={options}
          value={picked}
          onChange={setPicked}
          searchValue={q}
          onSearchChange={setQ}
          filter={({ options: o }) => o}
          nothingFoundMessage={q ? t('investigation.attack.nothing') : undefined}
          w={280}
          data-testid="attack-pick"
        />
        <TextInput
          label={t('investigation.attack.note')}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          maxLength={2000}
          w={240}
        />
        <Button
          size="sm"
          disabled={!picked}
          loading={add.isPending}
          onClick={() =>
            picked &&
            add.mutate(
              { techniqueId: picked, ...(note.trim() ? { note: note.trim() } : {}) },
              {
                onSuccess: () => {
                  setPicked(null);
                  setQ('');
                  setNote('');
                },
              },
            )
          }
        >
          {t('investigation.attack.add')}
        </Button>
      </Group>
      <ProblemAlert error={add.error} />
    </Stack>
  );
}
