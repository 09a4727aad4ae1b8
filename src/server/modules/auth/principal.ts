/** Who is calling: a signed-in user (cookie session) or a machine (API token acting for a user). */
import type { TokenScope } from '../../../shared/enums.js';
import { roleAllows, scopeAllows, type Permission } from '../../../shared/permissions.js';
import type { SessionInfo } from '../../../shared/session-schemas.js';
import type { User } from '../../../shared/user-schemas.js';
import { denied } from '../../platform/errors.js';

/** Name of the console's session cookie. */
export const SESSION_COOKIE = 'tocsin_session';

export interface Principal {
  user: User;
  via: 'session' | 'token' | 'cli';
  sessionId?: string;
  tokenId?: string;
  csrfToken?: string;
  /** Token scopes; null for sessions (the role alone decides). */
  scopes: TokenScope[] | null;
  /**
   * A session that still owes a second factor ('mfa'), a new password ('password', after a generated or
   * reset one) or an enrolment ('enrol') may do nothing else.
   */
  restrictedTo: 'mfa' | 'password' | 'enrol' | null;
  session?: SessionInfo;
}

/** The audit actor for a principal. */
export const actorOf = (p: Principal): { id: string; label: string } => ({
  id: p.user.id,
  label: p.via === 'token' ? `${p.user.name} (API token)` : p.via === 'cli' ? `${p.user.name} (CLI)` : p.user.name,
});

/** Whether the principal holds `permission` by role and, for tokens, by scope. */
export function can(p: Principal, permission: Permission): boolean {
  return roleAllows(p.user.role, permission) && (p.scopes === null || scopeAllows(p.scopes, permission));
}

/** Throws 403 (`permission.denied`) unless the principal holds `permission`: the one permission check every module uses. */
export function assertCan(p: Principal, permission: Permission): void {
  if (!can(p, permission)) throw denied(p.user.role, permission);
}
