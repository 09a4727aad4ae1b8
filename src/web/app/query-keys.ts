/**
 * Every query key of the console, for features and the live-update stream alike: a key is written here
 * once, and lists sit under a prefix (`incidentLists`, `alertLists`, `rules` ...) that invalidates them all.
 */
type Filters = Record<string, string | undefined>;

export const qk = {
  session: ['session'] as const,
  services: ['services'] as const,
  serviceHealth: ['service-health'] as const,
  users: ['users'] as const,
  userPages: ['users', 'pages'] as const,
  userSignIn: (id: string) => ['users', 'sign-in', id] as const,
  tokens: ['tokens'] as const,
  settings: ['settings'] as const,
  sessionPolicy: ['settings', 'session-policy'] as const,
  incidentLists: ['incidents'] as const,
  incidentList: (filters: Filters) => ['incidents', filters] as const,
  incident: (key: string) => ['incident', key] as const,
  timeline: (key: string) => ['timeline', key] as const,
  tasks: (key: string) => ['tasks', key] as const,
  /** The plans running on an incident (war room). */
  activations: (key: string) => ['activations', key] as const,
  /** Every war room's containment actions. */
  actionLists: ['actions'] as const,
  incidentActions: (key: string) => ['actions', key] as const,
  jobs: ['jobs'] as const,
  jobList: (state: string) => ['jobs', state] as const,
  audit: (filters: Filters) => ['audit', filters] as const,
  alertLists: ['alerts'] as const,
  alertList: (filters: Filters) => ['alerts', filters] as const,
  alert: (id: string) => ['alert', id] as const,
  /** Every war room's alerts card. */
  incidentAlertLists: ['incident-alerts'] as const,
  incidentAlerts: (key: string) => ['incident-alerts', key] as const,
  suppressions: ['suppressions'] as const,
  maintenanceWindows: ['maintenance-windows'] as const,
  /** Everything of detection rules: lists, rules, the compile report, picker searches. */
  rules: ['rules'] as const,
  ruleList: (filters: Filters) => ['rules', 'list', filters] as const,
  rule: (id: string) => ['rules', 'one', id] as const,
  ruleStatus: ['rules', 'status'] as const,
  ruleSearch: (q: string) => ['rules', 'picker', q] as const,
  /** Everything of emergency plans: the list, plans, versions, diffs (the editor's lint results stay apart). */
  plans: ['plans'] as const,
  planList: ['plans', 'list'] as const,
  plan: (id: string) => ['plans', 'one', id] as const,
  planVersion: (id: string, version: number) => ['plans', 'version', id, version] as const,
  planDiff: (id: string, from: number, to: number) => ['plans', 'diff', id, from, to] as const,
  planLint: (source: string) => ['plan-lint', source] as const,
  /** On-call: schedules, their shifts, escalation policies; a person's contact routes. */
  oncall: ['oncall'] as const,
  schedules: ['oncall', 'schedules'] as const,
  shifts: (id: string, from: string) => ['oncall', 'shifts', id, from] as const,
  policies: ['oncall', 'policies'] as const,
  contacts: (userId: string) => ['contacts', userId] as const,
  pages: (key: string) => ['pages', key] as const,
  /** Everything of statements: lists, the inbox, one statement, versions, diffs (the preview stays apart). */
  statements: ['statements'] as const,
  statementList: (filters: Filters) => ['statements', 'list', filters] as const,
  incidentStatements: (key: string) => ['statements', 'incident', key] as const,
  statement: (id: string) => ['statements', 'one', id] as const,
  statementVersions: (id: string) => ['statements', 'versions', id] as const,
  statementDiff: (id: string, version: number, against: number) =>
    ['statements', 'diff', id, version, against] as const,
  statementPreview: (zh: string, en: string) => ['statement-preview', zh, en] as const,
  /** The status site's management: components, groups, maintenance, announcements, subscribers. */
  statusSite: ['status-site'] as const,
  statusComponents: ['status-site', 'components'] as const,
  statusGroups: ['status-site', 'groups'] as const,
  statusMaintenances: (which: string) => ['status-site', 'maintenances', which] as const,
  statusAnnouncements: ['status-site', 'announcements'] as const,
  subscribers: ['status-site', 'subscribers'] as const,
  /** The media desk: the rumor-vs-fact register, media inquiries, FAQ (per incident and across incidents). */
  media: ['media'] as const,
  mediaInquiries: (filters: Filters) => ['media', 'inquiries', filters] as const,
  /** A register: an incident's, or the site-wide one (key ''). */
  facts: (key: string) => ['media', 'facts', key] as const,
  factVersions: (id: string) => ['media', 'fact-versions', id] as const,
  incidentInquiries: (key: string) => ['media', 'incident-inquiries', key] as const,
  mediaSummary: (key: string) => ['media', 'summary', key] as const,
  faq: (key: string) => ['media', 'faq', key] as const,
  /** Impact scoping: everything of an incident's affected-customer sets sits under it. */
  scoping: ['scoping'] as const,
  affectedSets: (key: string) => ['scoping', 'sets', key] as const,
  affectedSet: (id: string, version: number | null) => ['scoping', 'set', id, version] as const,
  affectedMembers: (id: string, version: number | null) => ['scoping', 'members', id, version] as const,
  affectedDiff: (id: string, from: number, to: number) => ['scoping', 'diff', id, from, to] as const,
  /** The access review (issue 17) for a dormancy threshold, and the administrators' security notices. */
  accessReview: (dormantDays: string) => ['access-review', dormantDays] as const,
  securityNotices: ['security-notices'] as const,
};
