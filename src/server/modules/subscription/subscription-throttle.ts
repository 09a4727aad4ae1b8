/**
 * The abuse guard of the subscribe form, without a CAPTCHA: fixed-window budgets per client address
 * (IPv6 by its /64, like sign-in's throttle) and per email address (by its keyed hash), counted in the
 * store by one atomic upsert each, so every web process spends the same budget. Past either: 429 with
 * Retry-After (when the window ends). One address cannot be mail-bombed with confirmations from many
 * IPs, and one IP cannot sign up a list of strangers.
 */
import type { Store } from '../../platform/db/connect.js';
import { tooMany } from '../../platform/errors.js';
import type { Clock } from '../../platform/ids.js';
import { throttleAddress } from '../auth/index.js';
import { findBudget, pruneBudgets, takeBudget } from './subscription.repository.js';

export interface SubscribeThrottlePolicy {
  /** Subscribe requests from one client address per window. */
  perIp: number;
  /** Subscribe requests for one email address per window. */
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_SUBSCRIBE_THROTTLE: SubscribeThrottlePolicy = { perIp: 10, perAddress: 3, windowMs: 3_600_000 };

export interface SubscribeThrottle {
  /** Spends one of the IP's and one of the address's budget; throws 429 (Retry-After) when either is spent. */
  take(ip: string, addressHash: string): Promise<void>;
}

export function createSubscribeThrottle(deps: {
  store: Store;
  clock: Clock;
  policy?: SubscribeThrottlePolicy;
  /** Budgets of another form (the help portal) share the table under their own key prefix and wording. */
  scope?: { prefix: string; requests: string };
}): SubscribeThrottle {
  const { store, clock } = deps;
  const prefix = deps.scope?.prefix ?? '';
  const requests = deps.scope?.requests ?? 'subscribe requests';
  const p = deps.policy ?? DEFAULT_SUBSCRIBE_THROTTLE;
  let lastPrune = 0;
  return {
    async take(ip, addressHash) {
      const now = clock.now();
      const budgets = [
        { key: `${prefix}ip:${throttleAddress(ip)}`, max: p.perIp, what: 'from this network address' },
        {
          key: `${prefix}addr:${addressHash}`,
          max: p.perAddress,
          what: deps.scope ? 'for this contact' : 'for this email address',
        },
      ];
      // A short transaction of its own, no audit entry: this runs at an abuser's rate.
      const refused = await store.transaction(
        async (tx) => {
          if (now - lastPrune > 10 * 60_000) {
            lastPrune = now;
            await pruneBudgets(tx, now - p.windowMs);
          }
          for (const b of budgets) {
            if (await takeBudget(tx, b.key, b.max, p.windowMs, now)) continue;
            const row = await findBudget(tx, b.key);
            return { what: b.what, waitMs: row ? Number(row.window_start) + p.windowMs - now : p.windowMs };
          }
          return null;
        },
        { durability: 'relaxed', audited: false },
      );
      if (refused) {
        const seconds = Math.max(1, Math.ceil(refused.waitMs / 1000));
        throw tooMany(`too many ${requests} ${refused.what}; try again in ${seconds} s`, seconds);
      }
    },
  };
}
