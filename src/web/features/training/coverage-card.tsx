/**
 * Coverage of the required courses per department (ECharts bars, loaded lazily: the share of each
 * department's people with a valid record of each course) and the list of who lacks a course, has it
 * expired or expiring within 30 days.
 */
import { lazy, Suspense, useMemo } from 'react';
import { Badge, Card, Loader, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ChartOption } from '../../ui/echart-view.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { type TrainingCoverage, useCoverage } from './training-api.js';

const EChartView = lazy(() => import('../../ui/echart-view.js'));
const STATUS_COLOR = { missing: 'red', expired: 'red', expiring: 'yellow', valid: 'green' } as const;
const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 100)}%`);

export function CoverageCard() {
  const { t } = useTranslation();
  const coverage = useCoverage();
  return (
    <QueryView query={coverage}>
      {(c) =>
        c.courses.length === 0 ? (
          <EmptyState>{t('training.noRequired')}</EmptyState>
        ) : (
          <Stack gap="md">
            <Card withBorder radius="md">
              <Text fw={600} mb="xs">
                {t('training.coverageTitle', { today: c.today })}
              </Text>
              <CoverageChart coverage={c} />
              <Table fz="sm" mt="sm" data-testid="coverage-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('training.department')}</Table.Th>
                    <Table.Th>{t('training.people')}</Table.Th>
                    {c.courses.map((course) => (
                      <Table.Th key={course.courseCode}>{course.courseCode}</Table.Th>
                    ))}
                    <Table.Th>{t('training.allCourses')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {c.departments.map((d) => (
                    <Table.Tr key={d.department} data-testid="coverage-row">
                      <Table.Td>{d.department}</Table.Td>
                      <Table.Td>{d.people}</Table.Td>
                      {d.courses.map((x) => (
                        <Table.Td key={x.courseCode}>
                          {x.valid} ({pct(x.rate)})
                        </Table.Td>
                      ))}
                      <Table.Td fw={600}>{pct(d.rate)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Card>
            <Card withBorder radius="md" p={0}>
              <Text fw={600} p="sm">
                {t('training.overdueTitle', { count: c.overdue.length })}
              </Text>
              <Table fz="sm" data-testid="overdue-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('training.department')}</Table.Th>
                    <Table.Th>{t('training.person')}</Table.Th>
                    <Table.Th>{t('training.course')}</Table.Th>
                    <Table.Th>{t('training.statusLabel')}</Table.Th>
                    <Table.Th>{t('training.expiresOn')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {c.overdue.map((o) => (
                    <Table.Tr key={`${o.personKey}-${o.courseCode}`} data-testid="overdue-row" data-status={o.status}>
                      <Table.Td>{o.department}</Table.Td>
                      <Table.Td>{o.name ?? o.personKey}</Table.Td>
                      <Table.Td>
                        {o.courseCode} {o.courseName}
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={STATUS_COLOR[o.status]}>
                          {t(`training.status.${o.status}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{o.expiresOn ?? '—'}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Card>
          </Stack>
        )
      }
    </QueryView>
  );
}

function CoverageChart({ coverage: c }: { coverage: TrainingCoverage }) {
  const { t } = useTranslation();
  const option = useMemo<ChartOption>(
    () => ({
      animation: false,
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
      legend: { top: 0 },
      grid: { left: 50, right: 10, top: 40, bottom: 40 },
      xAxis: { type: 'category', data: c.departments.map((d) => d.department) },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: c.courses.map((course, i) => ({
        type: 'bar',
        name: `${course.courseCode} ${course.courseName}`,
        label: { show: true, position: 'top', formatter: '{c}%' },
        data: c.departments.map((d) => Math.round((d.courses[i]?.rate ?? 0) * 100)),
      })),
    }),
    [c],
  );
  return (
    <Suspense fallback={<Loader size="sm" />}>
      <EChartView option={option} height={300} testId="coverage-chart" label={t('training.coverageChart')} />
    </Suspense>
  );
}
