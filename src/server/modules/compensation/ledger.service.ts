/**
 * The ledger of an incident's compensation, per currency, computed from the claims: the provision
 * (reserve: every claim not paid nor declined, at its current amount or a higher counter-offer), and
 * what is proposed, offered, countered, accepted, approved, paid, declined and in mediation — counts and
 * sums in minor units; plus the goodwill money given with declined claims, the approved claims a payout
 * batch is paying and the payout items the bank returned as failed. The firm's policy (approval
 * tiers, goodwill) is read and set here too.
 */
import type { Ledger, PolicyBody } from '../../../shared/compensation-schemas.js';
import type { CompensationPolicy } from '../../../shared/compensation.js';
import { iso } from '../../platform/ids.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import { ledgerSums } from './claim.repository.js';
import { payoutSums } from './payout.repository.js';
import type { CompensationContext, CompensationDeps } from './compensation-context.js';
import { policyRow, putPolicy } from './policy.repository.js';

type Line = { count: number; amountMinor: number };
const OPEN = new Set(['proposed', 'under_assessment', 'offered', 'countered', 'accepted', 'approved', 'referred']);

export function createLedgerService(deps: CompensationDeps, ctx: CompensationContext) {
  const { store, audit, clock } = deps;

  return {
    async ledger(p: Principal, key: string): Promise<Ledger> {
      assertCan(p, 'compensation.read');
      const ref = await ctx.visibleIncident(store.db, p, key);
      const [sums, payouts] = await Promise.all([ledgerSums(store.db, ref.id), payoutSums(store.db, ref.id)]);
      const byCurrency = new Map<string, Ledger['currencies'][number]>();
      const zero = (): Line => ({ count: 0, amountMinor: 0 });
      const currency = (code: string) => {
        let c = byCurrency.get(code);
        if (!c) {
          c = {
            currency: code,
            claims: 0,
            reserve: zero(),
            proposed: zero(),
            offered: zero(),
            countered: zero(),
            accepted: zero(),
            approved: zero(),
            paid: zero(),
            declined: zero(),
            inMediation: zero(),
            declinedGoodwill: zero(),
            inPayout: zero(),
            payoutFailed: zero(),
          };
          byCurrency.set(code, c);
        }
        return c;
      };
      for (const s of sums) {
        const c = currency(s.currency);
        c.claims += s.count;
        const add = (l: Line, amount: number) => {
          l.count += s.count;
          l.amountMinor += amount;
        };
        if (OPEN.has(s.status)) add(c.reserve, s.exposure);
        if (s.status === 'proposed' || s.status === 'under_assessment') add(c.proposed, s.amount);
        else if (s.status === 'offered') add(c.offered, s.amount);
        else if (s.status === 'countered') add(c.countered, s.exposure);
        else if (s.status === 'accepted') add(c.accepted, s.amount);
        else if (s.status === 'approved') add(c.approved, s.amount);
        else if (s.status === 'paid') add(c.paid, s.amount);
        else if (s.status === 'referred') add(c.inMediation, s.amount);
        else if (s.status === 'declined') {
          add(c.declined, s.amount);
          c.declinedGoodwill.count += s.goodwillCount;
          c.declinedGoodwill.amountMinor += s.goodwill;
        }
      }
      // Payout batches: what the bank is still paying (approved claims), and what it returned as failed.
      for (const s of payouts) {
        const line = s.state === 'pending' ? 'inPayout' : s.state === 'failed' ? 'payoutFailed' : null;
        if (!line) continue;
        const c = currency(s.currency);
        c[line].count += s.count;
        c[line].amountMinor += s.amount;
      }
      return { incidentKey: ref.key, currencies: [...byCurrency.values()] };
    },

    async policy(p: Principal) {
      assertCan(p, 'compensation.read');
      const row = await policyRow(store.db);
      return { ...(await ctx.policy(store.db)), updatedAt: iso(row?.updated_at ?? null) };
    },

    async setPolicy(p: Principal, input: PolicyBody) {
      assertCan(p, 'compensation.configure');
      const policy: CompensationPolicy = {
        currency: input.currency,
        tiers: input.tiers,
        goodwill: {
          default: input.goodwill.default,
          byCustomerTier: Object.fromEntries(
            Object.entries(input.goodwill.byCustomerTier).map(([k, v]) => [k.toLowerCase(), v]),
          ),
        },
      };
      const now = clock.now();
      await store.transaction(async (tx) => {
        const before = await ctx.policy(tx);
        await putPolicy(tx, { id: 'firm', policy: JSON.stringify(policy), updated_by: p.user.id, updated_at: now });
        await audit.append(tx, actorOf(p), {
          action: 'compensation.policy_update',
          targetType: 'compensation_policy',
          targetId: 'firm',
          before,
          after: policy,
        });
      });
      return { ...policy, updatedAt: iso(now) };
    },
  };
}
