/** Schemas of password changes, administrator resets and the sign-in throttle (see docs/auth.md). */
import { z } from 'zod';
import { User } from './user-schemas.js';

const nullableIso = z.iso.datetime({ offset: true }).nullable();

/** Shortest password accepted anywhere. */
export const MIN_PASSWORD_LENGTH = 12;

export const PasswordChange = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(256),
});

/** An administrator's reset: without `password`, a one-time password is generated and shown once. */
export const PasswordReset = z.strictObject({
  password: z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(256).optional(),
});
export const PasswordResetResult = z.object({
  user: User,
  /** The generated one-time password (shown only in this response); null when one was given. */
  password: z.string().nullable(),
});

const Budget = z.object({
  failures: z.number().int(),
  limit: z.number().int(),
  resetsAt: nullableIso,
  spent: z.boolean(),
});

/** Where an account stands with the sign-in throttle. */
export const SignInState = z.object({
  /** Some address must wait, or a budget it needs is spent. */
  blocked: z.boolean(),
  /** Failures at this account from addresses it has not signed in from recently, across all of them. */
  account: Budget,
  addresses: z.array(
    z.object({
      /** An IPv4 address, or an IPv6 /64. */
      address: z.string(),
      failures: z.number().int(),
      lastFailureAt: nullableIso,
      /** The next attempt from there may not start before this time; null: it may now. */
      nextAttemptAt: nullableIso,
      lastSuccessAt: nullableIso,
      lastRefusedAt: nullableIso,
      bypassUntil: nullableIso,
      /** Passes the address-wide and account-wide budgets (a recent sign-in from there, or an unlock). */
      known: z.boolean(),
      /** Failures from this address across every account. */
      budget: Budget,
    }),
  ),
});
export type SignInState = z.infer<typeof SignInState>;
