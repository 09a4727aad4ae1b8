/** Sign-in, login sessions, TOTP second factor and the policy that requires it. */
import { authenticator } from 'otplib';
import type { SessionInfo } from '../../../shared/session-schemas.js';
import type { User } from '../../../shared/user-schemas.js';
import type { Config } from '../../platform/config.js';
import { dummyPasswordHash, randomToken, sha256Hex, verifyPassword } from '../../platform/crypto.js';
import type { Store } from '../../platform/db/connect.js';
import { conflict, forbidden, invalid, unauthorized } from '../../platform/errors.js';
import type { Db } from '../../platform/db/types.js';
import { iso, type Clock } from '../../platform/ids.js';
import type { Actor, AuditService } from '../audit/index.js';
import { normalizeEmail, type Credentials, type UserService } from '../user/index.js';
import {
  activeSessionCounts,
  deleteExpiredSessions,
  deleteSession,
  deleteSessionsOfUser,
  findSession,
  findToken,
  insertSession,
  updateSession,
} from './auth.repository.js';
import { actorOf, assertCan, type Principal } from './principal.js';
import { addressAllowed } from './ip-allow-list.js';
import type { EffectivePolicy, SessionPolicyService } from './session-policy.service.js';
import type { Throttle } from './throttle.js';

authenticator.options = { window: 1 };

/** The TOTP time step a code matches (±1 step of clock drift), or null. A step is accepted once. */
function acceptedStep(totp: Credentials['totp'], code: string): number | null {
  if (!totp.secret) return null;
  const delta = authenticator.checkDelta(code, totp.secret);
  if (delta === null) return null;
  const step = Math.floor(Date.now() / 30_000) + delta; // otplib reads the real clock too
  return totp.lastStep != null && step <= totp.lastStep ? null : step;
}

/** What the identity module tells the auth module (wired at composition: the identity module opens sessions through auth). */
export interface DirectoryHooks {
  /**
   * The user as the directory has them now: the same user, their new role, or null when the directory
   * no longer lets them in (the session then ends). Checks the directory at most once per interval.
   */
  current(user: User, sessionId: string | null): Promise<User | null>;
  /** A break-glass account completed a sign-in: alert every administrator, in the sign-in's transaction. */
  breakGlassUsed(tx: Db, user: User, address: string): Promise<void>;
}

export const userActor = (u: Pick<User, 'id' | 'name'>): Actor => ({ id: u.id, label: u.name });

export function createAuthService(deps: {
  store: Store;
  audit: AuditService;
  clock: Clock;
  config: Pick<Config, 'requireMfa' | 'sessionTtlMs' | 'identity'>;
  throttle: Throttle;
  users: UserService;
  /** The session policy (timeouts, one session or many, the console allow-list): docs/session-policy.md. */
  policy: SessionPolicyService;
}) {
  const { store, audit, clock, config, throttle, users, policy } = deps;
  const directoryConfigured = config.identity.providers.length > 0;
  /** A local account listed for emergencies while a directory is configured: TOTP required, every use alerted. */
  const isBreakGlass = (email: string) => directoryConfigured && config.identity.breakGlass.includes(email);
  let hooks: DirectoryHooks | null = null;

  const enrolmentRequired = (u: User) =>
    !u.mfaEnabled && (config.requireMfa === 'all' || (config.requireMfa === 'admins' && u.role === 'admin'));

  function info(
    u: User,
    s: { csrf_token: string; mfa_passed: number; expires_at: number; require_totp: number },
  ): SessionInfo {
    const passwordChangeRequired = s.mfa_passed === 1 && u.passwordChangeRequired;
    return {
      user: u,
      csrfToken: s.csrf_token,
      mfaRequired: s.mfa_passed !== 1,
      mfaEnrolmentRequired:
        s.mfa_passed === 1 &&
        !passwordChangeRequired &&
        (enrolmentRequired(u) || (s.require_totp === 1 && !u.mfaEnabled)),
      passwordChangeRequired,
      expiresAt: iso(s.expires_at),
    };
  }

  /** A session's end: its stored expiry, or sooner when the policy's absolute timeout has been shortened since. */
  const endOf = (s: { created_at: number; expires_at: number }, pol: EffectivePolicy) =>
    Math.min(s.expires_at, s.created_at + pol.absoluteMs);

  /** Why the policy ends this session now (absolute or idle timeout), or null. */
  const timedOut = (
    s: { created_at: number; expires_at: number; last_seen_at: number },
    pol: EffectivePolicy,
    now: number,
  ): 'absolute' | 'idle' | null =>
    endOf(s, pol) <= now ? 'absolute' : pol.idleMs !== null && now - s.last_seen_at >= pol.idleMs ? 'idle' : null;

  /** Single-session mode: a completed sign-in ends the person's other sessions (audited with how many). */
  async function endOthersIfSingle(tx: Db, user: User, keepId: string, pol: EffectivePolicy): Promise<void> {
    if (!pol.singleSession) return;
    const ended = await deleteSessionsOfUser(tx, user.id, keepId);
    if (ended > 0)
      await audit.append(tx, userActor(user), {
        action: 'session.others_ended',
        targetType: 'user',
        targetId: user.id,
        after: { ended, reason: 'single_session' },
      });
  }

  /** Refuses (403, audited at most once a minute per session and address) a console request from outside the allow-list. */
  async function refuseAddress(user: Pick<User, 'id' | 'name'> | null, key: string, ip: string, during: string) {
    if (policy.auditRefusal(`session:${key}:${ip}`))
      await store.transaction(async (tx) => {
        await audit.append(tx, user ? userActor(user) : { id: null, label: 'anonymous' }, {
          action: 'session.address_refused',
          targetType: 'user',
          targetId: user?.id ?? null,
          after: { address: ip, during },
        });
      });
    return forbidden(
      `the console may not be used from this address (${ip}): it is not on the session policy's allow-list`,
      {
        code: 'session_policy.address_not_allowed',
        params: { address: ip },
      },
    );
  }

  async function openSession(
    user: User,
    o: {
      mfaPassed: boolean;
      requireTotp: boolean;
      method: string;
      audit: Record<string, unknown>;
      before?: (tx: Db, complete: boolean) => Promise<void>;
    },
  ): Promise<{ cookie: string; info: SessionInfo }> {
    const now = clock.now();
    const pol = await policy.current();
    const cookie = randomToken(32);
    const row = {
      id: sha256Hex(cookie),
      user_id: user.id,
      csrf_token: randomToken(24),
      mfa_passed: o.mfaPassed ? 1 : 0,
      created_at: now,
      expires_at: now + pol.absoluteMs,
      last_seen_at: now,
      require_totp: o.requireTotp ? 1 : 0,
    };
    await store.transaction(async (tx) => {
      // Complete without a second factor: the address is cleared and known; else only the attempt is given back.
      await o.before?.(tx, row.mfa_passed === 1);
      await deleteExpiredSessions(tx, now);
      await insertSession(tx, row);
      if (row.mfa_passed === 1) await users.recordSignIn(tx, user.id, o.method);
      if (row.mfa_passed === 1) await endOthersIfSingle(tx, user, row.id, pol);
      await audit.append(tx, userActor(user), {
        action: 'session.login',
        targetType: 'user',
        targetId: user.id,
        after: { mfaPending: row.mfa_passed !== 1, ...o.audit },
      });
    });
    return { cookie, info: info(user, row) };
  }

  return {
    /**
     * Checks the password, after reserving the attempt with the throttle (429 when it must wait);
     * returns the new session's cookie value and its description.
     */
    async login(email: string, password: string, ip: string): Promise<{ cookie: string; info: SessionInfo }> {
      const normalized = normalizeEmail(email);
      // Outside the console allow-list: refused before the password is looked at (nothing learnt about it).
      if (!addressAllowed((await policy.current()).console, ip))
        throw await refuseAddress(null, normalized, ip, 'sign_in');
      const reservation = await throttle.reserve(normalized, ip);
      const found = await users.credentialsByEmail(normalized);
      const ok = await verifyPassword(found?.passwordHash ?? (await dummyPasswordHash()), password);
      const user = found?.user;
      if (!user || !ok || user.disabled) {
        await store.transaction(async (tx) => {
          await audit.append(
            tx,
            { id: user?.id ?? null, label: 'anonymous' },
            { action: 'session.login_failed', targetType: 'user', targetId: user?.id ?? null },
          );
        });
        throw unauthorized('email or password is wrong, or the account is disabled', { code: 'auth.bad_credentials' });
      }
      const breakGlass = isBreakGlass(user.email);
      const localRefused =
        found.signInMethod !== 'local'
          ? "this account signs in through the firm's directory, not with a password"
          : directoryConfigured && config.identity.localSignIn === 'break_glass' && !breakGlass
            ? "sign-in with a password is kept for break-glass accounts; sign in through the firm's directory"
            : breakGlass && !user.mfaEnabled
              ? 'a break-glass account must have a second factor (TOTP) enrolled before it can sign in'
              : null;
      if (localRefused) {
        await store.transaction(async (tx) => {
          await throttle.succeeded(tx, reservation, false);
          await audit.append(tx, userActor(user), {
            action: 'session.login_refused',
            targetType: 'user',
            targetId: user.id,
            after: { reason: localRefused },
          });
        });
        throw forbidden(localRefused, { code: 'auth.local_sign_in_refused' });
      }
      return openSession(user, {
        mfaPassed: !user.mfaEnabled,
        requireTotp: breakGlass,
        method: 'local',
        audit: breakGlass ? { breakGlass } : {},
        before: (tx, complete) => throttle.succeeded(tx, reservation, complete),
      });
    },

    /**
     * Opens a session for a user a directory vouched for (the identity module), exactly as a password
     * sign-in does: same cookie, CSRF token, expiry and audit. `mfaPassed`: the provider's second factor
     * counts; else Tocsin's TOTP is owed (enrolment first when `requireTotp` and none).
     */
    openDirectorySession(
      user: User,
      opts: { mfaPassed: boolean; requireTotp: boolean; method: string; in?: (tx: Db) => Promise<void> },
    ) {
      return openSession(user, {
        // No code to give without TOTP: the session then owes the enrolment instead (require_totp).
        mfaPassed: opts.mfaPassed || !user.mfaEnabled,
        requireTotp: opts.requireTotp && !opts.mfaPassed,
        method: opts.method,
        audit: { provider: opts.method, providerMfa: opts.mfaPassed },
        before: opts.in ? (tx) => opts.in!(tx) : undefined,
      });
    },

    /** The identity module's checks and alerts, wired once at composition. */
    setDirectoryHooks(h: DirectoryHooks): void {
      hooks = h;
    },

    /**
     * Resolves a session cookie to a principal, or null when absent, unknown or expired (by its lifetime or
     * the policy's idle and absolute timeouts: such a session ends, audited). From an address outside the
     * console allow-list: 403 (`ip` is the request's address; absent, as for a stream's re-check, not checked).
     */
    async resolveSession(cookie: string, ip?: string): Promise<Principal | null> {
      const now = clock.now();
      const s = await findSession(store.db, sha256Hex(cookie));
      if (!s || s.expires_at <= now) return null;
      const pol = await policy.current();
      const why = timedOut(s, pol, now);
      if (why) {
        await store.transaction(async (tx) => {
          if (!(await deleteSession(tx, s.id))) return; // another request ended it (and audited it)
          await audit.append(
            tx,
            { id: null, label: 'system (session policy)' },
            {
              action: 'session.timed_out',
              targetType: 'user',
              targetId: s.user_id,
              after: { reason: why },
            },
          );
        });
        return null;
      }
      if (ip !== undefined && !addressAllowed(pol.console, ip)) {
        const owner = await users.activeById(s.user_id);
        throw await refuseAddress(owner, s.id.slice(0, 16), ip, 'request');
      }
      let user = await users.activeById(s.user_id);
      if (user && hooks && directoryConfigured) {
        user = await hooks.current(user, s.id);
        // The directory no longer lets them in: every session they have ends now, not only this one.
        if (!user) await deleteSessionsOfUser(store.db, s.user_id);
      }
      if (!user) return null;
      if (now - s.last_seen_at > 60_000) await updateSession(store.db, s.id, { last_seen_at: now });
      const sessionInfo = info(user, { ...s, expires_at: endOf(s, pol) });
      return {
        user: sessionInfo.user,
        via: 'session',
        sessionId: s.id,
        csrfToken: s.csrf_token,
        scopes: null,
        restrictedTo: sessionInfo.mfaRequired
          ? 'mfa'
          : sessionInfo.passwordChangeRequired
            ? 'password'
            : sessionInfo.mfaEnrolmentRequired
              ? 'enrol'
              : null,
        session: sessionInfo,
      };
    },

    /** The session as it is now (after a change made during the request), or null when it ended. */
    async sessionInfo(sessionId: string): Promise<SessionInfo | null> {
      const s = await findSession(store.db, sessionId);
      const user = s && (await users.byId(s.user_id));
      return s && user ? info(user, { ...s, expires_at: endOf(s, await policy.current()) }) : null;
    },

    /** How many unexpired sessions each user has now (for the access review; users without any are absent). */
    activeSessionCounts(): Promise<Map<string, number>> {
      return activeSessionCounts(store.db, clock.now());
    },

    /** Whether a principal resolved earlier may still act (for long-lived requests such as the stream). */
    async stillValid(p: Principal): Promise<boolean> {
      const now = clock.now();
      let user = await users.activeById(p.user.id);
      if (user && hooks && directoryConfigured) user = await hooks.current(user, p.sessionId ?? null);
      if (!user || user.role !== p.user.role) return false;
      if (p.sessionId) {
        const s = await findSession(store.db, p.sessionId);
        return !!s && s.expires_at > now && !timedOut(s, await policy.current(), now);
      }
      if (p.tokenId) {
        const t = await findToken(store.db, p.tokenId);
        const max = (await policy.current()).tokenMaxMs;
        return (
          !!t && !t.revoked_at && (!t.expires_at || t.expires_at > now) && (max === null || t.created_at + max > now)
        );
      }
      return true;
    },

    async logout(p: Principal): Promise<void> {
      if (!p.sessionId) return;
      await store.transaction(async (tx) => {
        await deleteSession(tx, p.sessionId!);
        await audit.append(tx, userActor(p.user), {
          action: 'session.logout',
          targetType: 'user',
          targetId: p.user.id,
        });
      });
    },

    /** Sign out everywhere: ends every session of the caller, this one included; audited. */
    async signOutEverywhere(p: Principal): Promise<number> {
      return store.transaction(async (tx) => {
        const ended = await deleteSessionsOfUser(tx, p.user.id);
        await audit.append(tx, actorOf(p), {
          action: 'session.signed_out_everywhere',
          targetType: 'user',
          targetId: p.user.id,
          after: { ended, by: 'self' },
        });
        return ended;
      });
    },

    /** An administrator signs a person out everywhere (every session ends); audited. 404 for an unknown user. */
    async signOutUser(p: Principal, userId: string): Promise<number> {
      assertCan(p, 'user.manage');
      await users.get(userId); // 404 for an unknown user
      return store.transaction(async (tx) => {
        const ended = await deleteSessionsOfUser(tx, userId);
        await audit.append(tx, actorOf(p), {
          action: 'session.signed_out_everywhere',
          targetType: 'user',
          targetId: userId,
          after: { ended, by: 'administrator' },
        });
        return ended;
      });
    },

    /** Second step of sign-in for users with MFA. */
    async verifyMfa(p: Principal, code: string, ip: string): Promise<SessionInfo> {
      const found = await users.credentialsOf(p.user.id);
      if (!found?.totp.secret || !found.user.mfaEnabled || !p.sessionId)
        throw conflict('this account has no second factor to verify', { code: 'auth.mfa_not_enabled' });
      const { user, totp } = found;
      const reservation = await throttle.reserve(user.email, ip);
      const step = acceptedStep(totp, code);
      if (step === null) {
        await store.transaction(async (tx) => {
          await audit.append(tx, userActor(user), {
            action: 'session.mfa_failed',
            targetType: 'user',
            targetId: user.id,
          });
        });
        throw unauthorized('the code is wrong, expired or already used', { code: 'auth.mfa_code_wrong' });
      }
      await store.transaction(async (tx) => {
        // Taken by another sign-in since it was read: refused as a code used twice.
        if (!(await users.acceptMfaStep(tx, user.id, step)))
          throw unauthorized('the code is wrong, expired or already used', { code: 'auth.mfa_code_wrong' });
        await throttle.succeeded(tx, reservation, true);
        await updateSession(tx, p.sessionId!, { mfa_passed: 1 });
        await users.recordSignIn(tx, user.id, found.signInMethod);
        await endOthersIfSingle(tx, user, p.sessionId!, await policy.current());
        await audit.append(tx, userActor(user), {
          action: 'session.mfa_passed',
          targetType: 'user',
          targetId: user.id,
        });
        if (isBreakGlass(user.email) && found.signInMethod === 'local') await hooks?.breakGlassUsed(tx, user, ip);
      });
      const s = (await findSession(store.db, p.sessionId))!;
      return info(user, { ...s, expires_at: endOf(s, await policy.current()) });
    },

    /** Starts TOTP enrolment: a new secret, not yet active until verified. */
    async enrolMfa(p: Principal): Promise<{ secret: string; otpauthUrl: string }> {
      const user = await users.byId(p.user.id);
      if (!user) throw unauthorized();
      if (user.mfaEnabled)
        throw conflict('a second factor is already enabled for this account', { code: 'auth.mfa_already_enabled' });
      const secret = authenticator.generateSecret();
      await store.transaction(async (tx) => {
        await users.startMfaEnrolment(tx, user.id, secret);
        await audit.append(tx, userActor(user), {
          action: 'user.mfa_enrol_started',
          targetType: 'user',
          targetId: user.id,
        });
      });
      return { secret, otpauthUrl: authenticator.keyuri(user.email, 'Tocsin', secret) };
    },

    /** Completes enrolment with a code from the authenticator app; the session counts as MFA-passed. */
    async confirmMfa(p: Principal, code: string): Promise<void> {
      const found = await users.credentialsOf(p.user.id);
      if (!found?.totp.secret) throw conflict('start enrolment first', { code: 'auth.mfa_enrol_first' });
      const { user, totp } = found;
      if (user.mfaEnabled)
        throw conflict('a second factor is already enabled for this account', { code: 'auth.mfa_already_enabled' });
      const step = acceptedStep(totp, code);
      if (step === null)
        throw invalid(
          'the code is wrong or expired',
          [{ path: 'code', message: 'wrong or expired', code: 'wrong_code' }],
          { code: 'auth.mfa_code_wrong' },
        );
      await store.transaction(async (tx) => {
        await users.enableMfa(tx, user.id, step);
        if (p.sessionId) await updateSession(tx, p.sessionId, { mfa_passed: 1 });
        await audit.append(tx, userActor(user), { action: 'user.mfa_enabled', targetType: 'user', targetId: user.id });
      });
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
