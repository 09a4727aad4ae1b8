/** One assessment run: its parameters and totals, review / propose / offer, the distribution, outliers and results. */
import { Alert, Button, Card, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan, useSession } from '../../app/session.js';
import { LoadMore } from '../../ui/misc.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime, formatMoney } from '../../ui/time.js';
import type { Method } from './assessment-params.js';
import { ResultTable, RunParameters, RunStateBadge } from './compensation-parts.js';
import { type Run, useRunResults, useRunStep, useRuns } from './compensation-api.js';

/** The chart library loads only when a run is opened. */
const DistributionChart = lazy(() => import('./distribution-chart.js').then((m) => ({ default: m.DistributionChart })));

export function RunDetail({ incidentKey, runId }: { incidentKey: string; runId: string }) {
  const runs = useRuns(incidentKey);
  const run = runs.data?.find((r) => r.id === runId);
  if (!run) return null;
  return <RunCard incidentKey={incidentKey} run={run} />;
}

function RunCard({ incidentKey, run }: { incidentKey: string; run: Run }) {
  const { t, i18n } = useTranslation();
  const me = useSession().user.id;
  const canApprove = useCan('compensation.approve');
  const canManage = useCan('compensation.manage');
  const step = useRunStep(incidentKey, run.id);
  const money = (m: number) => formatMoney(m, run.currency, i18n.language);
  const done = step.data && step.variables ? stepMessage(step.variables, step.data) : null;
  return (
    <Card
      withBorder
      radius="md"
      data-testid="run-detail"
      data-state={run.state}
      data-proposed={run.proposedAt ? 'yes' : 'no'}
    >
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <Stack gap={4}>
            <Group gap="xs">
              <Title order={4}>{t(`comp.method.${run.method as Method}`)}</Title>
              <RunStateBadge run={run} />
            </Group>
            <Text size="sm" c="dimmed">
              {t('comp.run.ranBy', {
                name: run.createdBy?.name ?? '—',
                at: formatDateTime(run.createdAt, i18n.language),
              })}
              {run.reviewedBy &&
                ` · ${t('comp.run.reviewedBy', { name: run.reviewedBy.name ?? '—', at: formatDateTime(run.reviewedAt, i18n.language) })}`}
            </Text>
          </Stack>
          <Group gap="xs">
            {canApprove && run.state === 'computed' && (
              <Button
                size="xs"
                onClick={() => step.mutate('review')}
                loading={step.isPending && step.variables === 'review'}
                disabled={run.createdBy?.id === me}
                title={run.createdBy?.id === me ? t('comp.run.notOwnReview') : undefined}
                data-testid="run-review"
              >
                {t('comp.run.review')}
              </Button>
            )}
            {canManage && !run.proposedAt && (
              <Button
                size="xs"
                variant="light"
                onClick={() => step.mutate('propose')}
                loading={step.isPending && step.variables === 'propose'}
                data-testid="run-propose"
              >
                {t('comp.run.propose')}
              </Button>
            )}
            {canManage && run.proposedAt && (
              <Button
                size="xs"
                variant="light"
                onClick={() => step.mutate('offer')}
                loading={step.isPending && step.variables === 'offer'}
                disabled={run.state !== 'reviewed'}
                title={run.state !== 'reviewed' ? t('comp.run.offerNeedsReview') : undefined}
                data-testid="run-offer"
              >
                {t('comp.run.offer')}
              </Button>
            )}
          </Group>
        </Group>
        {canApprove && run.state === 'computed' && run.createdBy?.id === me && (
          <Text size="xs" c="dimmed">
            {t('comp.run.notOwnReview')}
          </Text>
        )}
        <ProblemAlert error={step.error} />
        {done && (
          <Alert color="green" data-testid="run-step-done">
            {t(done.key, done.values)}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
          <Figure label={t('comp.run.customers')} value={run.customers.toLocaleString(i18n.language)} />
          <Figure label={t('comp.run.orders')} value={run.orders.toLocaleString(i18n.language)} />
          <Figure label={t('comp.run.goodwillCustomers')} value={run.goodwillCustomers.toLocaleString(i18n.language)} />
          <Figure label={t('comp.run.unknownCustomers')} value={run.unknownCustomers.toLocaleString(i18n.language)} />
          <Figure label={t('comp.run.loss')} value={money(run.lossMinor)} />
          <Figure label={t('comp.run.compensation')} value={money(run.compensationMinor)} testId="run-compensation" />
        </SimpleGrid>
        <RunParameters run={run} />
        <Suspense fallback={<Loader size="sm" />}>
          <DistributionChart incidentKey={incidentKey} run={run} />
        </Suspense>
        <Results incidentKey={incidentKey} run={run} />
      </Stack>
    </Card>
  );
}

function stepMessage(
  step: 'review' | 'propose' | 'offer',
  data: object,
): { key: 'comp.run.reviewed' | 'comp.run.proposed' | 'comp.run.offered'; values: Record<string, number> } {
  if (step === 'propose' && 'created' in data)
    return { key: 'comp.run.proposed', values: { ...data } as Record<string, number> };
  if (step === 'offer' && 'offered' in data)
    return { key: 'comp.run.offered', values: { count: data.offered as number } };
  return { key: 'comp.run.reviewed', values: {} };
}

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} ff="monospace" data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}

/** The per-customer results, 50 at a time. */
function Results({ incidentKey, run }: { incidentKey: string; run: Run }) {
  const { t } = useTranslation();
  const results = useRunResults(incidentKey, run.id);
  return (
    <Stack gap="xs">
      <Title order={5}>{t('comp.run.results')}</Title>
      <QueryView query={results} keepOnError>
        {(data) => {
          const rows = data.pages.flatMap((p) => p.items);
          return rows.length === 0 ? (
            <EmptyState compact>{t('comp.run.noResults')}</EmptyState>
          ) : (
            <>
              <ResultTable rows={rows} currency={run.currency} testId="run-results" />
              <LoadMore
                hasMore={results.hasNextPage}
                loading={results.isFetchingNextPage}
                onClick={() => void results.fetchNextPage()}
              />
            </>
          );
        }}
      </QueryView>
    </Stack>
  );
}
