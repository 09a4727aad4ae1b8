/** Enumerations shared by server, CLI and console: the vocabulary of an incident. */

/** GB/T 20986-2023 incident categories. */
export const CATEGORIES = [
  'malicious_program',
  'network_attack',
  'data_security',
  'information_content',
  'equipment_failure',
  'rule_violation',
  'security_hazard',
  'abnormal_behaviour',
  'force_majeure',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Grades: I 特别重大, II 重大, III 较大, IV 一般. */
export const GRADES = ['I', 'II', 'III', 'IV'] as const;
export type Grade = (typeof GRADES)[number];

/** Default ordering severity (1 = most severe) for each grade. */
export const GRADE_SEVERITY: Record<Grade, number> = { I: 1, II: 2, III: 3, IV: 4 };

export const STATUSES = [
  'detected',
  'acknowledged',
  'contained',
  'eradicated',
  'recovered',
  'closed',
  'false_positive',
] as const;
export type Status = (typeof STATUSES)[number];

/** Statuses an incident is still being worked in. */
export const ACTIVE_STATUSES: readonly Status[] = ['detected', 'acknowledged', 'contained', 'eradicated', 'recovered'];
/** Statuses of an incident no longer worked: the list's "ended" filter. */
export const ENDED_STATUSES: readonly Status[] = ['closed', 'false_positive'];

/**
 * Legal transitions. Forward one step at a time; eradication may be skipped (a DDoS has nothing to
 * eradicate); false positive only before containment; reopen brings a closed or false-positive
 * incident back to "acknowledged".
 */
export const TRANSITIONS: Record<Status, readonly Status[]> = {
  detected: ['acknowledged', 'false_positive'],
  acknowledged: ['contained', 'false_positive'],
  contained: ['eradicated', 'recovered'],
  eradicated: ['recovered'],
  recovered: ['closed'],
  closed: ['acknowledged'],
  false_positive: ['acknowledged'],
};

export function canTransition(from: Status, to: Status): boolean {
  return TRANSITIONS[from].includes(to);
}

export const PARTICIPANT_ROLES = [
  'incident_commander',
  'scribe',
  'technical_lead',
  'communications_lead',
  'customer_service_lead',
  'compliance_officer',
  'legal',
  'observer',
] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

export const USER_ROLES = [
  'admin',
  'incident_commander',
  'responder',
  'communications',
  'customer_service',
  'compliance',
  'executive',
  'auditor',
] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const TASK_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TIMELINE_KINDS = ['system', 'status_change', 'note', 'decision', 'correction'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];
/** Kinds a person may write; the rest are written by the system. */
export const HUMAN_TIMELINE_KINDS = ['note', 'decision', 'correction'] as const;

/** `scim`: an identity provider's SCIM client (docs/scim.md), nothing else. */
export const TOKEN_SCOPES = ['read', 'write', 'events', 'admin', 'scim'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** Sigma rule levels, least to most severe (the same list as the detection contract's LEVELS). */
export const ALERT_LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

/** open → acknowledged; open/acknowledged → false_positive; suppressed is set at raise time (a suppression or maintenance window held it back). */
export const ALERT_STATUSES = ['open', 'acknowledged', 'false_positive', 'suppressed'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const ALERT_KINDS = ['detection', 'correlation', 'anomaly'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** What an alert is about: accounts, hosts and IP addresses taken from its events. */
export const ENTITY_KINDS = ['account', 'host', 'ip'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];
