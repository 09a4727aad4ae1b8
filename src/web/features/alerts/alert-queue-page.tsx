/** The alert queue: filters in the URL (default: what needs attention), "load more" paging, live through the stream. */
import { Grid, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../app/page-title.js';
import { useUrlFilters } from '../../app/url-filters.js';
import { useEnumOptions } from '../../ui/enum-options.js';
import { LoadMore } from '../../ui/misc.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { SearchField } from '../../ui/search-field.js';
import { displayTimeZone } from '../../ui/time.js';
import { AlertRow } from './alert-row.js';
import { useAlertList } from './alerts-api.js';

const ALL = 'all';
/** The queue's filters in the URL: by default what needs attention (`active`); `status=all` means any status. */
const FILTERS = { status: 'active', level: undefined, rule: undefined, q: undefined } as const;

export function AlertQueuePage() {
  const { t } = useTranslation();
  const options = useEnumOptions();
  const [filters, setFilters] = useUrlFilters(FILTERS);
  usePageTitle(t('alerts.title'));
  const list = useAlertList({ ...filters, status: filters.status === ALL ? undefined : filters.status });

  return (
    <Stack gap="md">
      <Title order={2}>{t('alerts.title')}</Title>
      <Grid gutter="sm">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <SearchField
            value={filters.q}
            onSearch={(q) => setFilters({ q })}
            label={t('alerts.search')}
            testId="alert-filter-q"
          />
        </Grid.Col>
        <Grid.Col span={{ base: 6, md: 3 }}>
          <Select
            aria-label={t('alerts.filter.status')}
            allowDeselect={false}
            data={[
              { value: 'active', label: t('alerts.active') },
              ...options.alertStatuses,
              { value: ALL, label: t('common.all') },
            ]}
            value={filters.status}
            onChange={(v) => setFilters({ status: v })}
            data-testid="alert-filter-status"
          />
        </Grid.Col>
        <Grid.Col span={{ base: 6, md: 2 }}>
          <Select
            placeholder={t('alerts.filter.level')}
            aria-label={t('alerts.filter.level')}
            clearable
            data={options.alertLevels}
            value={filters.level ?? null}
            onChange={(v) => setFilters({ level: v })}
            data-testid="alert-filter-level"
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 3 }}>
          <TextInput
            placeholder={t('alerts.filter.rule')}
            aria-label={t('alerts.filter.rule')}
            defaultValue={filters.rule}
            onBlur={(e) => setFilters({ rule: e.currentTarget.value.trim() })}
            onKeyDown={(e) => e.key === 'Enter' && setFilters({ rule: e.currentTarget.value.trim() })}
            data-testid="alert-filter-rule"
          />
        </Grid.Col>
      </Grid>
      <QueryView query={list} keepOnError>
        {(data) => {
          const alerts = data.pages.flatMap((p) => p.items);
          return (
            <Stack gap="xs" data-testid="alert-list">
              {alerts.length === 0 && <EmptyState testId="alert-list-empty">{t('alerts.empty')}</EmptyState>}
              {alerts.map((a) => (
                <AlertRow key={a.id} alert={a} />
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
    </Stack>
  );
}
