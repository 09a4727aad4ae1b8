/**
 * The war room's "Attack timeline" card (issue 15): the marks an investigator reads the attack by (first
 * compromise, detection, containment, recovery, and the time from compromise to detection), what the
 * timeline holds, an entity to narrow it to, and the printable page and CSV of it.
 */
import { Anchor, Card, Group, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { AttackTimeline } from '../../../shared/attack-timeline-schemas.js';
import { api, qs } from '../../app/api.js';
import { useCan } from '../../app/session.js';
import { QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { PreserveButton } from '../evidence/preserve-button.js';

const MARKS = ['firstCompromise', 'detection', 'containment', 'recovery'] as const;

function GraphLink({ incidentKey }: { incidentKey: string }) {
  const { t } = useTranslation();
  if (!useCan('evidence.read')) return null;
  return (
    <Anchor
      component={Link}
      to={`/incidents/${encodeURIComponent(incidentKey)}/graph`}
      size="sm"
      data-testid="attack-timeline-graph"
    >
      {t('entityGraph.open')}
    </Anchor>
  );
}

export function AttackTimelineCard({ incidentKey }: { incidentKey: string }) {
  const canRead = useCan('incident.read');
  if (!canRead) return null;
  return <Marks incidentKey={incidentKey} />;
}

function minutesBetween(a: string | null, b: string | null): number | null {
  return a && b ? Math.max(0, Math.round((Date.parse(b) - Date.parse(a)) / 60_000)) : null;
}

function Marks({ incidentKey }: { incidentKey: string }) {
  const { t, i18n } = useTranslation();
  const [entity, setEntity] = useState<string | null>(null);
  const path = `/incidents/${encodeURIComponent(incidentKey)}/attack-timeline`;
  const query = useQuery({
    queryKey: ['attack-timeline', incidentKey, entity],
    queryFn: ({ signal }) => api<AttackTimeline>(`${path}${qs({ entity: entity ?? undefined })}`, { signal }),
  });
  const file = (what: 'print' | 'csv') => `/api/v1${path}/${what}${qs({ entity: entity ?? undefined })}`;
  return (
    <Card withBorder radius="md" data-testid="attack-timeline-card">
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Title order={4}>{t('attackTimeline.title')}</Title>
          <Group gap="sm">
            <GraphLink incidentKey={incidentKey} />
            <Anchor href={file('print')} target="_blank" rel="noopener" size="sm" data-testid="attack-timeline-print">
              {t('attackTimeline.print')}
            </Anchor>
            <Anchor href={file('csv')} download size="sm" data-testid="attack-timeline-csv">
              CSV
            </Anchor>
          </Group>
        </Group>
        <QueryView query={query} compact keepOnError>
          {(tl) => {
            const toDetect = minutesBetween(tl.marks.firstCompromise, tl.marks.detection);
            const counts: Record<string, number> = {};
            for (const i of tl.items) counts[i.kind] = (counts[i.kind] ?? 0) + 1;
            return (
              <Stack gap="xs">
                <SimpleGrid cols={2} spacing={4} verticalSpacing={4}>
                  {MARKS.map((m) => (
                    <Stack key={m} gap={0} data-testid={`mark-${m}`}>
                      <Text size="xs" c="dimmed">
                        {t(`attackTimeline.mark.${m}`)}
                      </Text>
                      <Text size="sm" fw={600}>
                        {tl.marks[m] ? formatDateTime(tl.marks[m], i18n.language) : '—'}
                      </Text>
                    </Stack>
                  ))}
                </SimpleGrid>
                {toDetect !== null && (
                  <Text size="sm" data-testid="time-to-detect">
                    {t('attackTimeline.toDetect', { minutes: toDetect })}
                  </Text>
                )}
                <Text size="xs" c="dimmed">
                  {t('attackTimeline.counts', {
                    events: counts.event ?? 0,
                    alerts: counts.alert ?? 0,
                    actions: counts.action ?? 0,
                    notes: (counts.note ?? 0) + (counts.status ?? 0),
                  })}
                  {counts.evidence ? ` · ${t('attackTimeline.evidenceCount', { count: counts.evidence })}` : ''}
                  {tl.truncated ? ` · ${t('attackTimeline.truncated')}` : ''}
                </Text>
                <Select
                  size="xs"
                  clearable
                  searchable
                  label={t('attackTimeline.entity')}
                  placeholder={t('attackTimeline.allEntities')}
                  data={tl.entities.map((e) => ({
                    value: e.value,
                    label: `${e.value} · ${t(`attackTimeline.kind.${e.kind}`)} · ${e.count}`,
                  }))}
                  value={entity}
                  onChange={setEntity}
                  data-testid="attack-timeline-entity"
                />
                <PreserveButton incidentKey={incidentKey} what={{ timeline: true }} testId="attack-timeline-preserve" />
              </Stack>
            );
          }}
        </QueryView>
      </Stack>
    </Card>
  );
}
