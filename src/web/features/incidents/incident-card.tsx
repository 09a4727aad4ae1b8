/** One incident on a phone: the same facts as a table row, stacked (key, grade, status, title, commander, services, times). */
import { Group, Paper, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Incident } from '../../app/types.js';
import { GradeBadge, RestrictedBadge, StatusBadge } from '../../ui/badges.js';
import { useServiceName } from '../../ui/enum-options.js';
import { incidentTitle } from '../../ui/localized.js';
import { warRoomPath } from './incident-row.js';
import { useIncidentTimes } from './incident-times.js';

export function IncidentCard({ incident, now }: { incident: Incident; now: number }) {
  const { t, i18n } = useTranslation();
  const serviceName = useServiceName();
  const times = useIncidentTimes(incident, now);
  return (
    <Paper
      component={Link}
      to={warRoomPath(incident.key)}
      withBorder
      p="xs"
      radius="sm"
      data-testid="incident-row"
      data-key={incident.key}
      data-status={incident.status}
      style={{ display: 'block', color: 'inherit', textDecoration: 'none' }}
    >
      <Group gap={6} wrap="wrap">
        <Text ff="monospace" fw={600} size="sm" data-testid="incident-row-key">
          {incident.key}
        </Text>
        <GradeBadge grade={incident.grade} size="sm" />
        <StatusBadge status={incident.status} size="sm" />
        {incident.restricted && <RestrictedBadge size="sm" />}
      </Group>
      <Text fw={600} size="sm" mt={2} className="tocsin-break" lineClamp={2} data-testid="incident-row-title">
        {incidentTitle(incident, i18n.language)}
      </Text>
      <Text size="xs" c="dimmed" className="tocsin-break">
        <span data-testid="incident-row-commander">{incident.commander?.name ?? t('incidents.noCommander')}</span>
        {incident.services.length > 0 && ` · ${incident.services.map(serviceName).join(t('common.listSeparator'))}`}
      </Text>
      <Text size="xs" c="dimmed">
        {t('incidents.col.age')}{' '}
        <time dateTime={incident.milestones.detectedAt} title={times.ageTitle} data-testid="incident-row-age">
          {times.age}
        </time>
        {' · '}
        {t('incidents.col.updated')}{' '}
        <Text span size="xs" c={times.stale ? 'orange.8' : undefined} fw={times.stale ? 600 : undefined}>
          <time dateTime={incident.lastActivityAt} title={times.updatedTitle} data-testid="incident-row-updated">
            {times.updated}
          </time>
        </Text>
      </Text>
    </Paper>
  );
}
