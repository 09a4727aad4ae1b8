/**
 * The war room's "Regulatory clocks / 监管时限" card, next to the incident's own clocks: each obligation
 * stage that applies (or may) — what is due, to whom, by when in the viewer's zone (the zone shown), a
 * live countdown, its state and the warnings fired; why it applies on demand; the facts form for compliance.
 */
import { useState } from 'react';
import { Badge, Button, Card, Group, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.js';
import { pick } from '../../ui/localized.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { displayTimeZone, formatDateTime, formatDuration } from '../../ui/time.js';
import { useNow } from '../../ui/use-now.js';
import { type ObligationClock, useIncidentObligations } from './obligations-api.js';
import { RegulatoryFactsForm } from './regulatory-facts-form.js';

const STATUS_COLORS = { running: 'blue', met: 'teal', met_late: 'yellow', missed: 'red', stopped: 'gray' } as const;
const SOON_MS = 15 * 60_000;

function Countdown({ c, now }: { c: ObligationClock; now: number }) {
  const { t } = useTranslation();
  if (c.status !== 'running' && c.status !== 'missed') return <Text size="sm">—</Text>;
  if (!c.due) return <Text size="sm">{t('obligations.dueUnknown')}</Text>;
  // Missed is the server's word (its clock); a viewer whose clock is behind still reads it as overdue.
  const left = c.status === 'missed' ? Math.min(Date.parse(c.due) - now, 0) : Date.parse(c.due) - now;
  const color = left < 0 ? 'red' : left < SOON_MS ? 'orange' : undefined;
  return (
    <Text size="sm" ff="monospace" fw={700} c={color} data-testid="reg-clock-countdown">
      {left < 0
        ? t('obligations.overdueBy', { time: formatDuration(-left, t('clock.dayUnit')) })
        : formatDuration(left, t('clock.dayUnit'))}
    </Text>
  );
}

function ClockRow({ c, now }: { c: ObligationClock; now: number }) {
  const { t, i18n } = useTranslation();
  const [why, setWhy] = useState(false);
  const lang = i18n.language;
  return (
    <>
      <Table.Tr data-testid="reg-clock" data-obligation={c.obligation} data-stage={c.stage} data-status={c.status}>
        <Table.Td>
          <Text size="sm" fw={500}>
            {pick(c.title, lang, c.obligation)}
          </Text>
          <Text size="xs" c="dimmed">
            {pick(c.stageTitle, lang, c.stage)}
            {c.applies === 'unknown' && ` · ${t('obligations.mayApply')}`}
          </Text>
        </Table.Td>
        <Table.Td>
          <Text size="xs" className="tocsin-break">
            {pick(c.recipient, lang, '')}
          </Text>
        </Table.Td>
        <Table.Td>
          <Text size="sm" data-testid="reg-clock-due">
            {c.due ? formatDateTime(c.due, lang) : t('obligations.dueUnknown')}
          </Text>
          {c.submittedAt && (
            <Text size="xs" c="dimmed">
              {t('obligations.submittedAt', { at: formatDateTime(c.submittedAt, lang) })}
            </Text>
          )}
        </Table.Td>
        <Table.Td>
          <Countdown c={c} now={now} />
        </Table.Td>
        <Table.Td>
          <Stack gap={4}>
            <Badge size="sm" color={STATUS_COLORS[c.status]} data-testid="reg-clock-status">
              {t(`obligations.status.${c.status}`)}
            </Badge>
            <Group gap={4}>
              {c.warnings.map((w) => (
                <Tooltip key={w.point} label={formatDateTime(w.firedAt, lang, true)}>
                  <Badge
                    size="xs"
                    variant="light"
                    color={w.point === 'missed' ? 'red' : 'orange'}
                    data-testid="reg-clock-warning"
                    data-point={w.point}
                  >
                    {w.point === 'missed' ? t('obligations.missedPaged') : t('obligations.warned', { point: w.point })}
                    {w.paged ? ` · ${t('obligations.paged')}` : ''}
                  </Badge>
                </Tooltip>
              ))}
            </Group>
          </Stack>
        </Table.Td>
        <Table.Td>
          <Button size="compact-xs" variant="subtle" onClick={() => setWhy((v) => !v)} data-testid="reg-clock-why">
            {t('obligations.why')}
          </Button>
        </Table.Td>
      </Table.Tr>
      {why && (
        <Table.Tr>
          <Table.Td colSpan={6}>
            <Text size="xs" c="dimmed" className="tocsin-break">
              {pick(c.why, lang, '')}
            </Text>
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}

export function RegulatoryClocksCard({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  const query = useIncidentObligations(incidentKey);
  const canRecord = useCan('obligation.facts');
  const [editing, setEditing] = useState(false);
  const now = useNow(1000);
  return (
    <Card withBorder radius="md" data-testid="regulatory-clocks">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Title order={4}>{t('obligations.title')}</Title>
            <Text size="xs" c="dimmed" data-testid="reg-clock-zone">
              {t('obligations.zone', { zone: displayTimeZone() })}
            </Text>
          </Stack>
          {canRecord && (
            <Button size="xs" variant="light" onClick={() => setEditing((v) => !v)} data-testid="reg-facts-toggle">
              {t('obligations.recordFacts')}
            </Button>
          )}
        </Group>
        <QueryView query={query}>
          {(data) => (
            <Stack gap="sm">
              {editing && canRecord && (
                <RegulatoryFactsForm incidentKey={incidentKey} data={data} onDone={() => setEditing(false)} />
              )}
              {data.clocks.length === 0 ? (
                <EmptyState compact testId="reg-clocks-none">
                  {t('obligations.none')}
                </EmptyState>
              ) : (
                <Table.ScrollContainer minWidth={760}>
                  <Table verticalSpacing={6}>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('obligations.obligation')}</Table.Th>
                        <Table.Th w="26%">{t('obligations.to')}</Table.Th>
                        <Table.Th>{t('obligations.due')}</Table.Th>
                        <Table.Th>{t('obligations.left')}</Table.Th>
                        <Table.Th>{t('obligations.state')}</Table.Th>
                        <Table.Th />
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.clocks.map((c) => (
                        <ClockRow key={c.id} c={c} now={now} />
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
            </Stack>
          )}
        </QueryView>
      </Stack>
    </Card>
  );
}
