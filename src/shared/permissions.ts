/** The permission matrix: which role may do what, and which API-token scope each action needs. */
import { type TokenScope, type UserRole, USER_ROLES } from './enums.js';

/** Granted to every role (reading what every staff member needs to follow an incident). */
const EVERY_ROLE = USER_ROLES;

export const PERMISSIONS = {
  'incident.read': {
    scope: 'read',
    roles: EVERY_ROLE,
  },
  'incident.create': { scope: 'write', roles: ['admin', 'incident_commander', 'responder'] },
  'incident.update': { scope: 'write', roles: ['admin', 'incident_commander', 'responder'] },
  'incident.transition': { scope: 'write', roles: ['admin', 'incident_commander', 'responder'] },
  'incident.participants': { scope: 'write', roles: ['admin', 'incident_commander'] },
  'timeline.write': {
    scope: 'write',
    roles: ['admin', 'incident_commander', 'responder', 'communications', 'customer_service', 'compliance'],
  },
  'task.write': {
    scope: 'write',
    roles: ['admin', 'incident_commander', 'responder', 'communications', 'customer_service', 'compliance'],
  },
  'service.read': {
    scope: 'read',
    roles: EVERY_ROLE,
  },
  'service.manage': { scope: 'admin', roles: ['admin'] },
  'user.read': {
    scope: 'read',
    roles: EVERY_ROLE,
  },
  'user.manage': { scope: 'admin', roles: ['admin'] },
  'token.own': {
    scope: 'admin',
    roles: EVERY_ROLE,
  },
  'token.manage': { scope: 'admin', roles: ['admin'] },
  'audit.read': { scope: 'read', roles: ['admin', 'auditor'] },
  'event.ingest': { scope: 'events', roles: ['admin', 'responder', 'incident_commander'] },
  'complaint.create': { scope: 'events', roles: ['admin', 'incident_commander', 'responder', 'customer_service'] },
  'alert.read': {
    scope: 'read',
    roles: EVERY_ROLE,
  },
  'alert.manage': { scope: 'write', roles: ['admin', 'incident_commander', 'responder'] },
  'metric.ingest': { scope: 'events', roles: ['admin', 'responder', 'incident_commander'] },
  'metric.read': {
    scope: 'read',
    roles: EVERY_ROLE,
  },
  'probe.manage': { scope: 'admin', roles: ['admin', 'incident_commander'] },
  'rule.read': {
    scope: 'read',
    roles: EVERY_ROLE,
  },
  'rule.manage': { scope: 'admin', roles: ['admin', 'incident_commander'] },
  'settings.read': { scope: 'admin', roles: ['admin', 'auditor'] },
  // The session policy (issue 17): timeouts, allow-lists, token lifetimes; administrators only.
  'session_policy.read': { scope: 'admin', roles: ['admin'] },
  'session_policy.manage': { scope: 'admin', roles: ['admin'] },
  'job.read': { scope: 'admin', roles: ['admin'] },
  'job.manage': { scope: 'admin', roles: ['admin'] },
  'plan.run': { scope: 'write', roles: ['admin', 'incident_commander', 'responder'] },
  'plan.read': {
    scope: 'read',
    roles: EVERY_ROLE,
  },
  'plan.manage': { scope: 'admin', roles: ['admin', 'incident_commander'] },
  'plan.approve': { scope: 'admin', roles: ['admin', 'incident_commander'] },
  'connector.read': { scope: 'read', roles: ['admin', 'incident_commander', 'responder'] },
  'connector.manage': { scope: 'admin', roles: ['admin'] },
  'action.read': {
    scope: 'read',
    roles: EVERY_ROLE,
  },
  'action.request': { scope: 'write', roles: ['admin', 'incident_commander', 'responder'] },
  'action.approve': { scope: 'write', roles: ['admin', 'incident_commander', 'responder'] },
  'oncall.read': {
    scope: 'read',
    roles: EVERY_ROLE,
  },
  'oncall.manage': { scope: 'admin', roles: ['admin', 'incident_commander'] },
  'page.read': {
    scope: 'read',
    roles: EVERY_ROLE,
  },
  'page.create': { scope: 'write', roles: ['admin', 'incident_commander', 'responder'] },
  'page.ack': {
    scope: 'write',
    roles: ['admin', 'incident_commander', 'responder', 'communications', 'customer_service', 'compliance'],
  },
  'contact.own': {
    scope: 'write',
    roles: EVERY_ROLE,
  },
  'status.read': {
    scope: 'read',
    roles: EVERY_ROLE,
  },
  'status.manage': { scope: 'write', roles: ['admin', 'incident_commander', 'communications'] },
  'media.read': {
    scope: 'read',
    roles: EVERY_ROLE,
  },
  'media.manage': { scope: 'write', roles: ['admin', 'incident_commander', 'communications', 'customer_service'] },
  'statement.read': {
    scope: 'read',
    roles: EVERY_ROLE,
  },
  'statement.draft': {
    scope: 'write',
    roles: ['admin', 'incident_commander', 'communications', 'customer_service', 'compliance'],
  },
  'statement.review': { scope: 'write', roles: ['admin', 'incident_commander', 'communications', 'compliance'] },
  'statement.publish': { scope: 'write', roles: ['admin', 'incident_commander', 'communications'] },
  'subscriber.read': { scope: 'read', roles: ['admin', 'communications'] },
  'subscriber.manage': { scope: 'admin', roles: ['admin', 'communications'] },
  'inquiry.read': {
    scope: 'read',
    roles: ['admin', 'incident_commander', 'communications', 'customer_service', 'compliance', 'executive'],
  },
  'inquiry.manage': { scope: 'write', roles: ['admin', 'incident_commander', 'communications', 'customer_service'] },
  'inquiry.create': { scope: 'events', roles: ['admin', 'incident_commander', 'communications', 'customer_service'] },
  'campaign.read': {
    scope: 'read',
    roles: ['admin', 'incident_commander', 'communications', 'customer_service', 'compliance', 'auditor'],
  },
  'campaign.manage': { scope: 'write', roles: ['admin', 'incident_commander', 'communications', 'customer_service'] },
  'campaign.launch': { scope: 'write', roles: ['admin', 'incident_commander', 'communications'] },
  // Customers (issue 12): masked lists for those who talk to customers; the CRM's machine token needs `events`
  // (like other feeds into Tocsin); the clear values only for customer service and administrators.
  'customer.read': {
    scope: 'read',
    roles: ['admin', 'incident_commander', 'communications', 'customer_service', 'compliance'],
  },
  'customer.manage': { scope: 'events', roles: ['admin', 'customer_service'] },
  'customer.reveal': { scope: 'write', roles: ['admin', 'customer_service'] },
  'scoping.read': {
    scope: 'read',
    roles: [
      'admin',
      'incident_commander',
      'responder',
      'customer_service',
      'communications',
      'compliance',
      'executive',
    ],
  },
  'scoping.manage': { scope: 'write', roles: ['admin', 'incident_commander', 'responder', 'customer_service'] },
  'owner.read': {
    scope: 'read',
    roles: ['admin', 'incident_commander', 'communications', 'customer_service', 'compliance', 'executive'],
  },
  /** Pools (who serves which branch or tier) and acting on any owner's case. */
  'owner.manage': { scope: 'write', roles: ['admin', 'incident_commander', 'communications'] },
  /**
   * Assigning the incident's customers to owners and reassigning one (with a reason): the daily work of
   * a customer-service lead, narrower than `owner.manage` (no pools, no acting on others' cases).
   */
  'owner.assign': { scope: 'write', roles: ['admin', 'incident_commander', 'communications', 'customer_service'] },
  // Regulator reports (issue 13): compliance drafts, reviews and files them; the incident's leaders draft too.
  'report.read': {
    scope: 'read',
    roles: ['admin', 'incident_commander', 'compliance', 'executive', 'auditor'],
  },
  'report.draft': { scope: 'write', roles: ['admin', 'incident_commander', 'compliance'] },
  'report.approve': { scope: 'write', roles: ['admin', 'compliance'] },
  'report.submit': { scope: 'write', roles: ['admin', 'compliance'] },
  'owner.work': {
    scope: 'write',
    roles: ['admin', 'incident_commander', 'responder', 'communications', 'customer_service', 'compliance'],
  },
  // Regulatory obligation clocks (issue 13): every staff member follows them (need-to-know per incident);
  // compliance records the facts Tocsin cannot know; the firm's profile is set by administrators and compliance.
  'obligation.read': {
    scope: 'read',
    roles: EVERY_ROLE,
  },
  'obligation.facts': { scope: 'write', roles: ['admin', 'incident_commander', 'compliance'] },
  'firm.read': {
    scope: 'read',
    roles: EVERY_ROLE,
  },
  'firm.manage': { scope: 'admin', roles: ['admin', 'compliance'] },
  // Compensation (issue 14): claims are read by those who talk to customers and oversee; managed (created,
  // negotiated, referred) by owners, customer service and compliance; assessment runs stored by compliance
  // and the incident's leaders; approved by the tiers' roles (the amount tiers narrow it further); the
  // tiers and goodwill policy set by administrators and compliance.
  'compensation.read': {
    scope: 'read',
    roles: ['admin', 'incident_commander', 'communications', 'customer_service', 'compliance', 'executive', 'auditor'],
  },
  'compensation.manage': {
    scope: 'write',
    roles: ['admin', 'incident_commander', 'communications', 'customer_service', 'compliance'],
  },
  'compensation.assess': { scope: 'write', roles: ['admin', 'incident_commander', 'compliance'] },
  'compensation.approve': { scope: 'write', roles: ['admin', 'incident_commander', 'compliance'] },
  'compensation.configure': { scope: 'admin', roles: ['admin', 'compliance'] },
  // Payout batches: building the bank's batch file (it reveals payees' names and bank accounts), marking
  // it paid and importing the bank's return file move money: administrators and compliance only.
  'compensation.pay': { scope: 'write', roles: ['admin', 'compliance'] },
  // Evidence locker (issue 15): read by the investigators, compliance and auditors; added, held and
  // deleted (never while on legal hold) by the investigators and compliance.
  'evidence.read': {
    scope: 'read',
    roles: ['admin', 'incident_commander', 'responder', 'compliance', 'auditor'],
  },
  'evidence.manage': { scope: 'write', roles: ['admin', 'incident_commander', 'responder', 'compliance'] },
  // IOCs (issue 15): read (and shared out: STIX, MISP, TAXII with a `read` token) by those who investigate
  // and oversee; entered, extracted, imported and revoked by the responders.
  'ioc.read': {
    scope: 'read',
    roles: ['admin', 'incident_commander', 'responder', 'compliance', 'auditor', 'communications'],
  },
  'ioc.manage': { scope: 'write', roles: ['admin', 'incident_commander', 'responder'] },
  // Investigation (issue 15): an incident's ATT&CK techniques and the register of requests from the police,
  // regulators, courts and auditors; read by those who investigate and oversee, kept by the investigators
  // and compliance (who answers the authorities).
  'investigation.read': {
    scope: 'read',
    roles: ['admin', 'incident_commander', 'responder', 'compliance', 'auditor', 'executive'],
  },
  'investigation.manage': { scope: 'write', roles: ['admin', 'incident_commander', 'responder', 'compliance'] },
  // The investigation report (issue 15): written by the investigators, approved (and its public summary
  // published) by a second investigator of the incident's leaders or compliance; auditors read it only.
  'investigation.report.write': {
    scope: 'write',
    roles: ['admin', 'incident_commander', 'responder', 'compliance'],
  },
  'investigation.report.approve': { scope: 'write', roles: ['admin', 'incident_commander', 'compliance'] },
  // Post-incident reviews and action items (issue 16): everyone on staff reads them; those who respond
  // write them and work their items; accepting a risk instead of treating it is for those who answer for it.
  'action_item.read': {
    scope: 'read',
    roles: [
      'admin',
      'incident_commander',
      'responder',
      'communications',
      'customer_service',
      'compliance',
      'executive',
      'auditor',
    ],
  },
  'action_item.write': {
    scope: 'write',
    roles: ['admin', 'incident_commander', 'responder', 'communications', 'customer_service', 'compliance'],
  },
  'action_item.accept_risk': { scope: 'write', roles: ['admin', 'incident_commander', 'compliance', 'executive'] },
  'review.read': {
    scope: 'read',
    roles: [
      'admin',
      'incident_commander',
      'responder',
      'communications',
      'customer_service',
      'compliance',
      'executive',
      'auditor',
    ],
  },
  'review.write': {
    scope: 'write',
    roles: ['admin', 'incident_commander', 'responder', 'communications', 'customer_service', 'compliance'],
  },
  /** Opening a review by hand, and closing one. */
  'review.manage': { scope: 'write', roles: ['admin', 'incident_commander', 'compliance'] },
  // Vulnerabilities (issue 16): findings from scanner imports read by those who respond and oversee;
  // imported, moved (remediation, accepted risk, false positive), mapped to services and given SLA,
  // KEV and EPSS by the responders.
  'vulnerability.read': {
    scope: 'read',
    roles: ['admin', 'incident_commander', 'responder', 'auditor', 'compliance'],
  },
  'vulnerability.manage': { scope: 'write', roles: ['admin', 'incident_commander', 'responder'] },
  // The risk register (issue 16): read by those who respond and oversee, kept by the incident's leaders and compliance.
  'risk.read': {
    scope: 'read',
    roles: ['admin', 'incident_commander', 'responder', 'compliance', 'auditor', 'executive'],
  },
  'risk.manage': { scope: 'write', roles: ['admin', 'incident_commander', 'compliance'] },
  // Training records (issue 16): personal data of staff, read by leaders and oversight, kept by compliance.
  'training.read': {
    scope: 'read',
    roles: ['admin', 'incident_commander', 'compliance', 'auditor', 'executive'],
  },
  'training.manage': { scope: 'write', roles: ['admin', 'compliance'] },
  // Drills (issue 16): every staff role reads the calendar, scores and after-action reports; the
  // administrators and incident commanders plan and run them.
  'drill.read': {
    scope: 'read',
    roles: [
      'admin',
      'incident_commander',
      'responder',
      'communications',
      'customer_service',
      'compliance',
      'auditor',
      'executive',
    ],
  },
  'drill.manage': { scope: 'write', roles: ['admin', 'incident_commander'] },
  // Management reports (issue 16): firm-wide figures for management and the board, read by leaders and
  // oversight; generated on demand by the administrators, the incident commanders and compliance.
  'management_report.read': {
    scope: 'read',
    roles: ['admin', 'incident_commander', 'compliance', 'auditor', 'executive'],
  },
  'management_report.generate': { scope: 'write', roles: ['admin', 'incident_commander', 'compliance'] },
  // Performance figures and dashboards (issue 16): for those who lead and oversee the response — the
  // incident commanders, compliance, management (executive) and the auditors.
  'kpi.read': {
    scope: 'read',
    roles: ['admin', 'incident_commander', 'compliance', 'executive', 'auditor'],
  },
  // The access review (issue 17): who has which role, how they sign in, their tokens — for the
  // administrators and the auditors (the security officer's annual review).
  'access_review.read': { scope: 'read', roles: ['admin', 'auditor'] },
  // SCIM provisioning (issue 17, docs/scim.md): an identity provider's client, with an administrator's
  // token of scope `scim` named `scim:<provider id>`, creates, updates and disables directory users.
  'scim.provision': { scope: 'scim', roles: ['admin'] },
} as const satisfies Record<string, { scope: TokenScope; roles: readonly UserRole[] }>;

export type Permission = keyof typeof PERMISSIONS;

/** Whether a user of `role` may perform `permission` (before need-to-know checks on a record). */
export function roleAllows(role: UserRole, permission: Permission): boolean {
  return (PERMISSIONS[permission].roles as readonly UserRole[]).includes(role);
}

/** Whether a token with `scopes` may be used for `permission`. The admin scope implies all others. */
export function scopeAllows(scopes: readonly TokenScope[], permission: Permission): boolean {
  const need = PERMISSIONS[permission].scope;
  if (scopes.includes('admin')) return true;
  if (need === 'read') return scopes.includes('read') || scopes.includes('write');
  return scopes.includes(need);
}
