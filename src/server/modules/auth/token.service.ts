/** Scoped API tokens for machines: shown once, stored as a SHA-256 hash. */
import type { TokenScope } from '../../../shared/enums.js';
import type { z } from 'zod';
import type { ApiToken } from '../../../shared/session-schemas.js';
import { stripBidiControls } from '../../../shared/text.js';
import { createLocalSignals, type Signals } from '../../platform/cluster/signals.js';
import { randomToken, sha256Hex } from '../../platform/crypto.js';
import { afterCommit, type Store } from '../../platform/db/connect.js';
import type { ApiTokensTable } from '../../platform/db/types.js';
import { forbidden, invalid, notFound } from '../../platform/errors.js';
import { iso, newId, type Clock } from '../../platform/ids.js';
import type { Actor, AuditService } from '../audit/index.js';
import type { User } from '../../../shared/user-schemas.js';
import type { UserService } from '../user/index.js';
import { findToken, findTokenByHash, insertToken, listTokens, updateToken } from './auth.repository.js';
import { addressAllowed } from './ip-allow-list.js';
import type { Principal } from './principal.js';
import type { SessionPolicyService } from './session-policy.service.js';

type ApiTokenView = z.infer<typeof ApiToken>;
const TOKEN_PREFIX = 'tcs_';

/** A token's view; `maxMs`: the policy's longest lifetime, which caps the expiry shown (docs/session-policy.md). */
function toApiToken(r: ApiTokensTable, maxMs: number | null = null): ApiTokenView {
  const capped = maxMs === null ? r.expires_at : Math.min(r.expires_at ?? Infinity, r.created_at + maxMs);
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    scopes: JSON.parse(r.scopes) as TokenScope[],
    prefix: r.prefix,
    createdAt: iso(r.created_at),
    lastUsedAt: iso(r.last_used_at),
    expiresAt: iso(capped),
    revokedAt: iso(r.revoked_at),
  };
}

/** How long a resolved token is trusted without reading the store again (each request of a busy ingest client). */
const RESOLVED_TTL_MS = 10_000;
const RESOLVED_MAX = 10_000;
/** The signal that tells the other processes to drop their resolved tokens (a revoke, a user's change). */
const SIGNAL = 'auth';

export function createTokenService(deps: {
  store: Store;
  audit: AuditService;
  clock: Clock;
  users: UserService;
  /** At scale: a revoke or a user's change here makes every process forget what it resolved. */
  signals?: Signals;
  /** The session policy: the token allow-list and the longest token lifetime. */
  policy: SessionPolicyService;
}) {
  const { store, audit, clock, users, policy } = deps;
  const signals = deps.signals ?? createLocalSignals();
  // Token hash -> what resolve() read, for RESOLVED_TTL_MS. Dropped whole on a revoke or any user's change
  // in this process (at once) or another (its signal; were that lost, the TTL bounds how long).
  const resolved = new Map<string, { token: ApiTokensTable; user: User; at: number }>();
  const forget = () => resolved.clear();
  const changed = () => {
    forget();
    signals.publishSignal(SIGNAL);
  };
  signals.onSignal(SIGNAL, forget);
  users.onChange(changed);

  let directoryCheck: ((user: User) => Promise<User | null>) | null = null;

  async function lookup(hash: string, now: number) {
    const hit = resolved.get(hash);
    if (hit && now - hit.at < RESOLVED_TTL_MS) return hit;
    const token = await findTokenByHash(store.db, hash);
    if (!token || token.revoked_at) return null;
    let user = await users.activeById(token.user_id);
    // A directory user's tokens follow the directory too (the identity module's re-check, at its interval).
    if (user && directoryCheck) user = await directoryCheck(user);
    if (!user) return null;
    if (resolved.size >= RESOLVED_MAX) forget();
    const entry = { token, user, at: now };
    resolved.set(hash, entry);
    return entry;
  }

  return {
    /** The identity module's re-check of directory users (wired once at composition). */
    setDirectoryCheck(fn: (user: User) => Promise<User | null>): void {
      directoryCheck = fn;
    },

    /** Creates a token for `userId`; the returned `token` is the only time the secret is shown. */
    async create(
      actor: Actor,
      userId: string,
      input: { name: string; scopes: TokenScope[]; expiresAt?: number },
    ): Promise<ApiTokenView & { token: string }> {
      const now = clock.now();
      // A token that could never be used is a mistake (a date in the wrong year or zone): say so.
      if (input.expiresAt !== undefined && input.expiresAt <= now) {
        throw invalid(
          `expiresAt ${new Date(input.expiresAt).toISOString()} is not in the future (now is ${new Date(now).toISOString()}): a token must expire after it is created`,
          [{ path: 'body.expiresAt', message: 'must be in the future', code: 'not_in_future' }],
          { code: 'time.not_in_future', params: { field: 'expiresAt' } },
        );
      }
      await users.get(userId); // 404 for an unknown user
      // The policy's longest lifetime: a token without an expiry gets it; a later expiry is refused.
      const maxMs = (await policy.current()).tokenMaxMs;
      let expiresAt = input.expiresAt;
      if (maxMs !== null && expiresAt === undefined) expiresAt = now + maxMs;
      if (maxMs !== null && expiresAt! > now + maxMs) {
        const days = Math.round(maxMs / 86_400_000);
        throw invalid(
          `expiresAt is too far away: the session policy allows API tokens to live at most ${days} days (until ${new Date(now + maxMs).toISOString()})`,
          [
            {
              path: 'body.expiresAt',
              message: `at most ${days} days from now`,
              code: 'too_big',
              params: { maximum: days },
            },
          ],
          { code: 'session_policy.token_lifetime_too_long', params: { days } },
        );
      }
      const secret = `${TOKEN_PREFIX}${randomToken(32)}`;
      const row: ApiTokensTable = {
        id: newId(),
        user_id: userId,
        // The API's schema drops bidirectional controls already; `tocsin tokens create --name` comes here directly.
        name: stripBidiControls(input.name),
        prefix: secret.slice(0, 10),
        token_hash: sha256Hex(secret),
        scopes: JSON.stringify([...new Set(input.scopes)]),
        created_at: now,
        last_used_at: null,
        expires_at: expiresAt ?? null,
        revoked_at: null,
      };
      await store.transaction(async (tx) => {
        await insertToken(tx, row);
        const { token_hash: _omit, ...view } = row;
        await audit.append(tx, actor, {
          action: 'token.create',
          targetType: 'api_token',
          targetId: row.id,
          after: view,
        });
      });
      return { ...toApiToken(row), token: secret };
    },

    /** A token's name (what an administrator called it; SCIM reads its provider from it), or null. */
    async nameOf(id: string): Promise<string | null> {
      return (await findToken(store.db, id))?.name ?? null;
    },

    async list(userId: string | undefined, cursor: string | undefined, limit: number) {
      const rows = await listTokens(store.db, userId, cursor, limit + 1);
      const page = rows.slice(0, limit);
      const maxMs = (await policy.current()).tokenMaxMs;
      return {
        items: page.map((r) => toApiToken(r, maxMs)),
        next: rows.length > limit ? page[page.length - 1]!.id : null,
      };
    },

    /** Revokes a token; `ownerId` limits it to that user's tokens (404 otherwise). */
    async revoke(actor: Actor, id: string, ownerId: string | undefined): Promise<void> {
      await store.transaction(async (tx) => {
        const t = await findToken(tx, id);
        if (!t || (ownerId && t.user_id !== ownerId))
          throw notFound(`token ${id}`, { code: 'token.not_found', params: { id } });
        if (t.revoked_at) return;
        const now = clock.now();
        await updateToken(tx, id, { revoked_at: now });
        afterCommit(tx, changed);
        await audit.append(tx, actor, {
          action: 'token.revoke',
          targetType: 'api_token',
          targetId: id,
          before: { revokedAt: null },
          after: { revokedAt: now },
        });
      });
    },

    /**
     * Resolves a bearer token to a principal, or null when unknown, revoked, expired (its own expiry or the
     * policy's longest lifetime) or its user disabled. From an address outside the policy's token allow-list
     * (`ip`, the request's address): 403, audited at most once a minute per token and address.
     */
    async resolve(secret: string, ip?: string): Promise<Principal | null> {
      if (!secret.startsWith(TOKEN_PREFIX)) return null;
      const now = clock.now();
      const found = await lookup(sha256Hex(secret), now);
      if (!found) return null;
      const { token: t, user } = found;
      if (t.expires_at && t.expires_at <= now) return null;
      const pol = await policy.current();
      if (pol.tokenMaxMs !== null && t.created_at + pol.tokenMaxMs <= now) return null;
      if (ip !== undefined && !addressAllowed(pol.tokens, ip)) {
        if (policy.auditRefusal(`token:${t.id}:${ip}`))
          await store.transaction(async (tx) => {
            await audit.append(
              tx,
              { id: user.id, label: `${user.name} (API token)` },
              {
                action: 'token.address_refused',
                targetType: 'api_token',
                targetId: t.id,
                after: { address: ip },
              },
            );
          });
        throw forbidden(
          `API tokens may not be used from this address (${ip}): it is not on the session policy's allow-list`,
          {
            code: 'session_policy.token_address_not_allowed',
            params: { address: ip },
          },
        );
      }
      if (!t.last_used_at || now - t.last_used_at > 60_000) {
        t.last_used_at = now;
        await updateToken(store.db, t.id, { last_used_at: now });
      }
      return {
        user,
        via: 'token',
        tokenId: t.id,
        scopes: JSON.parse(t.scopes) as TokenScope[],
        restrictedTo: null,
      };
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
