/** The Assessments tab: a new assessment, the incident's runs with parameters and totals, one run's detail. */
import { Button, Card, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useCan } from '../../app/session.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime, formatMoney } from '../../ui/time.js';
import { AssessmentForm } from './assessment-form.js';
import type { Method } from './assessment-params.js';
import { type Run, useRuns } from './compensation-api.js';
import { RunParameters, RunStateBadge } from './compensation-parts.js';
import { RunDetail } from './run-detail.js';

export function AssessmentsTab({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const canAssess = useCan('compensation.assess');
  const runs = useRuns(incidentKey);
  const [params, setParams] = useSearchParams();
  const selected = params.get('run');
  const select = (id: string) =>
    setParams(
      (p) => {
        p.set('run', id);
        return p;
      },
      { replace: true },
    );
  return (
    <Stack gap="md">
      {canAssess && <AssessmentForm incidentKey={incidentKey} onRun={select} />}
      <Card withBorder radius="md">
        <Stack gap="sm">
          <Title order={4}>{t('comp.runs.title')}</Title>
          <QueryView query={runs} keepOnError>
            {(items) =>
              items.length === 0 ? (
                <EmptyState compact testId="runs-empty">
                  {t('comp.runs.empty')}
                </EmptyState>
              ) : (
                <RunTable runs={items} selected={selected} onSelect={select} />
              )
            }
          </QueryView>
        </Stack>
      </Card>
      {selected && <RunDetail incidentKey={incidentKey} runId={selected} />}
    </Stack>
  );
}

function RunTable({
  runs,
  selected,
  onSelect,
}: {
  runs: Run[];
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('comp.runs.method')}</Table.Th>
            <Table.Th>{t('comp.runs.parameters')}</Table.Th>
            <Table.Th ta="right">{t('comp.runs.customers')}</Table.Th>
            <Table.Th ta="right">{t('comp.runs.total')}</Table.Th>
            <Table.Th>{t('comp.runs.state')}</Table.Th>
            <Table.Th>{t('comp.runs.by')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.map((r) => (
            <Table.Tr
              key={r.id}
              data-testid="run-row"
              data-state={r.state}
              bg={r.id === selected ? 'var(--mantine-color-blue-light)' : undefined}
            >
              <Table.Td>{t(`comp.method.${r.method as Method}`)}</Table.Td>
              <Table.Td>
                <RunParameters run={r} compact />
              </Table.Td>
              <Table.Td ta="right">{r.customers.toLocaleString(i18n.language)}</Table.Td>
              <Table.Td ta="right" ff="monospace" data-testid="run-total">
                {formatMoney(r.compensationMinor, r.currency, i18n.language)}
              </Table.Td>
              <Table.Td>
                <RunStateBadge run={r} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{r.createdBy?.name ?? '—'}</Text>
                <Text size="xs" c="dimmed">
                  {formatDateTime(r.createdAt, i18n.language)}
                </Text>
              </Table.Td>
              <Table.Td>
                <Button size="compact-xs" variant="light" onClick={() => onSelect(r.id)} data-testid="run-open">
                  {t('comp.runs.open')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
