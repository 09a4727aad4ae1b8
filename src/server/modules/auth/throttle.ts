/** Login throttling: too many failures for one account or from one address lock further tries for a while. */
import type { Db } from '../../platform/db/types.js';
import { tooMany } from '../../platform/errors.js';
import { clearThrottle, findThrottle, upsertThrottle } from './auth.repository.js';

export interface ThrottlePolicy {
  windowMs: number;
  maxPerAccount: number;
  maxPerAddress: number;
  lockMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = { windowMs: 15 * 60_000, maxPerAccount: 5, maxPerAddress: 50, lockMs: 15 * 60_000 };

const keys = (email: string, ip: string) => [
  { key: `acct:${email.toLowerCase()}`, field: 'maxPerAccount' as const },
  { key: `ip:${ip}`, field: 'maxPerAddress' as const },
];

/** Refuses with 429 while the account or the address is locked. */
export async function assertNotLocked(db: Db, email: string, ip: string, now: number): Promise<void> {
  for (const { key } of keys(email, ip)) {
    const t = await findThrottle(db, key);
    if (t?.locked_until && t.locked_until > now) {
      const minutes = Math.ceil((t.locked_until - now) / 60_000);
      throw tooMany(`too many failed sign-in attempts; try again in ${minutes} minute(s)`, { code: 'auth.throttled', params: { minutes } });
    }
  }
}

export async function recordFailure(db: Db, email: string, ip: string, now: number, p: ThrottlePolicy): Promise<void> {
  for (const { key, field } of keys(email, ip)) {
    const t = await findThrottle(db, key);
    const fresh = !t || now - t.window_start > p.windowMs;
    const failures = fresh ? 1 : t.failures + 1;
    await upsertThrottle(db, {
      key,
      failures,
      window_start: fresh ? now : t.window_start,
      locked_until: failures >= p[field] ? now + p.lockMs : null,
    });
  }
}

export async function recordSuccess(db: Db, email: string): Promise<void> {
  await clearThrottle(db, `acct:${email.toLowerCase()}`);
}
