/**
 * Every action the server writes to the audit log, and every kind of record an entry can be about.
 * The server's `audit.append` accepts only these (a new action fails tsc until it is listed here), and
 * the console names each in zh-CN and English (`auditAction.*`, `auditTarget.*`, checked by tests).
 */
export const AUDIT_ACTIONS = [
  'session.login',
  'session.login_failed',
  'session.logout',
  'session.mfa_passed',
  'session.mfa_failed',
  'user.create',
  'user.update',
  'user.update+password',
  'user.mfa_reset',
  'user.password_changed',
  'user.password_change_failed',
  'user.password_reset',
  'user.sign_in_unlocked',
  'user.mfa_enrol_started',
  'user.mfa_enabled',
  'token.create',
  'token.revoke',
  'service.create',
  'incident.create',
  'incident.update',
  'incident.transition',
  'incident.participant_add',
  'incident.participant_remove',
  'timeline.append',
  'task.create',
  'task.update',
  'alert.raise',
  'alert.suppress',
  'alert.acknowledge',
  'alert.false_positive',
  'alert.link',
  'suppression.create',
  'suppression.delete',
  'maintenance.create',
  'maintenance.delete',
  'probe.create',
  'probe.update',
  'probe.delete',
  'probe.run',
  'rule.enable',
  'rule.disable',
  'rule.upload',
  'rule.delete',
  'complaint.create',
  'plan.activation',
  'job.retry',
  'plan.import',
  'plan.approve',
  'plan.activate',
  'plan.retire',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_TARGET_TYPES = [
  'incident',
  'task',
  'alert',
  'suppression',
  'maintenance_window',
  'user',
  'api_token',
  'service',
  'probe',
  'rule',
  'complaint',
  'job',
  'plan',
] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

/** `actorId=system` in an audit query: entries written by no person (detection, probes, the CLI's first set-up). */
export const SYSTEM_ACTOR_FILTER = 'system';
