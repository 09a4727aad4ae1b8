/** One alert in the queue: level, status, repeat count, rule, entities, incident, last seen, and the actions. */
import { Anchor, Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Alert } from '../../app/types.js';
import { AlertStatusBadge, LevelBadge } from '../../ui/badges.js';
import { alertRuleTitle } from '../../ui/localized.js';
import { formatDateTime } from '../../ui/time.js';
import { AlertActions, EntityBadges, GroupLine } from './alert-parts.js';

export function AlertRow({ alert }: { alert: Alert }) {
  const { t, i18n } = useTranslation();
  return (
    <Paper withBorder p="sm" radius="md" data-testid="alert-row" data-id={alert.id} data-status={alert.status}>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        <Stack gap={4} style={{ flex: 1, minWidth: 240 }}>
          <Group gap="xs" wrap="wrap">
            <LevelBadge level={alert.level} size="sm" />
            <AlertStatusBadge status={alert.status} size="sm" />
            {alert.count > 1 && (
              <Badge
                size="sm"
                variant="default"
                title={t('alerts.seenTitle', { count: alert.count, events: alert.eventCount })}
                data-testid="alert-count"
              >
                {t('alerts.seen', { count: alert.count })}
              </Badge>
            )}
            <Text size="xs" c="dimmed">
              {t(`alertKind.${alert.kind}`)}
            </Text>
          </Group>
          <Anchor
            component={Link}
            to={`/alerts/${encodeURIComponent(alert.id)}`}
            fw={600}
            c="inherit"
            className="tocsin-break"
            data-testid="alert-row-title"
          >
            {alertRuleTitle(alert, i18n.language)}
          </Anchor>
          <GroupLine group={alert.group} />
          <EntityBadges entities={alert.entities} />
          <Group gap={6} wrap="wrap">
            {alert.incident ? (
              <Anchor
                component={Link}
                to={`/incidents/${encodeURIComponent(alert.incident.key)}`}
                size="xs"
                ff="monospace"
                data-testid="alert-row-incident"
              >
                {alert.incident.key}
              </Anchor>
            ) : (
              <Text size="xs" c="dimmed">
                {t('alerts.noIncident')}
              </Text>
            )}
            <Text size="xs" c="dimmed">
              ·
            </Text>
            <Text size="xs" c="dimmed">
              {t('alerts.lastSeen')}{' '}
              <time dateTime={alert.lastSeenAt}>{formatDateTime(alert.lastSeenAt, i18n.language, true)}</time>
            </Text>
          </Group>
          {alert.heldBy && (
            <Text size="xs" c="violet.8" className="tocsin-break" data-testid="alert-held">
              {t(`alerts.heldBy.${alert.heldBy.kind}`, {
                reason: alert.heldBy.reasonWithheld ? t('alerts.reasonWithheld') : alert.heldBy.reason,
              })}
            </Text>
          )}
        </Stack>
        <AlertActions alert={alert} />
      </Group>
    </Paper>
  );
}
