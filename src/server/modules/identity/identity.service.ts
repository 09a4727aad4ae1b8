/**
 * Sign-in through the firm's directory (docs/identity.md): a person an OIDC provider or LDAP server
 * vouches for gets their account created or updated just in time, their role from the provider's
 * group mapping, and a session opened by the auth module exactly as a password sign-in would. Their
 * sessions are re-checked against the directory at an interval; break-glass sign-ins alert every
 * administrator.
 */
import type { UserRole } from '../../../shared/enums.js';
import type { User } from '../../../shared/user-schemas.js';
import type { Config } from '../../platform/config.js';
import { randomToken } from '../../platform/crypto.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import { iso, newId, type Clock } from '../../platform/ids.js';
import {
  type IdentityProviderConfig,
  type LdapProviderConfig,
  type OidcProviderConfig,
  roleFor,
} from '../../platform/identity-file.js';
import type { Actor, AuditService } from '../audit/index.js';
import { type AuthService, userActor } from '../auth/index.js';
import type { UserService } from '../user/index.js';
import {
  allIdentities,
  claimRecheck,
  findIdentity,
  identitiesOfUser,
  insertNotices,
  noticesOf,
  updateIdentity,
  upsertIdentity,
} from './identity.repository.js';
import { DirectoryUnavailable, ldapLookup } from './ldap.js';
import { isScimSubject, scimSubject } from './scim-access.js';
import { allScimUsers } from './scim.repository.js';
import { ProviderFailed, type OidcClient } from './oidc.js';

/** What a directory says of a person at sign-in. */
export interface DirectoryClaims {
  subject: string;
  username: string | null;
  email: string;
  name: string;
  groups: string[];
  providerMfa: boolean;
  refreshToken: string | null;
}

const directoryActor = (providerId: string): Actor => ({ id: null, label: `directory:${providerId}` });

export const directoryFailed = (detail: string) =>
  new AppError(502, 'bad-gateway', 'Bad gateway', detail, undefined, undefined, { code: 'auth.directory_failed' });

export function createIdentityService(deps: {
  store: Store;
  audit: AuditService;
  clock: Clock;
  config: Pick<Config, 'identity' | 'identityRecheckMs'>;
  users: UserService;
  auth: AuthService;
  oidc: OidcClient;
  /** Warnings (no personal data): a directory that could not be asked, a break-glass use. */
  warn?: (fields: Record<string, unknown>, message: string) => void;
}) {
  const { store, audit, clock, config, users, auth, oidc } = deps;
  const warn = deps.warn ?? (() => {});
  const providers = new Map(config.identity.providers.map((p) => [p.id, p]));

  function provider<K extends 'oidc' | 'ldap'>(id: string, kind: K) {
    const p = providers.get(id);
    const ok = p && (kind === 'oidc' ? p.kind === 'oidc' : p.kind !== 'oidc');
    if (!ok) throw notFound(`sign-in provider ${id}`, { code: 'auth.provider_unknown', params: { id } });
    return p as K extends 'oidc' ? OidcProviderConfig : LdapProviderConfig;
  }

  async function refuse(p: IdentityProviderConfig, userId: string | null, reason: string, groups: number) {
    await store.transaction(async (tx) => {
      await audit.append(
        tx,
        { id: userId, label: 'anonymous' },
        {
          action: 'session.directory_refused',
          targetType: 'user',
          targetId: userId,
          after: { provider: p.id, reason, groupsSeen: groups },
        },
      );
    });
  }

  /** The account for this directory person: theirs already, a local one with their email (linked), or a new one. */
  async function accountFor(p: IdentityProviderConfig, c: DirectoryClaims, role: UserRole): Promise<User> {
    const known = await findIdentity(store.db, p.id, c.subject);
    let user = known ? await users.byId(known.user_id) : null;
    if (!user) {
      const email = c.email.trim().toLowerCase();
      if (!email)
        throw forbidden('the directory gave no verified email address for this person', {
          code: 'auth.directory_no_role',
        });
      const existing = await users.byEmail(email);
      if (existing) {
        const creds = await users.credentialsOf(existing.id);
        // A break-glass account is never taken over by a directory: it is the way in when the directory is down.
        if (
          config.identity.breakGlass.includes(email) ||
          (creds && creds.signInMethod !== 'local' && creds.signInMethod !== p.id)
        )
          throw forbidden(`the account ${email} signs in another way; an administrator must change it first`, {
            code: 'auth.local_sign_in_refused',
          });
        user = existing;
      } else {
        user = await users.create(directoryActor(p.id), {
          email,
          name: c.name || email,
          role,
          password: randomToken(32), // never told to anyone: the account signs in through the directory
          signInMethod: p.id,
        });
      }
    }
    if (user.disabled) throw forbidden('the account is disabled in Tocsin', { code: 'auth.local_sign_in_refused' });
    const name = c.name.trim();
    if (user.role !== role || (name && name !== user.name))
      user = await users.update(directoryActor(p.id), user.id, { role, ...(name ? { name } : {}) });
    return user;
  }

  /**
   * The groups the provider's SCIM client pushed for this person (scim-access.ts), or null when SCIM does not
   * provision them: then those decide their role, not the groups of the sign-in.
   */
  async function scimGroupsOf(p: IdentityProviderConfig, c: DirectoryClaims): Promise<string[] | null> {
    if (!p.scim) return null;
    const known = await findIdentity(store.db, p.id, c.subject);
    const userId = known?.user_id ?? (c.email.trim() ? (await users.byEmail(c.email.trim().toLowerCase()))?.id : null);
    const gate = userId ? await findIdentity(store.db, p.id, scimSubject(userId)) : undefined;
    return gate ? (JSON.parse(gate.groups_json) as string[]) : null;
  }

  /** Signs a person in from a directory's answer: role from the mapping, account just in time, session opened. */
  async function signIn(p: IdentityProviderConfig, c: DirectoryClaims) {
    const role = roleFor(p.roles, (await scimGroupsOf(p, c)) ?? c.groups);
    if (!role) {
      const known = await findIdentity(store.db, p.id, c.subject);
      await refuse(p, known?.user_id ?? null, 'no mapped group', c.groups.length);
      throw forbidden(
        `${p.label} lets you in, but none of your groups is given a role in Tocsin: ask an administrator to map your group`,
        { code: 'auth.directory_no_role' },
      );
    }
    const user = await accountFor(p, c, role);
    const now = clock.now();
    return auth.openDirectorySession(user, {
      mfaPassed: p.kind === 'oidc' && p.mfa === 'provider' && c.providerMfa,
      requireTotp: p.kind === 'oidc' && (p.mfa === 'totp' || !c.providerMfa),
      method: p.id,
      in: (tx) =>
        upsertIdentity(tx, {
          provider: p.id,
          subject: c.subject,
          user_id: user.id,
          username: c.username,
          groups_json: JSON.stringify(c.groups.slice(0, 500)),
          refresh_token: c.refreshToken,
          last_sign_in_at: now,
          last_recheck_at: now,
        }),
    });
  }

  /** What the directory says of the person now: their groups, or null when they are gone; undefined: cannot tell. */
  async function askDirectory(
    p: IdentityProviderConfig,
    identity: { subject: string; username: string | null; refresh_token: string | null },
  ): Promise<{ groups: string[]; refreshToken: string | null } | null | undefined> {
    try {
      if (p.kind === 'oidc') {
        // Without a refresh token the provider cannot be asked: the session lives until it expires.
        if (!identity.refresh_token) return undefined;
        const r = await oidc.refresh(p, identity.refresh_token, identity.subject);
        return { groups: r.groups, refreshToken: r.refreshToken };
      }
      if (!identity.username) return undefined;
      const r = await ldapLookup(p, identity.username);
      return r && r.dn.toLowerCase() === identity.subject.toLowerCase()
        ? { groups: r.groups, refreshToken: null }
        : null;
    } catch (err) {
      if (err instanceof ProviderFailed && err.refused) return null;
      if (err instanceof DirectoryUnavailable || err instanceof ProviderFailed) {
        // Directory down: sessions already open go on (an incident must not lock responders out); logged.
        warn({ provider: p.id, reason: err.message }, 'identity re-check: the directory could not be asked');
        return undefined;
      }
      throw err;
    }
  }

  return {
    signIn,
    provider,

    /** The sign-in options the console offers (no secrets). */
    options() {
      return {
        providers: [...providers.values()].map((p) => ({
          id: p.id,
          kind: p.kind === 'oidc' ? 'oidc' : 'ldap',
          label: p.label,
        })),
        localSignIn: config.identity.providers.length ? config.identity.localSignIn : 'all',
      } as const;
    },

    /** The auth module's hook: the user as the directory has them now (checked at most once per interval). */
    async current(user: User, _sessionId: string | null): Promise<User | null> {
      const rows = await identitiesOfUser(store.db, user.id);
      if (!rows.length) return user;
      const now = clock.now();
      let current: User | null = user;
      for (const row of rows) {
        const p = providers.get(row.provider);
        if (!p) continue;
        // Provisioned by SCIM (scim-access.ts): the groups the provider pushed decide at every request, and the role follows them.
        if (isScimSubject(row.subject)) {
          const role = roleFor(p.roles, JSON.parse(row.groups_json) as string[]);
          if (!role) return null;
          if (current && role !== current.role) current = await users.update(directoryActor(p.id), user.id, { role });
          continue;
        }
        // Between checks, the groups last seen decide: a person found out stays out (their API tokens too).
        const due =
          now - row.last_recheck_at >= config.identityRecheckMs &&
          (await claimRecheck(store.db, row.provider, row.subject, row.last_recheck_at, now));
        if (!due) {
          if (!roleFor(p.roles, JSON.parse(row.groups_json) as string[])) return null;
          continue;
        }
        const seen = await askDirectory(p, row);
        if (seen === undefined) continue;
        const role = seen && roleFor(p.roles, seen.groups);
        await updateIdentity(store.db, row.provider, row.subject, {
          groups_json: JSON.stringify(seen ? seen.groups.slice(0, 500) : []),
          refresh_token: seen ? seen.refreshToken : null,
        });
        if (!role) {
          await store.transaction(async (tx) => {
            await audit.append(tx, directoryActor(p.id), {
              action: 'session.directory_revoked',
              targetType: 'user',
              targetId: user.id,
              after: { provider: p.id, reason: seen ? 'no mapped group' : 'not in the directory' },
            });
          });
          return null;
        }
        if (current && role !== current.role) current = await users.update(directoryActor(p.id), user.id, { role });
      }
      return current;
    },

    /** A break-glass sign-in: a notice to every active administrator, and the audit entry, in the sign-in's transaction. */
    async breakGlassUsed(tx: Db, user: User, address: string): Promise<void> {
      const admins = await users.activeIdsWithRole('admin', tx);
      const now = clock.now();
      await insertNotices(
        tx,
        admins.map((id) => ({
          id: newId(),
          recipient_id: id,
          kind: 'break_glass_sign_in',
          subject_user_id: user.id,
          address,
          created_at: now,
          read_at: null,
        })),
      );
      await audit.append(tx, userActor(user), {
        action: 'session.break_glass',
        targetType: 'user',
        targetId: user.id,
        after: { administratorsAlerted: admins.length },
      });
      warn({ userId: user.id }, 'break-glass account signed in; administrators alerted');
    },

    /**
     * Why the way in when the directory is down may be missing (password sign-in limited to break-glass
     * accounts, but none of them is an active administrator with TOTP), or null. Logged at start.
     */
    async breakGlassProblem(): Promise<string | null> {
      if (!providers.size || config.identity.localSignIn !== 'break_glass') return null;
      for (const email of config.identity.breakGlass) {
        const u = await users.activeByEmail(email);
        if (u && u.role === 'admin' && u.mfaEnabled) return null;
      }
      return 'no break-glass account is an active administrator with TOTP: nobody can get in when the directory is down';
    },

    /** The security notices addressed to a user, newest first. */
    async notices(userId: string, limit = 50) {
      const rows = await noticesOf(store.db, userId, limit);
      const names = await users.namesOf(rows.map((r) => r.subject_user_id));
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind as 'break_glass_sign_in',
        userId: r.subject_user_id,
        userName: names.get(r.subject_user_id) ?? '',
        address: r.address,
        createdAt: iso(r.created_at),
      }));
    },

    /** Who can sign in how: every account, its method, break-glass flag and last sign-in. */
    async signInMethods() {
      const rows = await users.signInMethods();
      const ids = await allIdentities(store.db, 50_000);
      const byUser = new Map<string, string[]>();
      for (const i of ids)
        if (!isScimSubject(i.subject)) byUser.set(i.user_id, [...(byUser.get(i.user_id) ?? []), i.provider]);
      const scim = new Map((await allScimUsers(store.db, 50_000)).map((r) => [r.user_id, r.provider]));
      return rows.map((r) => {
        const p = providers.get(r.signInMethod);
        return {
          user: { id: r.user.id, email: r.user.email, name: r.user.name, role: r.user.role, disabled: r.user.disabled },
          method:
            r.signInMethod === 'local'
              ? ('local' as const)
              : p?.kind === 'oidc'
                ? ('oidc' as const)
                : ('ldap' as const),
          provider: r.signInMethod === 'local' ? null : r.signInMethod,
          providerLabel: p?.label ?? null,
          breakGlass: r.signInMethod === 'local' && config.identity.breakGlass.includes(r.user.email),
          mfaEnabled: r.user.mfaEnabled,
          lastSignInAt: r.lastSignInAt == null ? null : iso(r.lastSignInAt),
          identities: byUser.get(r.user.id) ?? [],
          scimProvider: scim.get(r.user.id) ?? null,
        };
      });
    },
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
