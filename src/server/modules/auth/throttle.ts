/**
 * Sign-in throttle (docs/auth.md). Every password or code check first reserves an attempt in the
 * store, atomically, so parallel requests cannot get past it:
 * - per (account, address): a few free failures, then each further attempt waits 1 s, 2 s, 4 s ...
 *   up to `maxDelayMs`; a complete sign-in from the address clears it. Nobody elsewhere can make the
 *   account's owner wait.
 * - address-wide and account-wide budgets (failures per window) stop stuffing from one source across
 *   many accounts and guessing at one account from many sources. An address the account signed in
 *   from recently ("known"), or one an administrator unlocked, passes both budgets, so a stuffer
 *   behind the same NAT does not lock out the people who work there.
 */
import ipaddr from 'ipaddr.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { tooMany } from '../../platform/errors.js';
import type { Clock } from '../../platform/ids.js';
import { normalizeEmail } from '../user/index.js';
import {
  clearPair,
  deleteBudget,
  findBudgets,
  findPair,
  listPairs,
  markRefused,
  pruneThrottle,
  refundPair,
  releaseBudget,
  reserveBudget,
  reservePair,
  unlockPairs,
} from './throttle.repository.js';

export interface ThrottlePolicy {
  /** Failures from one address for one account before any delay. */
  freeFailures: number;
  /** The wait after the first failure past the free ones; it doubles with each further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A pair's failures are forgotten this long after its last failure. */
  forgetAfterMs: number;
  /** Failures from one address across all accounts per window (known addresses aside). */
  maxPerAddress: number;
  /** Failures at one account across all its unknown addresses per window. */
  maxPerAccount: number;
  budgetWindowMs: number;
  /** An address the account completed a sign-in from this recently passes the budgets. */
  knownForMs: number;
  /** How long an administrator's unlock lets the account's addresses past the budgets. */
  unlockBypassMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  freeFailures: 5,
  baseDelayMs: 1000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 24 * 3600_000,
  maxPerAddress: 50,
  maxPerAccount: 100,
  budgetWindowMs: 15 * 60_000,
  knownForMs: 30 * 24 * 3600_000,
  unlockBypassMs: 3600_000,
};

/**
 * The address an attempt is counted against: IPv4 as is (IPv4-mapped IPv6 unwrapped), IPv6 by its
 * /64, since one client commonly holds a whole /64 and could otherwise hop addresses.
 */
export function throttleAddress(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const a = ipaddr.process(ip);
  if (a.kind() === 'ipv4') return a.toString();
  const parts = (a as ipaddr.IPv6).toNormalizedString().split(':').slice(0, 4);
  return `${ipaddr.parse(`${parts.join(':')}::`).toString()}/64`;
}

const budgetKeys = (email: string, address: string, p: ThrottlePolicy) => [
  { key: `ip:${address}`, max: p.maxPerAddress, what: 'from this address' },
  { key: `acct:${email}`, max: p.maxPerAccount, what: 'at this account' },
];

/** What a granted attempt holds until its outcome is known. */
export interface Reservation {
  email: string;
  address: string;
  budgets: { key: string; windowStart: number }[];
  /** The pair's count with this attempt, and the pair as it was before it (to give the attempt back). */
  failures: number;
  before: { failures: number; last_failure_at: number | null; next_at: number | null } | null;
}

export interface ThrottleState {
  account: BudgetState;
  addresses: {
    address: string;
    failures: number;
    lastFailureAt: number | null;
    /** When the next attempt may start; null when it may now. */
    nextAttemptAt: number | null;
    lastSuccessAt: number | null;
    lastRefusedAt: number | null;
    bypassUntil: number | null;
    /** Passes the budgets (a recent sign-in from there, or an unlock). */
    known: boolean;
    budget: BudgetState;
  }[];
  /** Some address must wait, or a budget it would need is spent. */
  blocked: boolean;
}

export interface BudgetState {
  failures: number;
  limit: number;
  /** When the window ends; null when no failure is counted. */
  resetsAt: number | null;
  spent: boolean;
}

function waitText(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return s < 120 ? `${s} second(s)` : `${Math.ceil(s / 60)} minute(s)`;
}

export function createThrottle(deps: { store: Store; clock: Clock; policy?: ThrottlePolicy }) {
  const { store, clock } = deps;
  const p = deps.policy ?? DEFAULT_THROTTLE;
  const ladder = { free: p.freeFailures, baseMs: p.baseDelayMs, maxMs: p.maxDelayMs, forgetMs: p.forgetAfterMs };
  let lastPrune = 0;

  const isKnown = (row: { last_success_at: number | null; bypass_until: number | null } | undefined, now: number) =>
    !!row &&
    ((row.last_success_at != null && row.last_success_at > now - p.knownForMs) ||
      (row.bypass_until != null && row.bypass_until > now));

  function budgetState(
    row: { failures: number; window_start: number } | undefined,
    limit: number,
    now: number,
  ): BudgetState {
    const live = !!row && row.window_start + p.budgetWindowMs > now && row.failures > 0;
    return {
      failures: live ? row.failures : 0,
      limit,
      resetsAt: live ? row.window_start + p.budgetWindowMs : null,
      spent: live && row.failures >= limit,
    };
  }

  return {
    policy: p,

    /**
     * Reserves an attempt for (email, ip) before the password or code is checked; throws 429 with
     * Retry-After when it must wait. The reservation counts as a failure until `succeeded` says otherwise.
     */
    async reserve(emailIn: string, ip: string): Promise<Reservation> {
      const email = normalizeEmail(emailIn);
      const address = throttleAddress(ip);
      const now = clock.now();
      // One short transaction, no audit entry and no fsync wait: this runs at an attacker's rate.
      type Outcome = { refused: string; waitMs: number } | { reservation: Reservation };
      const r = await store.transaction(
        async (tx): Promise<Outcome> => {
          const before = (await findPair(tx, email, address)) ?? null;
          const known = isKnown(before ?? undefined, now);
          const held: Reservation['budgets'] = [];
          if (!known) {
            for (const b of budgetKeys(email, address, p)) {
              const row = await reserveBudget(tx, b.key, b.max, p.budgetWindowMs, now);
              if (!row) {
                for (const h of held) await releaseBudget(tx, h.key, h.windowStart);
                await markRefused(tx, email, address, now);
                const budget = (await findBudgets(tx, [b.key]))[0];
                const waitMs = budget ? budget.window_start + p.budgetWindowMs - now : p.budgetWindowMs;
                return { refused: `too many failed sign-in attempts ${b.what}`, waitMs };
              }
              held.push({ key: b.key, windowStart: row.window_start });
            }
          }
          const pair = await reservePair(tx, email, address, now, ladder);
          if (!pair) {
            for (const h of held) await releaseBudget(tx, h.key, h.windowStart);
            await markRefused(tx, email, address, now);
            const row = await findPair(tx, email, address);
            return {
              refused: 'too many failed sign-in attempts for this account from this address',
              waitMs: (row?.next_at ?? now) - now,
            };
          }
          return { reservation: { email, address, budgets: held, failures: pair.failures, before } };
        },
        { durability: 'relaxed', audited: false },
      );
      if ('refused' in r) {
        const seconds = Math.max(1, Math.ceil(r.waitMs / 1000));
        throw tooMany(
          `${r.refused}; try again in ${waitText(r.waitMs)}, or ask an administrator to unlock the account`,
          seconds,
          { code: 'auth.throttled', params: { seconds } },
        );
      }
      return r.reservation;
    },

    /**
     * The password or code was right. `complete`: the sign-in is whole (no second factor owed), so the
     * pair's failures are cleared and the address becomes known; otherwise the attempt is only given back.
     * Runs inside the caller's transaction.
     */
    async succeeded(tx: Db, r: Reservation, complete: boolean): Promise<void> {
      const now = clock.now();
      if (complete) await clearPair(tx, r.email, r.address, now);
      else await refundPair(tx, r.email, r.address, r);
      for (const b of r.budgets) await releaseBudget(tx, b.key, b.windowStart);
      if (now - lastPrune > 10 * 60_000) {
        lastPrune = now;
        await pruneThrottle(tx, now, { forgetMs: p.forgetAfterMs, knownMs: p.knownForMs, windowMs: p.budgetWindowMs });
      }
    },

    /** Where an account stands: per address and account-wide. */
    async state(db: Db, emailIn: string): Promise<ThrottleState> {
      const email = normalizeEmail(emailIn);
      const now = clock.now();
      const pairs = await listPairs(db, email, 50);
      const budgets = new Map(
        (await findBudgets(db, [`acct:${email}`, ...pairs.map((x) => `ip:${x.address}`)])).map((b) => [b.key, b]),
      );
      const account = budgetState(budgets.get(`acct:${email}`), p.maxPerAccount, now);
      const addresses = pairs.map((x) => {
        const known = isKnown(x, now);
        const forgotten = x.last_failure_at == null || x.last_failure_at + p.forgetAfterMs <= now;
        return {
          address: x.address,
          failures: forgotten ? 0 : x.failures,
          lastFailureAt: x.last_failure_at,
          nextAttemptAt: x.next_at != null && x.next_at > now ? x.next_at : null,
          lastSuccessAt: x.last_success_at,
          lastRefusedAt: x.last_refused_at,
          bypassUntil: x.bypass_until != null && x.bypass_until > now ? x.bypass_until : null,
          known,
          budget: budgetState(budgets.get(`ip:${x.address}`), p.maxPerAddress, now),
        };
      });
      const blocked = addresses.some(
        (a) => a.nextAttemptAt !== null || (!a.known && (a.budget.spent || account.spent)),
      );
      return { account, addresses, blocked };
    },

    /** An administrator's unlock, inside the caller's transaction: see `unlockPairs`; the account-wide budget starts afresh. */
    async unlock(tx: Db, emailIn: string): Promise<void> {
      const email = normalizeEmail(emailIn);
      await unlockPairs(tx, email, clock.now() + p.unlockBypassMs);
      await deleteBudget(tx, `acct:${email}`);
    },
  };
}

export type Throttle = ReturnType<typeof createThrottle>;
