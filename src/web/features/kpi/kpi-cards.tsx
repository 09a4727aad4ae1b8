/**
 * The headline figures of /dashboards: one card a figure. A figure without data says "no data" with the
 * reason (nothing in the period, or not recorded), never 0.
 */
import { Card, SimpleGrid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DURATION_KPIS, type DurationStat, type Rate } from '../../../shared/kpi-schemas.js';
import { currencyDigits, formatDuration } from '../../ui/time.js';
import type { KpiSnapshot } from './kpi-api.js';

const pct = (r: Rate) => (r.value === null ? null : `${Math.round(r.value * 1000) / 10}%`);

function Figure({
  id,
  label,
  value,
  detail,
  reason,
}: {
  id: string;
  label: string;
  value: string | number | null;
  detail?: string;
  reason?: 'no_data' | 'no_source';
}) {
  const { t, i18n } = useTranslation();
  const none = value === null;
  // Counts with the reader's digit grouping (473,413).
  const shown = typeof value === 'number' ? value.toLocaleString(i18n.language) : value;
  return (
    <Card withBorder radius="md" p="sm" data-testid={`kpi-card-${id}`} data-empty={none ? 'true' : undefined}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl" c={none ? 'dimmed' : undefined} data-testid="kpi-value">
        {none ? t('kpi.noData') : shown}
      </Text>
      <Text size="xs" c="dimmed">
        {none ? t(`kpi.reason.${reason ?? 'no_data'}`) : detail}
      </Text>
    </Card>
  );
}

export function KpiCards({ snap }: { snap: KpiSnapshot }) {
  const { t } = useTranslation();
  const reason = (figure: string) => snap.missing.find((m) => m.figure === figure)?.reason;
  const dur = (s: DurationStat) => (s.meanMs === null ? null : formatDuration(s.meanMs, t('kpi.dayUnit')));
  const durDetail = (s: DurationStat) =>
    t('kpi.durationDetail', {
      median: s.medianMs === null ? '—' : formatDuration(s.medianMs, t('kpi.dayUnit')),
      count: s.count,
    });
  const paid = Object.entries(snap.compensation.paidMinor);
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm" data-testid="kpi-cards">
      <Figure
        id="incidents"
        label={t('kpi.incidents')}
        value={snap.incidents}
        detail={t('kpi.falsePositives', { count: snap.falsePositives })}
      />
      {DURATION_KPIS.map((k) => (
        <Figure
          key={k}
          id={k}
          label={t(`kpi.figure.${k}`)}
          value={dur(snap.durations[k])}
          detail={durDetail(snap.durations[k])}
          reason={reason(`durations.${k}`)}
        />
      ))}
      <Figure
        id="regulators"
        label={t('kpi.regulatorOnTime')}
        value={pct(snap.regulators.onTime)}
        detail={t('kpi.ofDue', {
          n: snap.regulators.onTime.numerator,
          of: snap.regulators.onTime.denominator,
          overdue: snap.regulators.overdue,
        })}
        reason={reason('regulators.onTime')}
      />
      <Figure
        id="affected"
        label={t('kpi.customersAffected')}
        value={snap.customers.affected}
        reason={reason('customers.affected')}
      />
      <Figure
        id="notified"
        label={t('kpi.customersNotified')}
        value={snap.customers.notified}
        reason={reason('customers.notified')}
      />
      <Figure id="inquiries" label={t('kpi.inquiries')} value={snap.customers.inquiries} />
      <Figure
        id="csat"
        label={t('kpi.csat')}
        value={snap.customers.csat === null ? null : snap.customers.csat.toFixed(2)}
        detail={t('kpi.responses', { count: snap.customers.csatResponses })}
        reason={reason('customers.csat')}
      />
      <Figure
        id="compensation"
        label={t('kpi.compensationPaid')}
        value={
          paid.length === 0
            ? null
            : paid.map(([cur, minor]) => `${cur} ${(minor / 10 ** currencyDigits(cur)).toLocaleString()}`).join(' · ')
        }
        detail={t('kpi.claims', { count: snap.compensation.claims })}
        reason={reason('compensation.paidMinor')}
      />
      <Figure
        id="action-items"
        label={t('kpi.actionItemsOnTime')}
        value={pct(snap.actionItems.closedOnTime)}
        detail={t('kpi.openOverdue', { open: snap.actionItems.open, overdue: snap.actionItems.overdue })}
        reason={reason('actionItems.closedOnTime')}
      />
      <Figure
        id="vulnerabilities"
        label={t('kpi.vulnsPastSla')}
        value={snap.vulnerabilities.pastSla}
        detail={t('kpi.vulnsOpen', { count: snap.vulnerabilities.open })}
      />
      <Figure
        id="drills"
        label={t('kpi.drillScore')}
        value={snap.drills.meanScore}
        detail={t('kpi.drills', { count: snap.drills.count })}
        reason={reason('drills.meanScore')}
      />
      <Figure
        id="training"
        label={t('kpi.trainingCoverage')}
        value={pct(snap.training.coverage)}
        detail={t('kpi.people', { n: snap.training.coverage.numerator, of: snap.training.coverage.denominator })}
        reason={reason('training.coverage')}
      />
    </SimpleGrid>
  );
}
