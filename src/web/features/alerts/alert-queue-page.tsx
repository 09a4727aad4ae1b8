/** The alert queue: filters in the URL (default: what needs attention), "load more" paging, live through the stream. */
import { useEffect, useState } from 'react';
import { Center, Grid, Loader, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { usePageTitle } from '../../app/page-title.js';
import { useEnumOptions } from '../../ui/enum-options.js';
import { LoadMore } from '../../ui/misc.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { displayTimeZone } from '../../ui/time.js';
import { AlertRow } from './alert-row.js';
import { useAlertList, type AlertFilters } from './alerts-api.js';

const ALL = 'all';

export function AlertQueuePage() {
  const { t } = useTranslation();
  const options = useEnumOptions();
  const [params, setParams] = useSearchParams();
  usePageTitle(t('alerts.title'));
  const status = params.get('status') ?? 'active';
  const level = params.get('level') ?? undefined;
  const rule = params.get('rule') ?? undefined;
  const [q, setQ] = useState(params.get('q') ?? '');
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);

  const set = (key: string, value: string | null | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  useEffect(() => {
    if ((params.get('q') ?? '') !== debouncedQ) set('q', debouncedQ || null);
    // only the typed text drives this effect
  }, [debouncedQ]);

  const filters: AlertFilters = {
    status: status === ALL ? undefined : status,
    level,
    rule,
    q: params.get('q') ?? undefined,
  };
  const list = useAlertList(filters);
  const alerts = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack gap="md">
      <Title order={2}>{t('alerts.title')}</Title>
      <Grid gutter="sm">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <TextInput
            placeholder={t('alerts.search')}
            aria-label={t('alerts.search')}
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            data-testid="alert-filter-q"
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
            value={status}
            onChange={(v) => set('status', v === 'active' ? null : v)}
            data-testid="alert-filter-status"
          />
        </Grid.Col>
        <Grid.Col span={{ base: 6, md: 2 }}>
          <Select
            placeholder={t('alerts.filter.level')}
            aria-label={t('alerts.filter.level')}
            clearable
            data={options.alertLevels}
            value={level ?? null}
            onChange={(v) => set('level', v)}
            data-testid="alert-filter-level"
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 3 }}>
          <TextInput
            placeholder={t('alerts.filter.rule')}
            aria-label={t('alerts.filter.rule')}
            defaultValue={rule}
            onBlur={(e) => set('rule', e.currentTarget.value.trim() || null)}
            onKeyDown={(e) => e.key === 'Enter' && set('rule', e.currentTarget.value.trim() || null)}
            data-testid="alert-filter-rule"
          />
        </Grid.Col>
      </Grid>
      <ProblemAlert error={list.error} />
      {list.isPending ? (
        <Center p="xl">
          <Loader />
        </Center>
      ) : (
        <Stack gap="xs" data-testid="alert-list">
          {alerts.length === 0 && !list.isError && (
            <Text c="dimmed" ta="center" p="xl" data-testid="alert-list-empty">
              {t('alerts.empty')}
            </Text>
          )}
          {alerts.map((a) => (
            <AlertRow key={a.id} alert={a} />
          ))}
        </Stack>
      )}
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
