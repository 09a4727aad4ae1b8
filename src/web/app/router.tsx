/** Routes of the signed-in console. */
import { lazy, Suspense } from 'react';
import { RequestsPage } from '../features/investigation/requests-page.js';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { AlertDetailPage } from '../features/alerts/alert-detail-page.js';
import { AlertQueuePage } from '../features/alerts/alert-queue-page.js';
import { SuppressionsPage } from '../features/alerts/suppressions-page.js';
import { AuditPage } from '../features/audit/audit-page.js';
import { IncidentListPage } from '../features/incidents/incident-list-page.js';
import { RuleDetailPage } from '../features/rules/rule-detail-page.js';
import { RulesPage } from '../features/rules/rules-page.js';
import { SecurityPage } from '../features/security/security-page.js';
import { SettingsPage } from '../features/settings/settings-page.js';
import { JobsPage } from '../features/jobs/jobs-page.js';
import { OncallPage } from '../features/oncall/oncall-page.js';
import { ServicesPage } from '../features/services/services-page.js';
import { UsersPage } from '../features/users/users-page.js';
import { AccessReviewPage } from '../features/access-review/access-review-page.js';
import { WarRoomPage } from '../features/war-room/war-room-page.js';
import { PlanPage } from '../features/plans/plan-page.js';
import { PlansPage } from '../features/plans/plans-page.js';
import { NotFoundPage } from './not-found-page.js';
import { Shell } from './shell.js';
import { ConnectorsPage } from '../features/connectors/connectors-page.js';
import { StatementPage } from '../features/statements/statement-page.js';
import { StatementsPage } from '../features/statements/statements-page.js';
import { StatusSitePage } from '../features/status-site/status-site-page.js';
import { MediaDeskPage } from '../features/media/media-desk-page.js';
import { InquiryInboxPage } from '../features/inquiries/inquiry-inbox-page.js';
import { CampaignPage } from '../features/campaigns/campaign-page.js';
import { CustomersPage } from '../features/customers/customers-page.js';
import { CustomerPage } from '../features/customers/customer-page.js';
import { ImportWizardPage } from '../features/customers/import-wizard.js';
import { WorklistPage } from '../features/owners/worklist-page.js';
import { CompensationPage } from '../features/compensation/compensation-page.js';
import { EvidencePage } from '../features/evidence/evidence-page.js';
import { InvestigationReportPage } from '../features/investigation-report/investigation-report-page.js';
import { ActionItemsPage } from '../features/reviews/action-items-page.js';
import { ReviewPage } from '../features/reviews/review-page.js';
import { ReviewsPage } from '../features/reviews/reviews-page.js';
import { VulnerabilitiesPage } from '../features/vulnerabilities/vuln-page.js';
import { RisksPage } from '../features/risk/risks-page.js';
import { TrainingPage } from '../features/training/training-page.js';
import { ManagementReportsPage } from '../features/management-reports/management-reports-page.js';
import { DrillsPage } from '../features/drills/drills-page.js';
import { DrillPage } from '../features/drills/drill-page.js';
import { DashboardsPage } from '../features/kpi/dashboards-page.js';

// The graph page carries cytoscape: loaded when it is opened, not with the console.
const EntityGraphPage = lazy(() =>
  import('../features/entity-graph/entity-graph-page.js').then((m) => ({ default: m.EntityGraphPage })),
);

const router = createBrowserRouter([
  {
    path: '/',
    element: <Shell />,
    children: [
      { index: true, element: <IncidentListPage /> },
      { path: 'incidents', element: <IncidentListPage /> },
      { path: 'incidents/:key', element: <WarRoomPage /> },
      { path: 'incidents/:key/compensation', element: <CompensationPage /> },
      { path: 'incidents/:key/evidence', element: <EvidencePage /> },
      {
        path: 'incidents/:key/graph',
        element: (
          <Suspense fallback={null}>
            <EntityGraphPage />
          </Suspense>
        ),
      },
      { path: 'incidents/:key/investigation-report', element: <InvestigationReportPage /> },
      { path: 'alerts', element: <AlertQueuePage /> },
      { path: 'alerts/:id', element: <AlertDetailPage /> },
      { path: 'suppressions', element: <SuppressionsPage /> },
      { path: 'services', element: <ServicesPage /> },
      { path: 'rules', element: <RulesPage /> },
      { path: 'rules/:id', element: <RuleDetailPage /> },
      { path: 'users', element: <UsersPage /> },
      { path: 'access-review', element: <AccessReviewPage /> },
      { path: 'audit', element: <AuditPage /> },
      { path: 'security', element: <SecurityPage /> },
      { path: 'settings', element: <SettingsPage /> },
      { path: 'jobs', element: <JobsPage /> },
      { path: 'plans', element: <PlansPage /> },
      { path: 'plans/:id', element: <PlanPage /> },
      { path: 'connectors', element: <ConnectorsPage /> },
      { path: 'oncall', element: <OncallPage /> },
      { path: 'statements', element: <StatementsPage /> },
      { path: 'statements/:id', element: <StatementPage /> },
      { path: 'status-site', element: <StatusSitePage /> },
      { path: 'media', element: <MediaDeskPage /> },
      { path: 'inquiries', element: <InquiryInboxPage /> },
      { path: 'campaigns/:id', element: <CampaignPage /> },
      { path: 'customers', element: <CustomersPage /> },
      { path: 'customers/import', element: <ImportWizardPage /> },
      { path: 'customers/:customerNo', element: <CustomerPage /> },
      { path: 'worklist', element: <WorklistPage /> },
      { path: 'investigation-requests', element: <RequestsPage /> },
      { path: 'incidents/:key/review', element: <ReviewPage /> },
      { path: 'reviews', element: <ReviewsPage /> },
      { path: 'action-items', element: <ActionItemsPage /> },
      { path: 'vulnerabilities', element: <VulnerabilitiesPage /> },
      { path: 'risks', element: <RisksPage /> },
      { path: 'training', element: <TrainingPage /> },
      { path: 'management-reports', element: <ManagementReportsPage /> },
      { path: 'drills', element: <DrillsPage /> },
      { path: 'drills/:id', element: <DrillPage /> },
      { path: 'dashboards', element: <DashboardsPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
