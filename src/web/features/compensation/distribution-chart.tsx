/** How a run's compensation amounts are spread (a bar per round-width bucket) and its largest amounts. */
import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Box, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatMoney } from '../../ui/time.js';
import { type Run, type RunDistribution, useRunDistribution } from './compensation-api.js';
import { ResultTable } from './compensation-parts.js';

/** Bucket labels in whole currency units: "0–200", "200–400" (amounts in the locale's grouping). */
export function bucketLabel(fromMinor: number, widthMinor: number, locale: string): string {
  const fmt = (m: number) => (m / 100).toLocaleString(locale, { maximumFractionDigits: 2 });
  return `${fmt(fromMinor)}–${fmt(fromMinor + widthMinor)}`;
}

export function DistributionChart({ incidentKey, run }: { incidentKey: string; run: Run }) {
  const { t } = useTranslation();
  const dist = useRunDistribution(incidentKey, run.id);
  return (
    <QueryView query={dist} compact>
      {(d) =>
        d.buckets.length === 0 ? (
          <EmptyState compact>{t('comp.run.noResults')}</EmptyState>
        ) : (
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
            <Chart d={d} />
            <Stack gap="xs">
              <Title order={5}>{t('comp.chart.outliers')}</Title>
              <ResultTable rows={d.outliers} currency={d.currency} testId="run-outliers" />
            </Stack>
          </SimpleGrid>
        )
      }
    </QueryView>
  );
}

function Chart({ d }: { d: RunDistribution }) {
  const { t, i18n } = useTranslation();
  const data = d.buckets.map((b) => ({
    bucket: bucketLabel(b.fromMinor, d.widthMinor, i18n.language),
    customers: b.count,
    amount: formatMoney(b.amountMinor, d.currency, i18n.language),
  }));
  const summary = data.map((b) => `${b.bucket}: ${b.customers}`).join(t('common.listSeparator'));
  return (
    <Stack gap="xs">
      <Title order={5}>{t('comp.chart.title')}</Title>
      <Box
        role="img"
        aria-label={`${t('comp.chart.title')} — ${summary}`}
        data-testid="run-chart"
        data-buckets={d.buckets.length}
      >
        <BarChart
          h={260}
          data={data}
          dataKey="bucket"
          series={[{ name: 'customers', label: t('comp.chart.customers'), color: 'blue.6' }]}
          xAxisLabel={t('comp.chart.xAxis', { currency: d.currency })}
          yAxisLabel={t('comp.chart.customers')}
          tickLine="y"
          yAxisProps={{ allowDecimals: false }}
          withTooltip
        />
      </Box>
      <Text size="xs" c="dimmed">
        {t('comp.chart.width', { width: formatMoney(d.widthMinor, d.currency, i18n.language) })}
      </Text>
    </Stack>
  );
}
