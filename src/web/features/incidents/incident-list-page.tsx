/** The incident list: filters in the URL, "load more" paging, live through the SSE stream. */
import { Button, Center, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useDisclosure, useDocumentTitle } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useCan } from '../../app/session.js';
import { LoadMore } from '../../ui/misc.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { displayTimeZone } from '../../ui/time.js';
import { DeclareIncidentModal } from './declare-incident-modal.js';
import { IncidentFilters } from './incident-filters.js';
import { IncidentRow } from './incident-row.js';
import { useIncidentList, type IncidentFilters as Filters } from './incidents-api.js';

const FILTER_KEYS = ['status', 'grade', 'category', 'service', 'q', 'sort'] as const;

export function IncidentListPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [declaring, declare] = useDisclosure(false);
  const canCreate = useCan('incident.create');
  useDocumentTitle(`${t('incidents.title')} · Tocsin 警钟`);

  const filters: Filters = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k);
    if (v) filters[k] = v;
  }
  const setFilters = (next: Filters) => {
    const p = new URLSearchParams();
    for (const k of FILTER_KEYS) if (next[k]) p.set(k, next[k]!);
    setParams(p, { replace: true });
  };

  const list = useIncidentList(filters);
  const incidents = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>{t('incidents.title')}</Title>
        {canCreate && (
          <Button onClick={declare.open} data-testid="declare-open">
            {t('incidents.declare')}
          </Button>
        )}
      </Group>
      <IncidentFilters value={filters} onChange={setFilters} />
      <ProblemAlert error={list.error} />
      {list.isPending ? (
        <Center p="xl">
          <Loader />
        </Center>
      ) : (
        <Stack gap="xs" data-testid="incident-list">
          {incidents.length === 0 && !list.isError && (
            <Text c="dimmed" ta="center" p="xl" data-testid="incident-list-empty">
              {t('incidents.empty')}
            </Text>
          )}
          {incidents.map((i) => (
            <IncidentRow key={i.key} incident={i} />
          ))}
        </Stack>
      )}
      <LoadMore hasMore={list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
      <Text size="xs" c="dimmed" ta="right">
        {t('common.timesIn', { zone: displayTimeZone() })}
      </Text>
      {canCreate && <DeclareIncidentModal opened={declaring} onClose={declare.close} />}
    </Stack>
  );
}
