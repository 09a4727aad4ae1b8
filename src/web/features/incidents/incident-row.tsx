/** One incident in the list: key, grade, status, restricted marker, title, category, services, detection time. */
import { Group, Paper, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Incident } from '../../app/types.js';
import { GradeBadge, RestrictedBadge, StatusBadge } from '../../ui/badges.js';
import { useServiceName } from '../../ui/enum-options.js';
import { incidentTitle } from '../../ui/localized.js';
import { displayTimeZone, formatDateTime } from '../../ui/time.js';

export function IncidentRow({ incident }: { incident: Incident }) {
  const { t, i18n } = useTranslation();
  const serviceName = useServiceName();
  return (
    <Paper
      component={Link}
      to={`/incidents/${encodeURIComponent(incident.key)}`}
      withBorder
      p="sm"
      radius="md"
      data-testid="incident-row"
      data-key={incident.key}
      style={{ display: 'block', color: 'inherit', textDecoration: 'none' }}
    >
      <Group gap="xs" wrap="wrap">
        <Text ff="monospace" fw={600} size="sm" data-testid="incident-row-key">
          {incident.key}
        </Text>
        <GradeBadge grade={incident.grade} size="sm" />
        <StatusBadge status={incident.status} size="sm" />
        {incident.restricted && <RestrictedBadge size="sm" />}
      </Group>
      <Text fw={600} mt={4} className="tocsin-break" data-testid="incident-row-title">
        {incidentTitle(incident, i18n.language)}
      </Text>
      <Group justify="space-between" gap="xs" mt={2} wrap="wrap">
        <Text size="xs" c="dimmed" className="tocsin-break">
          {t(`category.${incident.category}`)}
          {incident.services.length > 0 && ` · ${incident.services.map(serviceName).join(t('common.listSeparator'))}`}
        </Text>
        <Text size="xs" c="dimmed" title={`${t('incident.detectedAt')} (${displayTimeZone()})`}>
          {t('incident.detectedAt')}{' '}
          <time dateTime={incident.milestones.detectedAt} data-testid="incident-row-detected">
            {formatDateTime(incident.milestones.detectedAt, i18n.language)}
          </time>
        </Text>
      </Group>
    </Paper>
  );
}
