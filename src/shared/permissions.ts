/** The permission matrix: which role may do what, and which API-token scope each action needs. */
import type { TokenScope, UserRole } from './enums.js';

export const PERMISSIONS = {
  'incident.read': {
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
  'service.manage': { scope: 'admin', roles: ['admin'] },
  'user.read': {
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
  'user.manage': { scope: 'admin', roles: ['admin'] },
  'token.own': {
    scope: 'admin',
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
  'token.manage': { scope: 'admin', roles: ['admin'] },
  'audit.read': { scope: 'read', roles: ['admin', 'auditor'] },
  'event.ingest': { scope: 'events', roles: ['admin', 'responder', 'incident_commander'] },
  'complaint.create': { scope: 'events', roles: ['admin', 'incident_commander', 'responder', 'customer_service'] },
  'alert.read': {
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
  'alert.manage': { scope: 'write', roles: ['admin', 'incident_commander', 'responder'] },
  'metric.ingest': { scope: 'events', roles: ['admin', 'responder', 'incident_commander'] },
  'metric.read': {
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
  'probe.manage': { scope: 'admin', roles: ['admin', 'incident_commander'] },
  'rule.read': {
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
  'rule.manage': { scope: 'admin', roles: ['admin', 'incident_commander'] },
  'settings.read': { scope: 'admin', roles: ['admin', 'auditor'] },
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
