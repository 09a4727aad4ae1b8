/** One incident as a row of the dense table: key, grade, status, title (to the war room), commander, services, open for, last update. */
import { Anchor, Group, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Incident } from '../../app/types.js';
import { GradeBadge, RestrictedBadge, StatusBadge } from '../../ui/badges.js';
import { useServiceName } from '../../ui/enum-options.js';
import { incidentTitle } from '../../ui/localized.js';
import { useIncidentTimes } from './incident-times.js';

/** A badge is never cut to "已…" in a narrow column. */
const WHOLE = { minWidth: 'max-content' } as const;

export const warRoomPath = (key: string) => `/incidents/${encodeURIComponent(key)}`;

export function IncidentRow({ incident, now }: { incident: Incident; now: number }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const serviceName = useServiceName();
  const times = useIncidentTimes(incident, now);
  const to = warRoomPath(incident.key);
  return (
    <Table.Tr
      data-testid="incident-row"
      data-key={incident.key}
      data-status={incident.status}
      style={{ cursor: 'pointer' }}
      // the key and title are the links; a click elsewhere on the row goes to the same place
      onClick={(e) => {
        if (!(e.target as HTMLElement).closest('a') && !window.getSelection()?.toString()) void navigate(to);
      }}
    >
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Anchor component={Link} to={to} ff="monospace" fw={600} size="sm" c="inherit" data-testid="incident-row-key">
          {incident.key}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <GradeBadge grade={incident.grade} short size="sm" style={WHOLE} />
      </Table.Td>
      <Table.Td>
        <StatusBadge status={incident.status} size="sm" style={WHOLE} />
      </Table.Td>
      <Table.Td style={{ minWidth: 220 }}>
        <Group gap={6} wrap="nowrap" align="baseline">
          {incident.restricted && <RestrictedBadge size="xs" style={{ flexShrink: 0 }} />}
          <Anchor
            component={Link}
            to={to}
            fw={600}
            size="sm"
            c="inherit"
            className="tocsin-break"
            lineClamp={2}
            data-testid="incident-row-title"
          >
            {incidentTitle(incident, i18n.language)}
          </Anchor>
        </Group>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        {incident.commander ? (
          <Text size="sm" data-testid="incident-row-commander">
            {incident.commander.name}
          </Text>
        ) : (
          <Text size="sm" c="orange.8" data-testid="incident-row-commander" data-none>
            {t('incidents.noCommander')}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm" className="tocsin-break" data-testid="incident-row-services">
          {incident.services.length ? incident.services.map(serviceName).join(t('common.listSeparator')) : '—'}
        </Text>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Text size="sm" title={times.ageTitle}>
          <time dateTime={incident.milestones.detectedAt} data-testid="incident-row-age">
            {times.age}
          </time>
        </Text>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Group gap={4} wrap="nowrap">
          <Text
            size="sm"
            c={times.stale ? 'orange.8' : undefined}
            fw={times.stale ? 600 : undefined}
            title={times.updatedTitle}
          >
            <time dateTime={incident.lastActivityAt} data-testid="incident-row-updated">
              {times.updated}
            </time>
          </Text>
          {times.stale && (
            <Text
              span
              size="sm"
              c="orange.8"
              title={t('incidents.stale')}
              aria-label={t('incidents.stale')}
              data-testid="incident-row-stale"
            >
              ⚠
            </Text>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
