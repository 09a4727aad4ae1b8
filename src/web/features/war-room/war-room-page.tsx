/** The war room of one incident at /incidents/:key — live header, timeline, tasks, participants and facts. */
import { Grid, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import type { Incident } from '../../app/types.js';
import { incidentTitle } from '../../ui/localized.js';
import { QueryView } from '../../ui/query-view.js';
import { IncidentAlertsCard } from '../alerts/incident-alerts-card.js';
import { ActionsCard } from './actions-card.js';
import { PagesCard } from '../oncall/pages-card.js';
import { FactsCard } from './facts-card.js';
import { ParticipantsCard } from './participants-card.js';
import { PlansCard } from './plans-card.js';
import { StatementsCard } from '../statements/statements-card.js';
import { TasksCard } from './tasks-card.js';
import { TimelineCard } from './timeline-card.js';
import { useIncident } from './war-room-api.js';
import { WarRoomHeader } from './war-room-header.js';
import { RumorsCard } from '../media/rumors-card.js';
import { InquiriesCard } from '../media/inquiries-card.js';
import { CampaignsCard } from '../campaigns/campaigns-card.js';
import { OwnersCard } from '../owners/owners-card.js';
import { FaqCard } from '../media/faq-card.js';
import { InquiryStatsCard } from '../inquiries/inquiry-stats-card.js';
import { AffectedCustomersCard } from '../scoping/affected-customers-card.js';
import { RegulatoryClocksCard } from '../obligations/regulatory-clocks-card.js';
import { RegulatorReportsCard } from '../reports/regulator-reports-card.js';
import { CompensationCard } from '../compensation/compensation-card.js';
import { AttackTimelineCard } from '../attack-timeline/attack-timeline-card.js';
import { AttackCard } from '../investigation/attack-card.js';
import { EvidenceCard } from '../evidence/evidence-card.js';
import { IocCard } from '../investigation/ioc-card.js';
import { InvestigationReportCard } from '../investigation-report/investigation-report-card.js';
import { ReviewCard } from '../reviews/review-card.js';

export function WarRoomPage() {
  const { key = '' } = useParams();
  const query = useIncident(key);
  const { i18n } = useTranslation();
  usePageTitle(query.data && `${query.data.key} · ${incidentTitle(query.data, i18n.language)}`);
  return <QueryView query={query}>{(incident) => <WarRoom incident={incident} />}</QueryView>;
}

function WarRoom({ incident }: { incident: Incident }) {
  const canReadAlerts = useCan('alert.read');
  const canReadPages = useCan('page.read');
  const canReadInquiries = useCan('inquiry.read');
  const canReadScoping = useCan('scoping.read');
  const canReadObligations = useCan('obligation.read');
  return (
    <Stack gap="md" data-testid="warroom" data-key={incident.key}>
      <WarRoomHeader incident={incident} />
      {canReadObligations && <RegulatoryClocksCard incidentKey={incident.key} />}
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, md: 7, lg: 8 }}>
          <TimelineCard incidentKey={incident.key} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5, lg: 4 }}>
          <Stack gap="md">
            <AttackTimelineCard incidentKey={incident.key} />
            <EvidenceCard incidentKey={incident.key} />
            <InvestigationReportCard incidentKey={incident.key} />
            <ReviewCard incidentKey={incident.key} />
            <PlansCard incidentKey={incident.key} />
            <StatementsCard incidentKey={incident.key} />
            <InquiriesCard incidentKey={incident.key} />
            {canReadInquiries && <InquiryStatsCard incidentKey={incident.key} />}
            <CampaignsCard incidentKey={incident.key} />
            <OwnersCard incidentKey={incident.key} />
            <CompensationCard incidentKey={incident.key} />
            {canReadPages && <PagesCard incidentKey={incident.key} />}
            <ActionsCard incidentKey={incident.key} />
            <TasksCard incidentKey={incident.key} />
            {canReadAlerts && <IncidentAlertsCard incidentKey={incident.key} />}
            <ParticipantsCard incident={incident} />
            <FactsCard incident={incident} />
            <RumorsCard incidentKey={incident.key} />
            <FaqCard incidentKey={incident.key} />
          </Stack>
        </Grid.Col>
      </Grid>
      {canReadScoping && <AffectedCustomersCard incidentKey={incident.key} />}
      <AttackCard incidentKey={incident.key} />
      <IocCard incidentKey={incident.key} />
      <RegulatorReportsCard incidentKey={incident.key} />
    </Stack>
  );
}
