/**
 * The store's tables, one file per concept under tables/, and the Kysely database type over them.
 * Times are epoch milliseconds (UTC); booleans are 0/1; JSON is text.
 */
import type { Kysely } from 'kysely';
import type { IncidentTechniquesTable, InvestigationRequestsTable } from './tables/attack.js';
import type {
  AlertEventsTable,
  AlertGroupsTable,
  AlertMatchesTable,
  AlertsTable,
  MaintenanceWindowsTable,
  SuppressionsTable,
} from './tables/alerts.js';
import type { AuditIncidentsTable, AuditLogTable } from './tables/audit.js';
import type { ServicesTable } from './tables/catalog.js';
import type {
  CountersTable,
  IncidentParticipantsTable,
  IncidentServicesTable,
  IncidentsTable,
  TasksTable,
  TimelineEntriesTable,
} from './tables/incidents.js';
import type { ComplaintsTable, IngestSeenTable } from './tables/ingest.js';
import type { JobsTable, OutboxTable } from './tables/jobs.js';
import type { LeasesTable } from './tables/leases.js';
import type { PlanActionCoverageTable, PlanActivationsTable } from './tables/activations.js';
import type { MetricPointsTable, MetricSeriesTable } from './tables/metrics.js';
import type { EscalationPoliciesTable, OncallSchedulesTable } from './tables/oncall.js';
import type { ContactRoutesTable, PageDeliveriesTable, PagesTable } from './tables/paging.js';
import type { HealthChangesTable, ProbeResultsTable, ProbesTable, ServiceHealthTable } from './tables/probes.js';
import type { RuleHitsTable, RuleStatesTable, RuleUploadsTable } from './tables/rules.js';
import type { StatementReviewsTable, StatementsTable, StatementVersionsTable } from './tables/statements.js';
import type {
  RegulatorReportReceiptsTable,
  RegulatorReportsTable,
  RegulatorReportVersionsTable,
} from './tables/reports.js';
import type {
  ApiTokensTable,
  LoginThrottleTable,
  SessionPolicyTable,
  SessionsTable,
  SignInPairsTable,
  UsersTable,
} from './tables/users.js';
import type { PlansTable, PlanVersionsTable } from './tables/plans.js';
import type { ActionRunsTable, ConnectorsTable } from './tables/connectors.js';
import type {
  StatusAnnouncementUpdatesTable,
  StatusAnnouncementsTable,
  StatusComponentsTable,
  StatusGroupsTable,
  StatusMaintenancesTable,
  StatusOverridesTable,
} from './tables/status.js';
import type { FactChecksTable, FactCheckVersionsTable, FaqEntriesTable, MediaInquiriesTable } from './tables/media.js';
import type { SubscribersTable, SubscriptionThrottleTable } from './tables/subscriptions.js';
import type {
  CustomerEscalationsTable,
  CustomerInquiriesTable,
  InquiryFeedbackTable,
  InquiryMailTable,
  InquiryMessagesTable,
} from './tables/inquiries.js';
import type { CampaignMessagesTable, CampaignsTable } from './tables/campaigns.js';
import type { CustomerAccountsTable, CustomerImportsTable, CustomersTable } from './tables/customers.js';
import type {
  AccountActivityTable,
  AffectedSetMembersTable,
  AffectedSetsTable,
  AffectedSetVersionsTable,
} from './tables/scoping.js';
import type { CustomerOwnersTable, OwnerActivitiesTable, OwnerPoolsTable } from './tables/owners.js';
import type {
  FirmProfileTable,
  IncidentRegulatoryFactsTable,
  ObligationClocksTable,
  ObligationWarningsTable,
} from './tables/obligations.js';
import type {
  CompensationApprovalsTable,
  CompensationClaimEventsTable,
  CompensationClaimsTable,
  CompensationClaimVersionsTable,
  CompensationInputsTable,
  CompensationMediationsTable,
  CompensationPayoutBatchesTable,
  CompensationPayoutItemsTable,
  CompensationPolicyTable,
  CompensationResultsTable,
  CompensationRunsTable,
} from './tables/compensation.js';
import type {
  CompensationAttachmentsTable,
  CompensationNoticesTable,
  CompensationPortalCodesTable,
  CompensationPortalOpeningsTable,
} from './tables/compensation-portal.js';
import type { EvidenceItemsTable } from './tables/evidence.js';
import type { InvestigationReportsTable } from './tables/investigation-report.js';
import type {
  VulnAssetRulesTable,
  VulnEpssTable,
  VulnFindingCvesTable,
  VulnFindingsTable,
  VulnHistoryTable,
  VulnImportsTable,
  VulnKevTable,
  VulnSlaTable,
} from './tables/vulnerabilities.js';
import type { EvidencePackagesTable, SigningKeysTable } from './tables/evidence-packages.js';
import type { IocsTable } from './tables/iocs.js';
import type { ActionItemEventsTable, ActionItemsTable, ReviewsTable } from './tables/reviews.js';
import type {
  RiskHistoryTable,
  RiskIncidentsTable,
  RisksTable,
  TrainingPhishingTable,
  TrainingRecordsTable,
  TrainingRequiredTable,
} from './tables/risk-training.js';
import type { DrillInjectsTable, DrillsTable } from './tables/drills.js';
import type { ManagementReportDeliveriesTable, ManagementReportsTable } from './tables/management-reports.js';
import type {
  ExternalIdentitiesTable,
  OidcLoginsTable,
  ScimGroupMembersTable,
  ScimGroupsTable,
  ScimUsersTable,
  SecurityNoticesTable,
} from './tables/identity.js';

export type * from './tables/alerts.js';
export type * from './tables/audit.js';
export type * from './tables/catalog.js';
export type * from './tables/incidents.js';
export type * from './tables/ingest.js';
export type * from './tables/jobs.js';
export type * from './tables/leases.js';
export type * from './tables/metrics.js';
export type * from './tables/oncall.js';
export type * from './tables/paging.js';
export type * from './tables/probes.js';
export type * from './tables/rules.js';
export type * from './tables/users.js';
export type * from './tables/activations.js';
export type * from './tables/plans.js';
export type * from './tables/connectors.js';
export type * from './tables/status.js';
export type * from './tables/media.js';
export type * from './tables/statements.js';
export type * from './tables/subscriptions.js';
export type * from './tables/customers.js';
export type * from './tables/inquiries.js';
export type * from './tables/campaigns.js';
export type * from './tables/scoping.js';
export type * from './tables/owners.js';
export type * from './tables/obligations.js';
export type * from './tables/reports.js';
export type * from './tables/compensation.js';
export type * from './tables/compensation-portal.js';
export type * from './tables/evidence.js';
export type * from './tables/investigation-report.js';
export type * from './tables/iocs.js';
export type * from './tables/reviews.js';
export type * from './tables/attack.js';
export type * from './tables/evidence-packages.js';
export type * from './tables/vulnerabilities.js';
export type * from './tables/risk-training.js';
export type * from './tables/drills.js';
export type * from './tables/management-reports.js';
export type * from './tables/identity.js';

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  session_policy: SessionPolicyTable;
  api_tokens: ApiTokensTable;
  login_throttle: LoginThrottleTable;
  sign_in_pairs: SignInPairsTable;
  services: ServicesTable;
  counters: CountersTable;
  incidents: IncidentsTable;
  incident_services: IncidentServicesTable;
  incident_participants: IncidentParticipantsTable;
  timeline_entries: TimelineEntriesTable;
  tasks: TasksTable;
  audit_log: AuditLogTable;
  audit_incidents: AuditIncidentsTable;
  ingest_seen: IngestSeenTable;
  complaints: ComplaintsTable;
  alerts: AlertsTable;
  alert_events: AlertEventsTable;
  suppressions: SuppressionsTable;
  maintenance_windows: MaintenanceWindowsTable;
  alert_groups: AlertGroupsTable;
  alert_matches: AlertMatchesTable;
  metric_series: MetricSeriesTable;
  metric_points: MetricPointsTable;
  probes: ProbesTable;
  probe_results: ProbeResultsTable;
  service_health: ServiceHealthTable;
  health_changes: HealthChangesTable;
  rule_uploads: RuleUploadsTable;
  rule_states: RuleStatesTable;
  rule_hits: RuleHitsTable;
  jobs: JobsTable;
  outbox: OutboxTable;
  leases: LeasesTable;
  oncall_schedules: OncallSchedulesTable;
  escalation_policies: EscalationPoliciesTable;
  plan_activations: PlanActivationsTable;
  plan_action_coverage: PlanActionCoverageTable;
  plans: PlansTable;
  plan_versions: PlanVersionsTable;
  connectors: ConnectorsTable;
  action_runs: ActionRunsTable;
  pages: PagesTable;
  page_deliveries: PageDeliveriesTable;
  contact_routes: ContactRoutesTable;
  status_groups: StatusGroupsTable;
  status_components: StatusComponentsTable;
  status_overrides: StatusOverridesTable;
  status_maintenances: StatusMaintenancesTable;
  status_announcements: StatusAnnouncementsTable;
  status_announcement_updates: StatusAnnouncementUpdatesTable;
  fact_checks: FactChecksTable;
  fact_check_versions: FactCheckVersionsTable;
  media_inquiries: MediaInquiriesTable;
  faq_entries: FaqEntriesTable;
  statements: StatementsTable;
  statement_versions: StatementVersionsTable;
  statement_reviews: StatementReviewsTable;
  regulator_reports: RegulatorReportsTable;
  regulator_report_versions: RegulatorReportVersionsTable;
  regulator_report_receipts: RegulatorReportReceiptsTable;
  subscribers: SubscribersTable;
  subscription_throttle: SubscriptionThrottleTable;
  customers: CustomersTable;
  customer_accounts: CustomerAccountsTable;
  customer_inquiries: CustomerInquiriesTable;
  inquiry_messages: InquiryMessagesTable;
  inquiry_feedback: InquiryFeedbackTable;
  campaigns: CampaignsTable;
  campaign_messages: CampaignMessagesTable;
  customer_imports: CustomerImportsTable;
  account_activity: AccountActivityTable;
  affected_sets: AffectedSetsTable;
  affected_set_versions: AffectedSetVersionsTable;
  affected_set_members: AffectedSetMembersTable;
  owner_pools: OwnerPoolsTable;
  customer_owners: CustomerOwnersTable;
  owner_activities: OwnerActivitiesTable;
  inquiry_mail: InquiryMailTable;
  customer_escalations: CustomerEscalationsTable;
  firm_profile: FirmProfileTable;
  incident_regulatory_facts: IncidentRegulatoryFactsTable;
  obligation_clocks: ObligationClocksTable;
  obligation_warnings: ObligationWarningsTable;
  compensation_runs: CompensationRunsTable;
  compensation_results: CompensationResultsTable;
  compensation_claims: CompensationClaimsTable;
  compensation_claim_versions: CompensationClaimVersionsTable;
  compensation_claim_events: CompensationClaimEventsTable;
  compensation_approvals: CompensationApprovalsTable;
  compensation_mediations: CompensationMediationsTable;
  compensation_policy: CompensationPolicyTable;
  compensation_inputs: CompensationInputsTable;
  compensation_payout_batches: CompensationPayoutBatchesTable;
  compensation_payout_items: CompensationPayoutItemsTable;
  compensation_portal_codes: CompensationPortalCodesTable;
  compensation_portal_openings: CompensationPortalOpeningsTable;
  compensation_attachments: CompensationAttachmentsTable;
  compensation_notices: CompensationNoticesTable;
  evidence_items: EvidenceItemsTable;
  iocs: IocsTable;
  incident_techniques: IncidentTechniquesTable;
  investigation_requests: InvestigationRequestsTable;
  investigation_reports: InvestigationReportsTable;
  signing_keys: SigningKeysTable;
  evidence_packages: EvidencePackagesTable;
  reviews: ReviewsTable;
  action_items: ActionItemsTable;
  action_item_events: ActionItemEventsTable;
  vuln_findings: VulnFindingsTable;
  vuln_finding_cves: VulnFindingCvesTable;
  vuln_history: VulnHistoryTable;
  vuln_imports: VulnImportsTable;
  vuln_asset_rules: VulnAssetRulesTable;
  vuln_sla: VulnSlaTable;
  vuln_kev: VulnKevTable;
  vuln_epss: VulnEpssTable;
  risks: RisksTable;
  risk_incidents: RiskIncidentsTable;
  risk_history: RiskHistoryTable;
  training_records: TrainingRecordsTable;
  training_phishing: TrainingPhishingTable;
  training_required: TrainingRequiredTable;
  drills: DrillsTable;
  external_identities: ExternalIdentitiesTable;
  oidc_logins: OidcLoginsTable;
  security_notices: SecurityNoticesTable;
  scim_users: ScimUsersTable;
  scim_groups: ScimGroupsTable;
  scim_group_members: ScimGroupMembersTable;
  drill_injects: DrillInjectsTable;
  management_reports: ManagementReportsTable;
  management_report_deliveries: ManagementReportDeliveriesTable;
}

export type Db = Kysely<Database>;
