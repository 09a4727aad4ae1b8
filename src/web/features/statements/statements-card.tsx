/** The war room's "Statements" card: the incident's statements with their state, and drafting one from a template. */
import { Anchor, Button, Card, Group, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useCan } from '../../app/session.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { FlagBadge, ReviewCount, StatementStateBadge } from './statement-parts.js';
import {
  KINDS,
  SCENARIOS,
  type StatementKind,
  type StatementScenario,
  statementPath,
  statementTitle,
  useDraftStatement,
  useIncidentStatements,
} from './statements-api.js';

function DraftStatement({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [kind, setKind] = useState<StatementKind>('holding_statement');
  const [scenario, setScenario] = useState<StatementScenario | null>(null);
  const draft = useDraftStatement(incidentKey);
  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="wrap" align="flex-end">
        <Select
          size="xs"
          style={{ flex: '1 1 140px' }}
          data={KINDS.map((k) => ({ value: k, label: t(`statements.kind.${k}`) }))}
          value={kind}
          onChange={(v) => v && setKind(v as StatementKind)}
          allowDeselect={false}
          aria-label={t('statements.col.kind')}
          data-testid="statement-draft-kind"
        />
        <Select
          size="xs"
          style={{ flex: '1 1 140px' }}
          data={SCENARIOS.map((s) => ({ value: s, label: t(`statements.scenario.${s}`) }))}
          value={scenario}
          onChange={(v) => setScenario(v as StatementScenario | null)}
          clearable
          placeholder={t('statements.card.scenarioGuess')}
          aria-label={t('statements.card.scenario')}
          data-testid="statement-draft-scenario"
        />
        <Button
          size="xs"
          loading={draft.isPending}
          onClick={() =>
            draft.mutate(scenario ? { kind, scenario } : { kind }, {
              onSuccess: (st) => navigate(statementPath(st.id)),
            })
          }
          data-testid="statement-draft"
        >
          {t('statements.card.draft')}
        </Button>
      </Group>
      <ProblemAlert error={draft.error} />
    </Stack>
  );
}

export function StatementsCard({ incidentKey }: { incidentKey: string }) {
  const { t, i18n } = useTranslation();
  const canRead = useCan('statement.read');
  const canDraft = useCan('statement.draft');
  const query = useIncidentStatements(incidentKey);
  if (!canRead) return null;
  return (
    <Card withBorder radius="md" data-testid="statements-card">
      <Stack gap="sm">
        <Title order={4}>{t('statements.card.title')}</Title>
        <QueryView query={query} compact>
          {(data) =>
            data.items.length === 0 ? (
              <EmptyState compact>{t('statements.card.empty')}</EmptyState>
            ) : (
              <Stack gap="xs">
                {data.items.map((s) => (
                  <Stack key={s.id} gap={2} data-testid="statement-item" data-id={s.id} data-state={s.state}>
                    <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
                      <Anchor component={Link} to={statementPath(s.id)} size="sm" fw={600} className="tocsin-break">
                        {statementTitle(s.version, i18n.language)}
                      </Anchor>
                      <StatementStateBadge state={s.state} />
                    </Group>
                    <Group gap="xs" wrap="wrap">
                      <Text size="xs" c="dimmed">
                        {t(`statements.kind.${s.kind}`)}
                      </Text>
                      {s.state === 'in_review' && <ReviewCount s={s} />}
                      <FlagBadge s={s} />
                    </Group>
                  </Stack>
                ))}
              </Stack>
            )
          }
        </QueryView>
        {canDraft && <DraftStatement incidentKey={incidentKey} />}
      </Stack>
    </Card>
  );
}
