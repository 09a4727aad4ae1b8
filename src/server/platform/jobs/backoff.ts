/** When a failed job tries again: exponential backoff with jitter. */

export interface BackoffPolicy {
  /** Wait after the first failure (ms). */
  baseMs: number;
  /** The wait never exceeds this (ms), jitter included. */
  maxMs: number;
  /** Up to this fraction of the wait is added at random, so jobs that failed together do not retry together. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, maxMs: 60 * 60_000, jitter: 0.2 };

/** The wait before the next try after `attempts` failed tries (1 = the first failed): base · 2^(attempts-1) · (1 + jitter·random). */
export function backoffDelay(policy: BackoffPolicy, attempts: number, random: () => number = Math.random): number {
  const exp = policy.baseMs * 2 ** Math.max(0, attempts - 1);
  return Math.round(Math.min(policy.maxMs, exp * (1 + policy.jitter * random())));
}
