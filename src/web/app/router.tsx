/** Routes of the signed-in console. */
import type { ComponentType } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { NotFoundPage } from './not-found-page.js';
import { Shell } from './shell.js';

/**
 * A page's module, loaded when its route is first opened (React Router's route `lazy`): the console's
 * first load (the sign-in form, the shell) carries no page, and each page brings only its own code —
 * a browser parsed 2.2 MB of script before the sign-in form showed (about a second of CPU on a slow
 * machine, for every new session).
 */
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return async () => ({ Component: (await load())[name] });
}

/** The incident list: the console's home and /incidents. */
const incidentList = page(() => import('../features/incidents/incident-list-page.js'), 'IncidentListPage');

const router = createBrowserRouter([
  {
    path: '/',
    element: <Shell />,
    children: [
      { index: true, lazy: incidentList },
      { path: 'incidents', lazy: incidentList },
      { path: 'incidents/:key', lazy: page(() => import('../features/war-room/war-room-page.js'), 'WarRoomPage') },
      {
        path: 'incidents/:key/compensation',
        lazy: page(() => import('../features/compensation/compensation-page.js'), 'CompensationPage'),
      },
      {
        path: 'incidents/:key/evidence',
        lazy: page(() => import('../features/evidence/evidence-page.js'), 'EvidencePage'),
      },
      {
        path: 'incidents/:key/graph',
        lazy: page(() => import('../features/entity-graph/entity-graph-page.js'), 'EntityGraphPage'),
      },
      {
        path: 'incidents/:key/investigation-report',
        lazy: page(
          () => import('../features/investigation-report/investigation-report-page.js'),
          'InvestigationReportPage',
        ),
      },
      { path: 'alerts', lazy: page(() => import('../features/alerts/alert-queue-page.js'), 'AlertQueuePage') },
      { path: 'alerts/:id', lazy: page(() => import('../features/alerts/alert-detail-page.js'), 'AlertDetailPage') },
      { path: 'suppressions', lazy: page(() => import('../features/alerts/suppressions-page.js'), 'SuppressionsPage') },
      { path: 'services', lazy: page(() => import('../features/services/services-page.js'), 'ServicesPage') },
      { path: 'rules', lazy: page(() => import('../features/rules/rules-page.js'), 'RulesPage') },
      { path: 'rules/:id', lazy: page(() => import('../features/rules/rule-detail-page.js'), 'RuleDetailPage') },
      { path: 'users', lazy: page(() => import('../features/users/users-page.js'), 'UsersPage') },
      {
        path: 'access-review',
        lazy: page(() => import('../features/access-review/access-review-page.js'), 'AccessReviewPage'),
      },
      { path: 'audit', lazy: page(() => import('../features/audit/audit-page.js'), 'AuditPage') },
      { path: 'security', lazy: page(() => import('../features/security/security-page.js'), 'SecurityPage') },
      { path: 'settings', lazy: page(() => import('../features/settings/settings-page.js'), 'SettingsPage') },
      { path: 'jobs', lazy: page(() => import('../features/jobs/jobs-page.js'), 'JobsPage') },
      { path: 'plans', lazy: page(() => import('../features/plans/plans-page.js'), 'PlansPage') },
      { path: 'plans/:id', lazy: page(() => import('../features/plans/plan-page.js'), 'PlanPage') },
      { path: 'connectors', lazy: page(() => import('../features/connectors/connectors-page.js'), 'ConnectorsPage') },
      { path: 'oncall', lazy: page(() => import('../features/oncall/oncall-page.js'), 'OncallPage') },
      { path: 'statements', lazy: page(() => import('../features/statements/statements-page.js'), 'StatementsPage') },
      { path: 'statements/:id', lazy: page(() => import('../features/statements/statement-page.js'), 'StatementPage') },
      {
        path: 'status-site',
        lazy: page(() => import('../features/status-site/status-site-page.js'), 'StatusSitePage'),
      },
      { path: 'media', lazy: page(() => import('../features/media/media-desk-page.js'), 'MediaDeskPage') },
      {
        path: 'inquiries',
        lazy: page(() => import('../features/inquiries/inquiry-inbox-page.js'), 'InquiryInboxPage'),
      },
      { path: 'campaigns/:id', lazy: page(() => import('../features/campaigns/campaign-page.js'), 'CampaignPage') },
      { path: 'customers', lazy: page(() => import('../features/customers/customers-page.js'), 'CustomersPage') },
      {
        path: 'customers/import',
        lazy: page(() => import('../features/customers/import-wizard.js'), 'ImportWizardPage'),
      },
      {
        path: 'customers/:customerNo',
        lazy: page(() => import('../features/customers/customer-page.js'), 'CustomerPage'),
      },
      { path: 'worklist', lazy: page(() => import('../features/owners/worklist-page.js'), 'WorklistPage') },
      {
        path: 'investigation-requests',
        lazy: page(() => import('../features/investigation/requests-page.js'), 'RequestsPage'),
      },
      { path: 'incidents/:key/review', lazy: page(() => import('../features/reviews/review-page.js'), 'ReviewPage') },
      { path: 'reviews', lazy: page(() => import('../features/reviews/reviews-page.js'), 'ReviewsPage') },
      { path: 'action-items', lazy: page(() => import('../features/reviews/action-items-page.js'), 'ActionItemsPage') },
      {
        path: 'vulnerabilities',
        lazy: page(() => import('../features/vulnerabilities/vuln-page.js'), 'VulnerabilitiesPage'),
      },
      { path: 'risks', lazy: page(() => import('../features/risk/risks-page.js'), 'RisksPage') },
      { path: 'training', lazy: page(() => import('../features/training/training-page.js'), 'TrainingPage') },
      {
        path: 'management-reports',
        lazy: page(() => import('../features/management-reports/management-reports-page.js'), 'ManagementReportsPage'),
      },
      { path: 'drills', lazy: page(() => import('../features/drills/drills-page.js'), 'DrillsPage') },
      { path: 'drills/:id', lazy: page(() => import('../features/drills/drill-page.js'), 'DrillPage') },
      { path: 'dashboards', lazy: page(() => import('../features/kpi/dashboards-page.js'), 'DashboardsPage') },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
