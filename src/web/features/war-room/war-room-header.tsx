/** Top of the war room: key, grade, status, restricted marker, title, clocks and status transitions. */
import { Anchor, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../app/session.js';
import type { Incident } from '../../app/types.js';
import { DrillBadge, GradeBadge, RestrictedBadge, StatusBadge } from '../../ui/badges.js';
import { incidentTitle } from '../../ui/localized.js';
import { EditIncidentButton } from './edit-incident-modal.js';
import { ElapsedClocks } from './elapsed-clocks.js';
import { TransitionButtons } from './transition-buttons.js';

export function WarRoomHeader({ incident }: { incident: Incident }) {
  const { t, i18n } = useTranslation();
  const canTransition = useCan('incident.transition');
  const canEdit = useCan('incident.update');
  const canGraph = useCan('evidence.read');
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Group justify="space-between">
          <Anchor component={Link} to="/incidents" size="sm">
            ← {t('warRoom.back')}
          </Anchor>
          <Group gap="sm">
            {canGraph && (
              <Anchor
                component={Link}
                to={`/incidents/${encodeURIComponent(incident.key)}/graph`}
                size="sm"
                data-testid="warroom-graph-link"
              >
                {t('entityGraph.open')}
              </Anchor>
            )}
            {canEdit && <EditIncidentButton incident={incident} />}
          </Group>
        </Group>
        <Group gap="xs" wrap="wrap">
          <Text ff="monospace" fw={700} data-testid="warroom-key">
            {incident.key}
          </Text>
          <GradeBadge grade={incident.grade} data-testid="warroom-grade" />
          <StatusBadge status={incident.status} data-testid="warroom-status" />
          {incident.restricted && <RestrictedBadge />}
          {incident.drill && <DrillBadge />}
        </Group>
        <Title order={2} fz={{ base: 20, sm: 26 }} className="tocsin-break" data-testid="warroom-title">
          {incidentTitle(incident, i18n.language)}
        </Title>
        <ElapsedClocks incident={incident} />
        {canTransition && <TransitionButtons incident={incident} />}
      </Stack>
    </Paper>
  );
}
