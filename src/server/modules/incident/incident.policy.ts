/** Need-to-know: who may see an incident, and who may act on it. */
import { forbidden, notFound } from '../../platform/errors.js';
import { can, type Principal } from '../auth/index.js';
import type { Audience } from '../../platform/bus.js';

/** Admins see everything; a restricted incident is visible to its members only. */
export function canSee(p: Pick<Principal, 'user'>, audience: Audience): boolean {
  return !audience.restricted || p.user.role === 'admin' || audience.memberIds.includes(p.user.id);
}

/** A restricted incident is answered 404 to a non-member, so its existence does not leak. */
export function assertVisible(p: Principal, audience: Audience, key: string): void {
  if (!canSee(p, audience)) throw notFound(`incident ${key}`, { code: 'incident.not_found', params: { key } });
}

/** Need-to-know of an incident (restricted or not, either way) is changed by its commander or an administrator. */
export function assertMayRestrict(p: Principal, incident: { key: string; commanderId: string | null }): void {
  if (p.user.role === 'admin' || (incident.commanderId !== null && incident.commanderId === p.user.id)) return;
  throw incident.commanderId === null
    ? forbidden(
        `only the commander of ${incident.key} or an administrator may change who may see it, and it has no commander yet: take command first, or ask an administrator`,
        { code: 'incident.restrict_needs_commander', params: { key: incident.key } },
      )
    : forbidden(
        `only the commander of ${incident.key} or an administrator may change who may see it; you are not its commander`,
        { code: 'incident.restrict_not_commander', params: { key: incident.key } },
      );
}

/**
 * One rule for naming the commander, when declaring and later: whoever holds `incident.participants`
 * (administrators, incident commanders) names anyone; anyone else who may declare or edit an
 * incident may only take command themselves, of an incident that has no commander (the responder on
 * call at 3 a.m. declares and leads until a commander takes over).
 */
export function assertMayNameCommander(
  p: Principal,
  incident: { key: string | null; commanderId: string | null },
  next: string | null,
): void {
  if (next === incident.commanderId) return; // no change
  if (can(p, 'incident.participants')) return;
  if (next === p.user.id && incident.commanderId === null) return; // taking command of an incident without one
  const what = incident.key ?? 'an incident';
  if (next !== p.user.id) {
    throw forbidden(
      `your role (${p.user.role}) may take command of ${what} yourself but not name someone else or remove its commander: ask an incident commander or an administrator`,
      { code: 'incident.commander_self_only', params: { role: p.user.role } },
    );
  }
  throw forbidden(
    `${what} already has a commander; only an incident commander or an administrator may hand command to someone else`,
    { code: 'incident.commander_taken' },
  );
}
