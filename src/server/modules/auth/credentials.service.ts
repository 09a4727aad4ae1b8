/**
 * Passwords and sign-in locks: a user's own change, an administrator's reset (a one-time password
 * that must be changed at the next sign-in), and the throttle's state and unlock. Every change is
 * audited; the audit entry never holds a password or hash.
 */
import type { SignInState } from '../../../shared/auth-schemas.js';
import type { User } from '../../../shared/user-schemas.js';
import { hashPassword, randomToken, verifyPassword } from '../../platform/crypto.js';
import type { Store } from '../../platform/db/connect.js';
import { forbidden, invalid, unauthorized } from '../../platform/errors.js';
import { iso } from '../../platform/ids.js';
import type { Actor, AuditService } from '../audit/index.js';
import type { UserService } from '../user/index.js';
import { deleteSessionsOfUser } from './auth.repository.js';
import { passwordProblems } from './password-policy.js';
import type { Principal } from './principal.js';
import type { Throttle, ThrottleState } from './throttle.js';

/** A one-time password: 20 URL-safe characters (120 bits). */
export const oneTimePassword = (): string => randomToken(15);

function toSignInState(s: ThrottleState): SignInState {
  const budget = (b: ThrottleState['account']) => ({ ...b, resetsAt: iso(b.resetsAt) });
  return {
    blocked: s.blocked,
    account: budget(s.account),
    addresses: s.addresses.map((a) => ({
      ...a,
      lastFailureAt: iso(a.lastFailureAt),
      nextAttemptAt: iso(a.nextAttemptAt),
      lastSuccessAt: iso(a.lastSuccessAt),
      lastRefusedAt: iso(a.lastRefusedAt),
      bypassUntil: iso(a.bypassUntil),
      budget: budget(a.budget),
    })),
  };
}

export function createCredentialsService(deps: {
  store: Store;
  audit: AuditService;
  throttle: Throttle;
  users: UserService;
}) {
  const { store, audit, throttle, users } = deps;

  return {
    /**
     * The signed-in user changes their own password with the current one (checked through the sign-in
     * throttle, so a left-open console cannot be used to guess it). Every other session of the user
     * ends; this one stays, no longer restricted.
     */
    async change(p: Principal, input: { currentPassword: string; newPassword: string }, ip: string): Promise<void> {
      if (p.via !== 'session' || !p.sessionId)
        throw forbidden('a password is changed from a signed-in console session, not with an API token', {
          code: 'auth.password_session_only',
        });
      const found = await users.credentialsOf(p.user.id);
      if (!found || found.user.disabled) throw unauthorized();
      const { user, passwordHash } = found;
      const problems = await passwordProblems(input.newPassword, {
        email: user.email,
        name: user.name,
        current: input.currentPassword,
      });
      if (problems.length)
        throw invalid(
          `the new password ${problems.join('; ')}`,
          problems.map((m) => ({ path: 'body.newPassword', message: m })),
          { code: 'auth.password_rejected' },
        );
      const reservation = await throttle.reserve(user.email, ip);
      if (!(await verifyPassword(passwordHash, input.currentPassword))) {
        await store.transaction((tx) =>
          audit.append(
            tx,
            { id: user.id, label: user.name },
            { action: 'user.password_change_failed', targetType: 'user', targetId: user.id },
          ),
        );
        throw invalid(
          'the current password is wrong',
          [{ path: 'body.currentPassword', message: 'wrong password', code: 'wrong_password' }],
          { code: 'auth.password_wrong' },
        );
      }
      const hash = await hashPassword(input.newPassword);
      await store.transaction(async (tx) => {
        await throttle.succeeded(tx, reservation, false);
        await users.setPassword(tx, user.id, hash, false);
        const ended = await deleteSessionsOfUser(tx, user.id, p.sessionId);
        await audit.append(
          tx,
          { id: user.id, label: user.name },
          {
            action: 'user.password_changed',
            targetType: 'user',
            targetId: user.id,
            before: { mustChangePassword: user.passwordChangeRequired },
            after: { mustChangePassword: false, otherSessionsEnded: ended },
          },
        );
      });
    },

    /**
     * An administrator (or the CLI) sets a new password for someone else: the given one or a generated
     * one-time password, returned only here. The user must change it at the next sign-in; their
     * sessions end and their sign-in throttle is cleared (failures were against the old password).
     */
    async reset(actor: Actor, userId: string, given?: string): Promise<{ user: User; password: string | null }> {
      if (actor.id === userId)
        throw invalid(
          'change your own password with your current one (POST /api/v1/me/password), not by a reset',
          undefined,
          { code: 'auth.reset_self' },
        );
      const user = await users.get(userId);
      if (given !== undefined) {
        const problems = await passwordProblems(given, { email: user.email, name: user.name }, { strength: false });
        if (problems.length)
          throw invalid(
            `the password ${problems.join('; ')}`,
            problems.map((m) => ({ path: 'body.password', message: m })),
            { code: 'auth.password_rejected' },
          );
      }
      const password = given ?? oneTimePassword();
      const hash = await hashPassword(password);
      return store.transaction(async (tx) => {
        await users.setPassword(tx, user.id, hash, true);
        const ended = await deleteSessionsOfUser(tx, user.id);
        await throttle.unlock(tx, user.email);
        await audit.append(tx, actor, {
          action: 'user.password_reset',
          targetType: 'user',
          targetId: user.id,
          before: { mustChangePassword: user.passwordChangeRequired },
          after: { mustChangePassword: true, generated: given === undefined, sessionsEnded: ended },
        });
        return { user: { ...user, passwordChangeRequired: true }, password: given === undefined ? password : null };
      });
    },

    /** The account's sign-in throttle, per address and account-wide. */
    async signInState(userId: string): Promise<SignInState> {
      const user = await users.get(userId);
      return toSignInState(await throttle.state(store.db, user.email));
    },

    /** Clears the account's throttle: see `Throttle.unlock`. */
    async unlock(actor: Actor, userId: string): Promise<SignInState> {
      const user = await users.get(userId);
      await store.transaction(async (tx) => {
        const before = await throttle.state(tx, user.email);
        await throttle.unlock(tx, user.email);
        await audit.append(tx, actor, {
          action: 'user.sign_in_unlocked',
          targetType: 'user',
          targetId: user.id,
          before: {
            blocked: before.blocked,
            addresses: before.addresses.length,
            failures: before.addresses.reduce((n, a) => n + a.failures, 0),
            accountFailures: before.account.failures,
          },
          after: { blocked: false },
        });
      });
      return toSignInState(await throttle.state(store.db, user.email));
    },
  };
}

export type CredentialsService = ReturnType<typeof createCredentialsService>;
