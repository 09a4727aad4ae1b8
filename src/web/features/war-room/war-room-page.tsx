/** The war room of one incident at /incidents/:key — live header, timeline, tasks, participants and facts. */
import { Center, Grid, Loader, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { incidentTitle } from '../../ui/localized.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { IncidentAlertsCard } from '../alerts/incident-alerts-card.js';
import { FactsCard } from './facts-card.js';
import { ParticipantsCard } from './participants-card.js';
import { TasksCard } from './tasks-card.js';
import { TimelineCard } from './timeline-card.js';
import { useIncident } from './war-room-api.js';
import { WarRoomHeader } from './war-room-header.js';

export function WarRoomPage() {
  const { key = '' } = useParams();
  const incident = useIncident(key);
  const canReadAlerts = useCan('alert.read');
  const { i18n } = useTranslation();
  usePageTitle(incident.data && `${incident.data.key} · ${incidentTitle(incident.data, i18n.language)}`);

  if (incident.isPending) {
    return (
      <Center p="xl">
        <Loader />
      </Center>
    );
  }
  if (incident.isError) return <ProblemAlert error={incident.error} />;

  const data = incident.data;
  return (
    <Stack gap="md" data-testid="warroom" data-key={data.key}>
      <WarRoomHeader incident={data} />
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, md: 7, lg: 8 }}>
          <TimelineCard incidentKey={data.key} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5, lg: 4 }}>
          <Stack gap="md">
            <TasksCard incidentKey={data.key} />
            {canReadAlerts && <IncidentAlertsCard incidentKey={data.key} />}
            <ParticipantsCard incident={data} />
            <FactsCard incident={data} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
