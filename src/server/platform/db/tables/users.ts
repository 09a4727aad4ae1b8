/** Accounts and sign-in: users, sessions, API tokens, sign-in throttling. */

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  role: string;
  locale: string;
  password_hash: string;
  mfa_secret: string | null;
  mfa_enabled: number;
  /** The last TOTP time step accepted: a code is good once. */
  mfa_last_step: number | null;
  disabled: number;
  created_at: number;
  updated_at: number;
  /** 1: the password was generated or reset by someone else; the next sign-in must change it first. */
  must_change_password: number;
  password_changed_at: number | null;
  /** `local` (password) or the id of the identity provider the person signs in with (migration 0054). */
  sign_in_method: string;
  last_sign_in_at: number | null;
}

export interface SessionsTable {
  id: string; // SHA-256 of the cookie value
  user_id: string;
  csrf_token: string;
  mfa_passed: number;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
  /** 1: the session must pass Tocsin's TOTP, enrolling first when the account has none. */
  require_totp: number;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  scopes: string; // JSON array
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  revoked_at: number | null;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_start: number;
  locked_until: number | null;
}

/** Sign-in throttle of one (account, address) pair; see modules/auth/throttle.ts. */
export interface SignInPairsTable {
  email: string;
  address: string;
  /** Failed (or in-flight) attempts since the last success from this address. */
  failures: number;
  last_failure_at: number | null;
  /** The next attempt may not start before this time. */
  next_at: number | null;
  last_success_at: number | null;
  last_refused_at: number | null;
  /** Set by an administrator's unlock: the pair passes the address-wide and account-wide budgets until then. */
  bypass_until: number | null;
}

/** The session policy (migration 0056): one row, id 1; absent = the defaults. */
export interface SessionPolicyTable {
  id: number;
  policy_json: string;
  updated_at: number;
  updated_by: string | null;
}
