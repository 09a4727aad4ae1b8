/** Live clocks: time since detection (ticking every second) and time to acknowledge / contain / recover. */
import { Paper, SimpleGrid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Incident } from '../../app/types.js';
import { formatDuration } from '../../ui/time.js';
import { useNow } from '../../ui/use-now.js';

function Clock({ label, ms, live, testId }: { label: string; ms: number | null; live?: boolean; testId: string }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="xs" radius="sm" bg={live ? 'red.0' : undefined}>
      <Text size="xs" c="dimmed" truncate>
        {label}
      </Text>
      <Text ff="monospace" fw={700} size="lg" data-testid={testId} data-reached={ms !== null}>
        {ms === null ? '—' : formatDuration(ms, t('clock.dayUnit'))}
      </Text>
    </Paper>
  );
}

/** When the incident stopped running (closed or false positive), if it has. */
function endedAt(incident: Incident): number | null {
  const m = incident.milestones;
  if (incident.status === 'closed' && m.closedAt) return Date.parse(m.closedAt);
  if (incident.status === 'false_positive' && m.falsePositiveAt) return Date.parse(m.falsePositiveAt);
  return null;
}

export function ElapsedClocks({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const ended = endedAt(incident);
  const sinceDetection = (ended ?? now) - Date.parse(incident.milestones.detectedAt);
  const { toAcknowledgeMs, toContainMs, toRecoverMs } = incident.elapsed;
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs" data-testid="clocks">
      <Clock label={t('clock.sinceDetection')} ms={sinceDetection} live={ended === null} testId="clock-detected" />
      <Clock label={t('clock.toAcknowledge')} ms={toAcknowledgeMs} testId="clock-ack" />
      <Clock label={t('clock.toContain')} ms={toContainMs} testId="clock-contain" />
      <Clock label={t('clock.toRecover')} ms={toRecoverMs} testId="clock-recover" />
    </SimpleGrid>
  );
}
