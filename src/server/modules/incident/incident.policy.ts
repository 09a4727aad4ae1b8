/** Need-to-know: who may see an incident, and who may act on it. */
import type { Permission } from '../../../shared/permissions.js';
import { denied, notFound } from '../../platform/errors.js';
import { can, type Principal } from '../auth/index.js';
import type { Audience } from '../../platform/bus.js';

/** Admins see everything; a restricted incident is visible to its members only. */
export function canSee(p: Pick<Principal, 'user'>, audience: Audience): boolean {
  return !audience.restricted || p.user.role === 'admin' || audience.memberIds.includes(p.user.id);
}

export function assertCan(p: Principal, permission: Permission): void {
  if (!can(p, permission)) throw denied(p.user.role, permission);
}

/** A restricted incident is answered 404 to a non-member, so its existence does not leak. */
export function assertVisible(p: Principal, audience: Audience, key: string): void {
  if (!canSee(p, audience)) throw notFound(`incident ${key}`, { code: 'incident.not_found', params: { key } });
}
