/** Background jobs (administrators): dead jobs first — reactions that failed on every attempt, with why — and retry. */
import { Badge, Button, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Job } from '../../../shared/job-schemas.js';
import { api, qs } from '../../app/api.js';
import { usePageTitle } from '../../app/page-title.js';
import { qk } from '../../app/query-keys.js';
import { useCan } from '../../app/session.js';
import type { Page } from '../../app/types.js';
import { NotPermitted } from '../../ui/misc.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';

const STATES = ['dead', 'queued', 'running', 'done'] as const;
const COLOR = { dead: 'red', queued: 'blue', running: 'yellow', done: 'teal' } as const;

function RetryButton({ job }: { job: Job }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const retry = useMutation({
    mutationFn: () => api<void>(`/jobs/${encodeURIComponent(job.id)}/retry`, { method: 'POST' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: qk.jobs }),
  });
  return (
    <Stack gap={4}>
      <Button
        size="xs"
        variant="light"
        loading={retry.isPending}
        onClick={() => retry.mutate()}
        data-testid="job-retry"
      >
        {t('jobs.retry')}
      </Button>
      <ProblemAlert error={retry.error} />
    </Stack>
  );
}

export function JobsPage() {
  const { t, i18n } = useTranslation();
  const allowed = useCan('job.read');
  const [state, setState] = useState<(typeof STATES)[number]>('dead');
  const query = useQuery({
    queryKey: qk.jobList(state),
    queryFn: ({ signal }) => api<Page<Job>>(`/jobs${qs({ state, limit: 200 })}`, { signal }),
    enabled: allowed,
  });
  usePageTitle(t('jobs.title'));
  if (!allowed) return <NotPermitted />;
  return (
    <Stack gap="md" data-testid="jobs-page">
      <Stack gap={4}>
        <Title order={2}>{t('jobs.title')}</Title>
        <Text size="sm" c="dimmed" maw={820}>
          {t('jobs.intro')}
        </Text>
      </Stack>
      <SegmentedControl
        value={state}
        onChange={(v) => setState(v as (typeof STATES)[number])}
        data={STATES.map((s) => ({ value: s, label: t(`jobs.state.${s}`) }))}
        maw={480}
      />
      <QueryView query={query}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>{t('jobs.empty')}</EmptyState>
          ) : (
            <Table striped highlightOnHover data-testid="jobs-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('jobs.kind')}</Table.Th>
                  <Table.Th>{t('jobs.stateLabel')}</Table.Th>
                  <Table.Th>{t('jobs.attempts')}</Table.Th>
                  <Table.Th>{t('jobs.lastError')}</Table.Th>
                  <Table.Th>{t('jobs.updated')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {page.items.map((j) => (
                  <Table.Tr key={j.id} data-testid="job-row" data-state={j.state}>
                    <Table.Td>
                      <Text size="sm" ff="monospace" className="tocsin-break">
                        {j.kind}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={COLOR[j.state]} variant="light">
                        {t(`jobs.state.${j.state}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {j.attempts}/{j.maxAttempts}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c={j.lastError ? 'red' : 'dimmed'} className="tocsin-break">
                        {j.lastError ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>{formatDateTime(j.updatedAt, i18n.language)}</Table.Td>
                    <Table.Td>{j.state === 'dead' && <RetryButton job={j} />}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )
        }
      </QueryView>
    </Stack>
  );
}
