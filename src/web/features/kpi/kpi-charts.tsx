/**
 * The charts of /dashboards (ECharts, loaded lazily): the monthly trend of incidents with MTTA/MTTC/MTTR,
 * the breakdown by grade, category or service, the regulator deadlines, and the CSAT trend. A click on a
 * bar or point asks for the incidents behind it.
 */
import { Button, Card, Group, Loader, SegmentedControl, SimpleGrid, Table, Text } from '@mantine/core';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Category, GRADES } from '../../../shared/enums.js';
import type { KpiSlice } from '../../../shared/kpi-schemas.js';
import type { ChartClick, ChartOption } from '../../ui/echart-view.js';
import { formatDuration } from '../../ui/time.js';
import type { DrillTarget, KpiSnapshot } from './kpi-api.js';

const EChartView = lazy(() => import('../../ui/echart-view.js'));
const TREND_FIGURES = ['mtta', 'mttc', 'mttr'] as const;
const minutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 6000) / 10);

function Chart(props: { option: ChartOption; testId: string; label: string; onClick?: (e: ChartClick) => void }) {
  return (
    <Suspense fallback={<Loader size="sm" />}>
      <EChartView height={280} {...props} />
    </Suspense>
  );
}

function TrendChart({ snap, onDrill }: { snap: KpiSnapshot; onDrill: (d: DrillTarget) => void }) {
  const { t } = useTranslation();
  const months = snap.trend.map((m) => m.month);
  const option = useMemo<ChartOption>(
    () => ({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 50, right: 50, top: 40, bottom: 60 },
      xAxis: { type: 'category', data: months, axisLabel: { interval: 0, rotate: months.length > 6 ? 45 : 0 } },
      yAxis: [
        { type: 'value', name: t('kpi.incidents'), minInterval: 1 },
        { type: 'value', name: t('kpi.minutes') },
      ],
      series: [
        { type: 'bar', name: t('kpi.incidents'), data: snap.trend.map((m) => m.slice.incidents) },
        ...TREND_FIGURES.map((k) => ({
          type: 'line',
          name: t(`kpi.figure.${k}`),
          yAxisIndex: 1,
          connectNulls: false,
          data: snap.trend.map((m) => minutes(m.slice.durations[k].meanMs)),
        })),
      ],
    }),
    [snap, t, months],
  );
  const click = (e: ChartClick) => {
    const month = months[e.dataIndex];
    if (!month) return;
    const figure = e.seriesIndex ? (TREND_FIGURES[e.seriesIndex - 1] ?? 'incidents') : 'incidents';
    onDrill({ figure, month, title: `${t(`kpi.figure.${figure}`)} · ${month}` });
  };
  return <Chart option={option} testId="kpi-trend-chart" label={t('kpi.trendTitle')} onClick={click} />;
}

type Dimension = 'grade' | 'category' | 'service';

function BreakdownChart({ snap, onDrill }: { snap: KpiSnapshot; onDrill: (d: DrillTarget) => void }) {
  const { t, i18n } = useTranslation();
  const [dim, setDim] = useState<Dimension>('grade');
  const rows = useMemo((): { key: string; label: string; slice: KpiSlice }[] => {
    if (dim === 'grade') return GRADES.map((g) => ({ key: g, label: t(`grade.${g}`), slice: snap.byGrade[g] }));
    if (dim === 'category')
      return Object.entries(snap.byCategory).map(([c, slice]) => ({
        key: c,
        label: t(`category.${c as Category}`),
        slice,
      }));
    return snap.byService.map((s) => ({
      key: s.id,
      label: (i18n.language === 'zh-CN' ? s.nameZh : s.name) || s.name,
      slice: s.slice,
    }));
  }, [dim, snap, t, i18n.language]);
  const option = useMemo<ChartOption>(
    () => ({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 50, right: 50, top: 40, bottom: 60 },
      xAxis: {
        type: 'category',
        data: rows.map((r) => r.label),
        axisLabel: { interval: 0, rotate: rows.length > 4 ? 30 : 0 },
      },
      yAxis: [
        { type: 'value', name: t('kpi.incidents'), minInterval: 1 },
        { type: 'value', name: t('kpi.minutes') },
      ],
      series: [
        { type: 'bar', name: t('kpi.incidents'), data: rows.map((r) => r.slice.incidents) },
        ...TREND_FIGURES.map((k) => ({
          type: 'bar',
          name: t(`kpi.figure.${k}`),
          yAxisIndex: 1,
          data: rows.map((r) => minutes(r.slice.durations[k].meanMs)),
        })),
      ],
    }),
    [rows, t],
  );
  const click = (e: ChartClick) => {
    const row = rows[e.dataIndex];
    if (!row) return;
    const figure = e.seriesIndex ? (TREND_FIGURES[e.seriesIndex - 1] ?? 'incidents') : 'incidents';
    onDrill({ figure, [dim]: row.key, title: `${t(`kpi.figure.${figure}`)} · ${row.label}` });
  };
  return (
    <>
      <SegmentedControl
        size="xs"
        value={dim}
        onChange={(v) => setDim(v as Dimension)}
        data={(['grade', 'category', 'service'] as const).map((d) => ({ value: d, label: t(`kpi.by.${d}`) }))}
        data-testid="kpi-breakdown-dimension"
      />
      <Chart option={option} testId="kpi-breakdown-chart" label={t('kpi.breakdownTitle')} onClick={click} />
      <Table fz="xs" data-testid="kpi-breakdown-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t(`kpi.by.${dim}`)}</Table.Th>
            <Table.Th>{t('kpi.incidents')}</Table.Th>
            {TREND_FIGURES.map((k) => (
              <Table.Th key={k}>{t(`kpi.figure.${k}`)}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.key} data-testid="kpi-breakdown-row">
              <Table.Td>{r.label}</Table.Td>
              <Table.Td>
                <Button
                  variant="subtle"
                  size="compact-xs"
                  disabled={r.slice.incidents === 0}
                  onClick={() =>
                    onDrill({ figure: 'incidents', [dim]: r.key, title: `${t('kpi.incidents')} · ${r.label}` })
                  }
                  data-testid="kpi-breakdown-count"
                >
                  {r.slice.incidents}
                </Button>
              </Table.Td>
              {TREND_FIGURES.map((k) => {
                const v = r.slice.durations[k].meanMs;
                return <Table.Td key={k}>{v === null ? '—' : formatDuration(v, t('kpi.dayUnit'))}</Table.Td>;
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}

function RegulatorChart({ snap }: { snap: KpiSnapshot }) {
  const { t } = useTranslation();
  const r = snap.regulators;
  const option = useMemo<ChartOption>(
    () => ({
      animation: false,
      tooltip: { trigger: 'item' },
      grid: { left: 50, right: 10, top: 20, bottom: 30 },
      xAxis: { type: 'category', data: [t('kpi.onTime'), t('kpi.late'), t('kpi.overdue')] },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'bar',
          label: { show: true, position: 'top' },
          data: [r.onTime.numerator, r.onTime.denominator - r.onTime.numerator - r.overdue, r.overdue],
        },
      ],
    }),
    [r, t],
  );
  return <Chart option={option} testId="kpi-regulator-chart" label={t('kpi.regulatorTitle')} />;
}

function CsatChart({ snap }: { snap: KpiSnapshot }) {
  const { t } = useTranslation();
  const option = useMemo<ChartOption>(
    () => ({
      animation: false,
      tooltip: { trigger: 'axis' },
      grid: { left: 50, right: 10, top: 20, bottom: 30 },
      xAxis: { type: 'category', data: snap.trend.map((m) => m.month) },
      yAxis: { type: 'value', min: 1, max: 5 },
      series: [{ type: 'line', name: t('kpi.csat'), connectNulls: false, data: snap.trend.map((m) => m.csat) }],
    }),
    [snap, t],
  );
  return <Chart option={option} testId="kpi-csat-chart" label={t('kpi.csatTitle')} />;
}

export function KpiCharts({ snap, onDrill }: { snap: KpiSnapshot; onDrill: (d: DrillTarget) => void }) {
  const { t } = useTranslation();
  const card = (title: string, body: React.ReactNode, testId: string) => (
    <Card withBorder radius="md" data-testid={testId}>
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{title}</Text>
      </Group>
      {body}
    </Card>
  );
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
      {card(t('kpi.trendTitle'), <TrendChart snap={snap} onDrill={onDrill} />, 'kpi-trend')}
      {card(t('kpi.breakdownTitle'), <BreakdownChart snap={snap} onDrill={onDrill} />, 'kpi-breakdown')}
      {card(
        t('kpi.regulatorTitle'),
        snap.regulators.onTime.denominator === 0 && snap.regulators.overdue === 0 ? (
          <Text c="dimmed">{t('kpi.noData')}</Text>
        ) : (
          <RegulatorChart snap={snap} />
        ),
        'kpi-regulators',
      )}
      {card(
        t('kpi.csatTitle'),
        snap.customers.csat === null ? <Text c="dimmed">{t('kpi.noData')}</Text> : <CsatChart snap={snap} />,
        'kpi-csat',
      )}
    </SimpleGrid>
  );
}
