/**
 * /dashboards (issue 16, docs/kpi.md): the performance figures of a period — headline cards, the monthly
 * trend, breakdowns by grade, category and service, regulator deadlines and CSAT — with the filters kept
 * in the URL, and the incidents behind a bar or point listed on a click (each linking to its incident).
 */
import { Anchor, Badge, Card, Group, MultiSelect, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Category } from '../../../shared/enums.js';
import { Link } from 'react-router';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { useUrlFilters } from '../../app/url-filters.js';
import { useEnumOptions, useServiceName } from '../../ui/enum-options.js';
import { NotPermitted } from '../../ui/misc.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime, formatDuration } from '../../ui/time.js';
import { useServices } from '../services/services-api.js';
import { type DrillTarget, KPI_FILTERS, type KpiFilters, PERIODS, useKpi, useKpiIncidents } from './kpi-api.js';
import { KpiCards } from './kpi-cards.js';
import { KpiCharts } from './kpi-charts.js';

const list = (v: string | undefined) => (v ? v.split(',').filter(Boolean) : []);
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function Filters({ f, set }: { f: KpiFilters; set: (p: Partial<Record<keyof KpiFilters, string | null>>) => void }) {
  const { t } = useTranslation();
  const options = useEnumOptions();
  const services = useServices();
  const name = useServiceName();
  return (
    <Group align="flex-end" gap="xs" data-testid="kpi-filters">
      <Select
        label={t('kpi.period')}
        data={PERIODS.map((p) => ({ value: p, label: t(`kpi.periods.${p}`) }))}
        value={f.period}
        onChange={(v) => set({ period: v ?? 'last12' })}
        allowDeselect={false}
        w={160}
        data-testid="kpi-period"
      />
      {f.period === 'custom' && (
        <>
          <TextInput
            label={t('kpi.from')}
            placeholder="YYYY-MM-DD"
            defaultValue={f.from}
            onBlur={(e) => DAY.test(e.currentTarget.value) && set({ from: e.currentTarget.value })}
            w={130}
            data-testid="kpi-from"
          />
          <TextInput
            label={t('kpi.to')}
            placeholder="YYYY-MM-DD"
            defaultValue={f.to}
            onBlur={(e) => DAY.test(e.currentTarget.value) && set({ to: e.currentTarget.value })}
            w={130}
            data-testid="kpi-to"
          />
        </>
      )}
      <MultiSelect
        label={t('kpi.grade')}
        data={options.grades}
        value={list(f.grade)}
        onChange={(v) => set({ grade: v.join(',') || null })}
        w={220}
        clearable
        data-testid="kpi-grade"
      />
      <MultiSelect
        label={t('kpi.category')}
        data={options.categories}
        value={list(f.category)}
        onChange={(v) => set({ category: v.join(',') || null })}
        w={260}
        clearable
        data-testid="kpi-category"
      />
      <MultiSelect
        label={t('kpi.service')}
        data={(services.data ?? []).map((s) => ({ value: s.id, label: name(s) }))}
        value={list(f.service)}
        onChange={(v) => set({ service: v.join(',') || null })}
        w={240}
        clearable
        data-testid="kpi-service"
      />
    </Group>
  );
}

function DrillDown({ f, target }: { f: KpiFilters; target: DrillTarget }) {
  const { t, i18n } = useTranslation();
  const rows = useKpiIncidents(f, target);
  return (
    <Card withBorder radius="md" p={0} data-testid="kpi-drilldown">
      <Text fw={600} p="sm">
        {t('kpi.drillTitle', { what: target.title })}
      </Text>
      <QueryView query={rows}>
        {(r) =>
          r.items.length === 0 ? (
            <EmptyState>{r.hidden ? t('kpi.drillHidden', { count: r.hidden }) : t('kpi.drillEmpty')}</EmptyState>
          ) : (
            <>
              <Table fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('kpi.incident')}</Table.Th>
                    <Table.Th>{t('kpi.grade')}</Table.Th>
                    <Table.Th>{t('kpi.category')}</Table.Th>
                    <Table.Th>{t('kpi.detectedAt')}</Table.Th>
                    <Table.Th>{t('kpi.value')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {r.items.map((row) => (
                    <Table.Tr key={row.key} data-testid="kpi-drill-row">
                      <Table.Td>
                        <Anchor component={Link} to={`/incidents/${row.key}`} size="sm">
                          {row.key}
                        </Anchor>{' '}
                        {row.title}
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light">{t(`grade.${row.grade}`)}</Badge>
                      </Table.Td>
                      <Table.Td>{t(`category.${row.category as Category}`)}</Table.Td>
                      <Table.Td>{formatDateTime(row.detectedAt, i18n.language)}</Table.Td>
                      <Table.Td>{row.valueMs === null ? '—' : formatDuration(row.valueMs, t('kpi.dayUnit'))}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              {(r.truncated || r.hidden > 0) && (
                <Text size="xs" c="dimmed" p="sm">
                  {r.truncated ? t('kpi.drillTruncated') : ''}{' '}
                  {r.hidden > 0 ? t('kpi.drillHidden', { count: r.hidden }) : ''}
                </Text>
              )}
            </>
          )
        }
      </QueryView>
    </Card>
  );
}

export function DashboardsPage() {
  const { t } = useTranslation();
  const allowed = useCan('kpi.read');
  usePageTitle(t('kpi.pageTitle'));
  const [f, setF] = useUrlFilters(KPI_FILTERS);
  const [target, setTarget] = useState<DrillTarget | null>(null);
  const snap = useKpi(f);
  if (!allowed) return <NotPermitted />;
  const set = (p: Partial<Record<keyof KpiFilters, string | null>>) => {
    setTarget(null);
    setF(p);
  };
  return (
    <Stack gap="md">
      <Title order={2}>{t('kpi.pageTitle')}</Title>
      <Filters f={f} set={set} />
      <QueryView query={snap}>
        {(s) => (
          <Stack gap="md">
            <Text size="sm" c="dimmed" data-testid="kpi-period-text">
              {t('kpi.periodText', { from: s.filter.from, to: s.filter.to, zone: s.zone })}
            </Text>
            <KpiCards snap={s} />
            <KpiCharts snap={s} onDrill={setTarget} />
            {target && <DrillDown f={f} target={target} />}
          </Stack>
        )}
      </QueryView>
    </Stack>
  );
}
