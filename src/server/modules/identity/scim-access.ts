/**
 * What SCIM groups give a provisioned person: the provider's role mapping (`roleFor`, the one sign-in
 * uses) applied to the names and external ids of their groups. The result is kept on an
 * `external_identities` row (subject `scim:<user id>`, the groups in `groups_json`) which the identity
 * service's re-check reads at every request: in no mapped group, no access (sessions and tokens end);
 * in one, the user's role follows it.
 */
import type { Store } from '../../platform/db/connect.js';
import type { Clock } from '../../platform/ids.js';
import { type IdentityProviderConfig, roleFor } from '../../platform/identity-file.js';
import type { Actor } from '../audit/index.js';
import type { UserService } from '../user/index.js';
import { upsertIdentity } from './identity.repository.js';
import { groupsOfUser } from './scim.repository.js';

/** The SCIM client calling: its provider and the audit actor it writes as. */
export interface ScimClient {
  provider: IdentityProviderConfig;
  actor: Actor;
}

export const SCIM_SUBJECT_PREFIX = 'scim:';
export const scimSubject = (userId: string) => `${SCIM_SUBJECT_PREFIX}${userId}`;
export const isScimSubject = (subject: string) => subject.startsWith(SCIM_SUBJECT_PREFIX);

/** The group names a mapping entry may name: each group's displayName and externalId (Entra ID's object id). */
export const mappableNames = (groups: { display_name: string; external_id: string | null }[]) =>
  groups.flatMap((g) => (g.external_id ? [g.display_name, g.external_id] : [g.display_name]));

export function createScimAccess(deps: { store: Store; clock: Clock; users: UserService }) {
  const { store, clock, users } = deps;
  return {
    /** Re-derives the access and role of `userIds` from their groups now (after any change of memberships). */
    async sync(p: IdentityProviderConfig, actor: Actor, userIds: Iterable<string>): Promise<void> {
      for (const id of new Set(userIds)) {
        const names = mappableNames(await groupsOfUser(store.db, id));
        const now = clock.now();
        await upsertIdentity(store.db, {
          provider: p.id,
          subject: scimSubject(id),
          user_id: id,
          username: null,
          groups_json: JSON.stringify(names.slice(0, 500)),
          refresh_token: null,
          last_sign_in_at: now,
          last_recheck_at: now,
        });
        const role = roleFor(p.roles, names);
        const user = await users.byId(id);
        if (user && role && user.role !== role) await users.update(actor, id, { role });
      }
    },
  };
}

export type ScimAccess = ReturnType<typeof createScimAccess>;
