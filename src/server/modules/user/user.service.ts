/** User accounts: creation, directory, role changes; the first administrator. */
import type { User } from '../../../shared/user-schemas.js';
import type { Locale, UserRole } from '../../../shared/enums.js';
import { stripBidiControls } from '../../../shared/text.js';
import { afterCommit, type Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { hashPassword, randomToken } from '../../platform/crypto.js';
import { iso, newId, type Clock } from '../../platform/ids.js';
import type { Actor, AuditService } from '../audit/index.js';
import {
  acceptTotpStep,
  countUsers,
  deleteSessionsOf,
  findActiveWithRole,
  findByEmail,
  findById,
  findByIds,
  insertUser,
  listUsers,
  updateUser,
  type UserRow,
} from './user.repository.js';

/** How an email is compared and stored: without surrounding spaces, in lower case. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export function toUser(r: UserRow): User {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role as UserRole,
    locale: r.locale as Locale,
    mfaEnabled: r.mfa_enabled === 1,
    disabled: r.disabled === 1,
    createdAt: iso(r.created_at),
    passwordChangeRequired: r.must_change_password === 1,
  };
}

/** What the audit log keeps of a user: never the password hash or MFA secret. */
const auditView = (r: UserRow) => ({
  email: r.email,
  name: r.name,
  role: r.role,
  disabled: r.disabled === 1,
  mfaEnabled: r.mfa_enabled === 1,
  mustChangePassword: r.must_change_password === 1,
});

/**
 * What signing in checks of an account, beside the account itself: for the auth module only, never
 * sent to a client nor written to the audit log.
 */
export interface Credentials {
  user: User;
  passwordHash: string;
  /** The TOTP secret (set when enrolment starts, active once `user.mfaEnabled`) and the last time step accepted. */
  totp: { secret: string | null; lastStep: number | null };
  /** `local` (password) or the identity provider's id. */
  signInMethod: string;
}

const toCredentials = (r: UserRow): Credentials => ({
  user: toUser(r),
  passwordHash: r.password_hash,
  totp: { secret: r.mfa_secret, lastStep: r.mfa_last_step },
  signInMethod: r.sign_in_method,
});

/** How a user signs in, for the administrators' "who can sign in how". */
export interface SignInMethodRow {
  user: User;
  signInMethod: string;
  lastSignInAt: number | null;
}

/** The columns a new password sets; `mustChange`: someone else chose it, so the next sign-in must change it. */
const passwordSet = (hash: string, mustChange: boolean, now: number): Partial<UserRow> => ({
  password_hash: hash,
  must_change_password: mustChange ? 1 : 0,
  password_changed_at: now,
  updated_at: now,
});

export interface NewUser {
  email: string;
  name: string;
  role: UserRole;
  password: string;
  locale?: Locale;
  /** The password was generated or chosen by someone else: the first sign-in must change it. */
  mustChangePassword?: boolean;
  /** `local` (default) or the identity provider the person signs in with (their password is then unusable). */
  signInMethod?: string;
}

export function createUserService(deps: { store: Store; audit: AuditService; clock: Clock }) {
  const { store, audit, clock } = deps;

  async function create(actor: Actor, input: NewUser): Promise<User> {
    const email = normalizeEmail(input.email);
    // The CLI calls this without the API's schema: the same hygiene for a name as there.
    const name = stripBidiControls(input.name).trim();
    if (!name) throw invalid('a user needs a name', [{ path: 'name', message: 'empty' }]);
    const passwordHash = await hashPassword(input.password);
    return store.transaction(async (tx) => {
      if (await findByEmail(tx, email))
        throw conflict(`a user with email ${email} already exists`, { code: 'user.email_taken', params: { email } });
      const now = clock.now();
      const row: UserRow = {
        id: newId(),
        email,
        name,
        role: input.role,
        locale: input.locale ?? 'zh-CN',
        password_hash: passwordHash,
        mfa_secret: null,
        mfa_enabled: 0,
        mfa_last_step: null,
        disabled: 0,
        created_at: now,
        updated_at: now,
        must_change_password: input.mustChangePassword ? 1 : 0,
        password_changed_at: now,
        sign_in_method: input.signInMethod ?? 'local',
        last_sign_in_at: null,
      };
      await insertUser(tx, row);
      await audit.append(tx, actor, {
        action: 'user.create',
        targetType: 'user',
        targetId: row.id,
        after: auditView(row),
      });
      return toUser(row);
    });
  }

  // Told after a user's change commits (a cache of principals drops what it holds).
  const changeListeners = new Set<() => void>();
  return {
    create,

    async get(id: string): Promise<User> {
      const r = await findById(store.db, id);
      if (!r) throw notFound(`user ${id}`, { code: 'user.not_found', params: { id } });
      return toUser(r);
    },

    async list(cursor: string | undefined, limit: number): Promise<{ items: User[]; next: string | null }> {
      const rows = await listUsers(store.db, cursor, limit + 1);
      const page = rows.slice(0, limit);
      return { items: page.map(toUser), next: rows.length > limit ? page[page.length - 1]!.email : null };
    },

    async update(
      actor: Actor,
      id: string,
      patch: {
        name?: string;
        role?: UserRole;
        locale?: Locale;
        disabled?: boolean;
        password?: string;
        resetMfa?: true;
      },
    ): Promise<User> {
      const passwordHash = patch.password ? await hashPassword(patch.password) : undefined;
      return store.transaction(async (tx) => {
        const before = await findById(tx, id);
        if (!before) throw notFound(`user ${id}`, { code: 'user.not_found', params: { id } });
        if (actor.id === id && (patch.disabled === true || (patch.role && patch.role !== before.role))) {
          throw invalid('you cannot disable yourself or change your own role', undefined, { code: 'user.self_change' });
        }
        const now = clock.now();
        const set: Partial<UserRow> = { updated_at: now };
        if (patch.name !== undefined) set.name = patch.name;
        if (patch.role !== undefined) set.role = patch.role;
        if (patch.locale !== undefined) set.locale = patch.locale;
        if (patch.disabled !== undefined) set.disabled = patch.disabled ? 1 : 0;
        // A password someone else set is theirs to know: the user changes it at the next sign-in.
        if (passwordHash) Object.assign(set, passwordSet(passwordHash, true, now));
        if (patch.resetMfa) Object.assign(set, { mfa_secret: null, mfa_enabled: 0, mfa_last_step: null });
        await updateUser(tx, id, set);
        afterCommit(tx, () => {
          for (const fn of changeListeners) fn();
        });
        // Disabling an account or resetting its password ends every session it has.
        if (patch.disabled || passwordHash || patch.resetMfa) await deleteSessionsOf(tx, id);
        const after = { ...before, ...set } as UserRow;
        await audit.append(tx, actor, {
          action: patch.resetMfa ? 'user.mfa_reset' : passwordHash ? 'user.update+password' : 'user.update',
          targetType: 'user',
          targetId: id,
          before: auditView(before),
          after: auditView(after),
        });
        return toUser(after);
      });
    },

    /**
     * Creates the first administrator when the store has no users. Returns the generated password
     * when none was configured (to be shown once on the console, and changed at the first sign-in), else null.
     */
    async ensureFirstAdmin(opts: {
      email?: string;
      password?: string;
    }): Promise<{ email: string; password: string | null } | null> {
      if ((await countUsers(store.db)) > 0) return null;
      const email = opts.email ?? 'admin@tocsin.local';
      const password = opts.password ?? randomToken(15);
      await create(
        { id: null, label: 'system:first-start' },
        { email, name: 'Administrator', role: 'admin', password, mustChangePassword: !opts.password },
      );
      return { email, password: opts.password ? null : password };
    },

    /** The account with this sign-in email (any case, surrounding spaces ignored), disabled or not; null when none. */
    async byEmail(email: string): Promise<User | null> {
      const r = await findByEmail(store.db, normalizeEmail(email));
      return r ? toUser(r) : null;
    },

    /** The account, disabled or not; null when unknown. */
    async byId(id: string): Promise<User | null> {
      const r = await findById(store.db, id);
      return r ? toUser(r) : null;
    },

    /** The account with its password hash and TOTP state, disabled or not; null when unknown. */
    async credentialsOf(id: string): Promise<Credentials | null> {
      const r = await findById(store.db, id);
      return r ? toCredentials(r) : null;
    },

    /** As `credentialsOf`, by sign-in email (any case, surrounding spaces ignored). */
    async credentialsByEmail(email: string): Promise<Credentials | null> {
      const r = await findByEmail(store.db, normalizeEmail(email));
      return r ? toCredentials(r) : null;
    },

    /**
     * Sets a new password hash inside the caller's transaction (the caller audits and ends sessions).
     * `mustChange`: someone else chose it, so the next sign-in must change it first.
     */
    async setPassword(tx: Db, id: string, hash: string, mustChange: boolean): Promise<void> {
      await updateUser(tx, id, passwordSet(hash, mustChange, clock.now()));
    },

    /** TOTP enrolment started, inside the caller's transaction: a new secret, not active until `enableMfa`. */
    async startMfaEnrolment(tx: Db, id: string, secret: string): Promise<void> {
      await updateUser(tx, id, { mfa_secret: secret, updated_at: clock.now() });
    },

    /** TOTP enrolment confirmed with a code of time step `step`, inside the caller's transaction. */
    async enableMfa(tx: Db, id: string, step: number): Promise<void> {
      await updateUser(tx, id, { mfa_enabled: 1, mfa_last_step: step, updated_at: clock.now() });
    },

    /**
     * A TOTP code of time step `step` is accepted at sign-in: no code of that step or earlier is accepted
     * again. False when a code of that step or a later one was taken meanwhile (two sign-ins sending the
     * same code at once, through different web processes): the caller refuses this one.
     */
    async acceptMfaStep(tx: Db, id: string, step: number): Promise<boolean> {
      return acceptTotpStep(tx, id, step);
    },

    /** A complete sign-in, inside the caller's transaction: the time, and the method it was made with. */
    async recordSignIn(tx: Db, id: string, method: string): Promise<void> {
      const now = clock.now();
      await updateUser(tx, id, { last_sign_in_at: now, sign_in_method: method, updated_at: now });
    },

    /** Every account with how it signs in and when it last did (at most `limit`, by email). */
    async signInMethods(limit = 5000): Promise<SignInMethodRow[]> {
      const rows = await listUsers(store.db, undefined, limit);
      return rows.map((r) => ({ user: toUser(r), signInMethod: r.sign_in_method, lastSignInAt: r.last_sign_in_at }));
    },

    /** The user, or null when there is none or the account is disabled. `db`: the caller's transaction, if any. */
    /** Calls `fn` after any user's role, status or credentials change commits; returns a function that stops it. */
    onChange(fn: () => void): () => void {
      changeListeners.add(fn);
      return () => changeListeners.delete(fn);
    },

    async activeById(id: string, db: Db = store.db): Promise<User | null> {
      const r = await findById(db, id);
      return r && r.disabled !== 1 ? toUser(r) : null;
    },

    /** The active user with this sign-in email (any case), or null; `db`: the caller's transaction, if any. */
    async activeByEmail(email: string, db: Db = store.db): Promise<User | null> {
      const r = await findByEmail(db, normalizeEmail(email));
      return r && r.disabled !== 1 ? toUser(r) : null;
    },

    /** The ids of the active users of `role` (at most 1000). */
    async activeIdsWithRole(role: UserRole, db: Db = store.db): Promise<string[]> {
      return (await findActiveWithRole(db, role)).map((r) => r.id);
    },

    /** The names of users by id, disabled ones too (unknown ids are absent), in one query. */
    async namesOf(ids: Iterable<string>, db: Db = store.db): Promise<Map<string, string>> {
      const rows = await findByIds(db, [...new Set(ids)]);
      return new Map(rows.map((r) => [r.id, r.name]));
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
