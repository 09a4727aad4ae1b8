/** The incident list: active incidents by default, a scope switch and filters kept in the URL, live through the SSE stream. */
import { Button, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { useUrlFilters } from '../../app/url-filters.js';
import { LoadMore } from '../../ui/misc.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { displayTimeZone } from '../../ui/time.js';
import { useNow } from '../../ui/use-now.js';
import { DeclareIncidentModal } from './declare-incident-modal.js';
import { IncidentCard } from './incident-card.js';
import { IncidentFilters } from './incident-filters.js';
import { IncidentTable, type IncidentSort } from './incident-table.js';
import { useIncidentList, type IncidentFilters as Filters } from './incidents-api.js';

/** The list's filters in the URL: no `status` means active; `status=all` means no status filter. */
const FILTERS = {
  status: 'active',
  grade: undefined,
  category: undefined,
  service: undefined,
  q: undefined,
  sort: undefined,
} as const;
const SCOPES = ['active', 'ended', 'all'] as const;

/** The URL's filters as the API takes them. */
const apiFilters = (url: Filters): Filters => ({ ...url, status: url.status === 'all' ? undefined : url.status });

export function IncidentListPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useUrlFilters(FILTERS);
  const [declaring, declare] = useDisclosure(false);
  const canCreate = useCan('incident.create');
  const phone = useMediaQuery('(max-width: 48em)');
  const now = useNow(30_000);
  usePageTitle(t('incidents.title'));

  const scope = filters.status;
  const sort: IncidentSort = filters.sort === 'severity' ? 'severity' : 'detected';

  const list = useIncidentList(apiFilters(filters));

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2}>{t('incidents.title')}</Title>
        {canCreate && (
          <Button onClick={declare.open} data-testid="declare-open">
            {t('incidents.declare')}
          </Button>
        )}
      </Group>
      <SegmentedControl
        aria-label={t('incidents.scope.label')}
        value={(SCOPES as readonly string[]).includes(scope) ? scope : ''}
        onChange={(v) => setFilters({ status: v })}
        data={SCOPES.map((s) => ({
          value: s,
          label: <span data-testid={`scope-${s}`}>{t(`incidents.scope.${s}`)}</span>,
        }))}
        data-testid="incident-scope"
        style={{ alignSelf: 'flex-start' }}
      />
      <IncidentFilters value={filters} onChange={setFilters} />
      <QueryView query={list} keepOnError>
        {(data) => {
          const incidents = data.pages.flatMap((p) => p.items);
          return (
            <Stack gap="xs" data-testid="incident-list" data-scope={scope}>
              {incidents.length === 0 && <EmptyState testId="incident-list-empty">{t('incidents.empty')}</EmptyState>}
              {incidents.length > 0 &&
                (phone ? (
                  incidents.map((i) => <IncidentCard key={i.key} incident={i} now={now} />)
                ) : (
                  <IncidentTable
                    incidents={incidents}
                    now={now}
                    sort={sort}
                    onSort={(s) => setFilters({ sort: s === 'detected' ? undefined : s })}
                  />
                ))}
            </Stack>
          );
        }}
      </QueryView>
      <LoadMore
        hasMore={list.hasNextPage}
        loading={list.isFetchingNextPage}
        onClick={() => void list.fetchNextPage()}
      />
      <Text size="xs" c="dimmed" ta="right">
        {t('common.timesIn', { zone: displayTimeZone() })}
      </Text>
      {canCreate && <DeclareIncidentModal opened={declaring} onClose={declare.close} />}
    </Stack>
  );
}
