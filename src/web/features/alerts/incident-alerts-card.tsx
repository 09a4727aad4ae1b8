/** The war room's "Alerts" card: the incident's alerts, most recently seen first, live. */
import { Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { AlertStatusBadge, LevelBadge } from '../../ui/badges.js';
import { alertRuleTitle } from '../../ui/localized.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { EntityBadges, GroupLine } from './alert-parts.js';
import { useIncidentAlerts } from './alerts-api.js';

export function IncidentAlertsCard({ incidentKey }: { incidentKey: string }) {
  const { t, i18n } = useTranslation();
  const alerts = useIncidentAlerts(incidentKey);
  const items = alerts.data?.items ?? [];
  return (
    <Card withBorder radius="md" data-testid="incident-alerts">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4}>{t('alerts.card.title')}</Title>
          {items.length > 0 && (
            <Badge variant="light" color="gray" data-testid="incident-alerts-count">
              {alerts.data?.next ? `${items.length}+` : items.length}
            </Badge>
          )}
        </Group>
        <QueryView query={alerts} keepOnError compact>
          {(page) =>
            page.items.length === 0 ? (
              <EmptyState compact>{t('alerts.card.empty')}</EmptyState>
            ) : (
              page.items.map((a) => (
                <Stack key={a.id} gap={4} data-testid="incident-alert" data-id={a.id}>
                  <Group gap={6} wrap="wrap">
                    <LevelBadge level={a.level} size="xs" />
                    <AlertStatusBadge status={a.status} size="xs" />
                    {a.count > 1 && (
                      <Badge size="xs" variant="default">
                        {t('alerts.seen', { count: a.count })}
                      </Badge>
                    )}
                    <Text size="xs" c="dimmed">
                      {formatDateTime(a.lastSeenAt, i18n.language, true)}
                    </Text>
                  </Group>
                  <Anchor
                    component={Link}
                    to={`/alerts/${encodeURIComponent(a.id)}`}
                    size="sm"
                    fw={500}
                    className="tocsin-break"
                    data-testid="incident-alert-title"
                  >
                    {alertRuleTitle(a, i18n.language)}
                  </Anchor>
                  <GroupLine group={a.group} />
                  <EntityBadges entities={a.entities} max={4} size="xs" />
                </Stack>
              ))
            )
          }
        </QueryView>
      </Stack>
    </Card>
  );
}
