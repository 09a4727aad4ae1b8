/**
 * Offering a reviewed assessment run's claims at once: every claim of the run still proposed or under
 * assessment moves to offered at its assessed amount (its first version), each with the events of the
 * steps it took (assessment started, offer) on the claim and the customer's record; a chunk of 500 per
 * transaction, each one itemised audit entry. Claims already further along are left as they are, so
 * running it again offers nothing new. Each offer queues its notice to the customer (notice.service.ts).
 */
import { conflict, notFound } from '../../platform/errors.js';
import type { Db } from '../../platform/db/types.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { IncidentRef } from '../incident/index.js';
import { claimsByIds, markOffered, runClaimIds } from './claim.repository.js';
import type { CompensationContext, CompensationDeps } from './compensation-context.js';
import type { EventRow } from './event.repository.js';
import { runById } from './run.repository.js';
import { chunks } from '../../platform/db/chunks.js';

const CHUNK = 500;

export function createBulkOfferService(deps: CompensationDeps, ctx: CompensationContext) {
  const { store, audit, clock } = deps;

  async function offerChunk(tx: Db, p: Principal, ref: IncidentRef, runId: string, part: string[]): Promise<number> {
    const claims = (await claimsByIds(tx, part)).filter(
      (c) => c.run_id === runId && (c.status === 'proposed' || c.status === 'under_assessment'),
    );
    if (claims.length === 0) return 0;
    const now = clock.now();
    const events: EventRow[] = [];
    for (const c of claims) {
      const assessed = { ...c, status: 'under_assessment', updated_at: now };
      if (c.status === 'proposed')
        events.push(
          ctx.event(c, assessed, { kind: 'assessment_started', speaker: 'staff', channel: 'console' }, p, now),
        );
      const amountMinor = Number(c.amount_minor);
      events.push(
        ctx.event(
          assessed,
          { ...c, status: 'offered', updated_at: now },
          { kind: 'offer', speaker: 'staff', channel: 'console', amountMinor, reason: 'assessment' },
          p,
          now,
        ),
      );
    }
    await markOffered(
      tx,
      claims.map((c) => c.id),
      now,
    );
    await ctx.recordEvents(tx, events);
    await audit.append(tx, actorOf(p), {
      action: 'compensation.bulk_offer',
      targetType: 'compensation_run',
      targetId: runId,
      after: {
        offered: claims.length,
        items: claims.map((c) => ({
          claimId: c.id,
          ref: c.ref,
          customerId: c.customer_id,
          amountMinor: Number(c.amount_minor),
        })),
      },
      incidents: [ref.id],
    });
    return claims.length;
  }

  return {
    /** Offers a reviewed run's proposed and under-assessment claims at their assessed amounts. */
    async offerRun(p: Principal, key: string, runId: string): Promise<{ offered: number }> {
      assertCan(p, 'compensation.manage');
      const ref = await ctx.visibleIncident(store.db, p, key);
      const run = await runById(store.db, runId);
      if (!run || run.incident_id !== ref.id) throw notFound(`assessment run ${runId} of ${key}`);
      if (run.state !== 'reviewed')
        throw conflict('offer the claims of an assessment run once it is reviewed', {
          code: 'compensation.run_not_reviewed',
          params: { runId },
        });
      const ids: string[] = [];
      for (const status of ['proposed', 'under_assessment'])
        for (let after: string | null = null; ; ) {
          const page = await runClaimIds(store.db, runId, status, after, 5000);
          ids.push(...page.map((r) => r.id));
          if (page.length < 5000) break;
          after = page.at(-1)!.id;
        }
      let offered = 0;
      for (const part of chunks(ids, CHUNK)) {
        offered += await store.transaction((tx) => offerChunk(tx, p, ref, runId, part));
      }
      return { offered };
    },
  };
}
