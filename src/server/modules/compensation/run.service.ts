/**
 * Assessment runs of an incident: the engine's per-customer results stored with their totals (amounts
 * from yuan strings to fen, exactly; customers resolved by number through the customer module), listed,
 * paged, reviewed by someone other than who ran it, and turned into proposed claims — idempotently: a
 * customer who already has a claim in the incident keeps it. The engine itself (`assessment/`) is the
 * other half of the module; this side takes its output as an iterable.
 */
import type { AssessmentResult, Run, RunCreate, RunDistribution } from '../../../shared/compensation-schemas.js';
import { bucketWidth, goodwillFor, yuanToMinor } from '../../../shared/compensation.js';
import { cursorCodec } from '../../platform/cursor.js';
import type { Db } from '../../platform/db/types.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { iso, newId } from '../../platform/ids.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { IncidentRef } from '../incident/index.js';
import { newClaimRef } from './claim-ref.js';
import { type ClaimRow, customersWithClaims, insertClaims, insertVersions, proposedClaim } from './claim.repository.js';
import type { CompensationContext, CompensationDeps } from './compensation-context.js';
import { type EventRow, insertEvents } from './event.repository.js';
import {
  insertResults,
  insertRun,
  largestResults,
  resultBuckets,
  type ResultRow,
  resultsPage,
  type RunRow,
  runById,
  runsOfIncident,
  updateRun,
} from './run.repository.js';

const resultCursor = cursorCodec(['id'] as const);
const resultView = (r: ResultRow) => ({
  customerNo: r.customer_no,
  customerId: r.customer_id,
  orders: r.orders,
  lossMinor: Number(r.loss_minor),
  compensationMinor: Number(r.compensation_minor),
  basis: r.basis,
});
const PROPOSE_PAGE = 1000;

export function createRunService(deps: CompensationDeps, ctx: CompensationContext) {
  const { store, audit, clock, users, customers } = deps;

  async function view(db: Db, r: RunRow, key: string): Promise<Run> {
    const names = await users.namesOf(
      [r.created_by, r.reviewed_by].filter((x): x is string => x !== null),
      db,
    );
    const person = (id: string | null) => (id ? { id, name: names.get(id) ?? null } : null);
    return {
      id: r.id,
      incidentKey: key,
      method: r.method,
      parameters: JSON.parse(r.parameters) as Record<string, unknown>,
      currency: r.currency,
      customers: r.customers,
      orders: Number(r.orders),
      goodwillCustomers: r.goodwill_customers,
      unknownCustomers: r.unknown_customers,
      lossMinor: Number(r.loss_minor),
      compensationMinor: Number(r.compensation_minor),
      state: r.state as Run['state'],
      createdBy: person(r.created_by),
      createdAt: iso(r.created_at),
      reviewedBy: person(r.reviewed_by),
      reviewedAt: iso(r.reviewed_at),
      proposedAt: iso(r.proposed_at),
    };
  }

  async function loadRun(db: Db, p: Principal, key: string, id: string): Promise<{ ref: IncidentRef; run: RunRow }> {
    const ref = await ctx.visibleIncident(db, p, key);
    const run = await runById(db, id);
    if (!run || run.incident_id !== ref.id) throw notFound(`assessment run ${id} of ${key}`);
    return { ref, run };
  }

  /** Results in fen, the bad ones (amounts that are not yuan with two places at most) named by their index. */
  function toRows(runId: string, results: Iterable<AssessmentResult>): ResultRow[] {
    const rows: ResultRow[] = [];
    const seen = new Set<string>();
    let i = 0;
    for (const r of results) {
      const loss = yuanToMinor(r.loss);
      const compensation = yuanToMinor(r.compensation);
      const field = loss === null ? 'loss' : compensation === null ? 'compensation' : null;
      if (field)
        throw invalid(`result ${i}: ${field} is not an amount in yuan`, [
          { path: `results.${i}.${field}`, message: 'yuan with at most two decimal places', code: 'invalid_amount' },
        ]);
      if (seen.has(r.customer))
        throw invalid(`result ${i}: customer ${r.customer} is listed twice`, [
          { path: `results.${i}.customer`, message: 'listed twice', code: 'invalid_value' },
        ]);
      seen.add(r.customer);
      rows.push({
        run_id: runId,
        customer_no: r.customer,
        customer_id: null,
        orders: r.orders,
        loss_minor: loss!,
        compensation_minor: compensation!,
        basis: r.basis,
      });
      i++;
    }
    return rows;
  }

  return {
    /**
     * Stores an assessment run of the incident `key` from the engine's per-customer results (any iterable:
     * the API's array, or the engine's output where the console's CSV upload is wired to it).
     */
    async create(
      p: Principal,
      key: string,
      input: Omit<RunCreate, 'results'> & { results: Iterable<AssessmentResult> },
    ): Promise<Run> {
      assertCan(p, 'compensation.assess');
      return store.transaction(async (tx) => {
        const ref = await ctx.visibleIncident(tx, p, key);
        const id = newId();
        const rows = toRows(id, input.results);
        const known = new Map(
          (
            await customers.cardsByNos(
              rows.map((r) => r.customer_no),
              tx,
            )
          ).map((c) => [c.customerNo, c.id]),
        );
        for (const r of rows) r.customer_id = known.get(r.customer_no) ?? null;
        const run: RunRow = {
          id,
          incident_id: ref.id,
          method: input.method,
          parameters: JSON.stringify(input.parameters),
          currency: input.currency,
          customers: rows.length,
          orders: rows.reduce((s, r) => s + r.orders, 0),
          goodwill_customers: rows.filter((r) => r.basis === 'goodwill').length,
          unknown_customers: rows.filter((r) => r.customer_id === null).length,
          loss_minor: rows.reduce((s, r) => s + r.loss_minor, 0),
          compensation_minor: rows.reduce((s, r) => s + r.compensation_minor, 0),
          state: 'computed',
          created_by: p.user.id,
          created_at: clock.now(),
          reviewed_by: null,
          reviewed_at: null,
          proposed_at: null,
        };
        await insertRun(tx, run);
        await insertResults(tx, rows);
        await audit.append(tx, actorOf(p), {
          action: 'compensation.run_create',
          targetType: 'compensation_run',
          targetId: id,
          after: {
            method: run.method,
            customers: run.customers,
            unknownCustomers: run.unknown_customers,
            compensationMinor: run.compensation_minor,
            currency: run.currency,
          },
          incidents: [ref.id],
        });
        return view(tx, run, ref.key);
      });
    },

    async list(p: Principal, key: string): Promise<{ items: Run[] }> {
      assertCan(p, 'compensation.read');
      const ref = await ctx.visibleIncident(store.db, p, key);
      const rows = await runsOfIncident(store.db, ref.id);
      return { items: await Promise.all(rows.map((r) => view(store.db, r, ref.key))) };
    },

    async get(p: Principal, key: string, id: string): Promise<Run> {
      assertCan(p, 'compensation.read');
      const { ref, run } = await loadRun(store.db, p, key, id);
      return view(store.db, run, ref.key);
    },

    async results(p: Principal, key: string, id: string, q: { limit: number; cursor?: string }) {
      assertCan(p, 'compensation.read');
      const { run } = await loadRun(store.db, p, key, id);
      const after = q.cursor ? resultCursor.decode(q.cursor)[0] : null;
      const rows = await resultsPage(store.db, run.id, after, q.limit + 1);
      const page = rows.slice(0, q.limit);
      return {
        items: page.map(resultView),
        next: rows.length > q.limit ? resultCursor.encode([page.at(-1)!.customer_no]) : null,
      };
    },

    /** How the run's compensation amounts are spread (ten round buckets at most) and its ten largest. */
    async distribution(p: Principal, key: string, id: string): Promise<RunDistribution> {
      assertCan(p, 'compensation.read');
      const { run } = await loadRun(store.db, p, key, id);
      const largest = await largestResults(store.db, run.id, 10);
      const width = bucketWidth(largest.length ? Number(largest[0]!.compensation_minor) : 0);
      const counted = new Map((await resultBuckets(store.db, run.id, width)).map((b) => [b.bucket, b]));
      const top = Math.max(-1, ...counted.keys());
      return {
        currency: run.currency,
        widthMinor: width,
        buckets: Array.from({ length: top + 1 }, (_, i) => ({
          fromMinor: i * width,
          count: counted.get(i)?.count ?? 0,
          amountMinor: counted.get(i)?.amountMinor ?? 0,
        })),
        outliers: largest.map(resultView),
      };
    },

    /** Marks a run reviewed: by someone with `compensation.approve` other than who stored it. */
    async review(p: Principal, key: string, id: string): Promise<Run> {
      assertCan(p, 'compensation.approve');
      return store.transaction(async (tx) => {
        const { ref, run } = await loadRun(tx, p, key, id);
        if (run.state === 'reviewed') return view(tx, run, ref.key);
        if (run.created_by === p.user.id)
          throw conflict('an assessment run is reviewed by someone other than who ran it', {
            code: 'compensation.self_review',
          });
        const now = clock.now();
        await updateRun(tx, id, { state: 'reviewed', reviewed_by: p.user.id, reviewed_at: now });
        await audit.append(tx, actorOf(p), {
          action: 'compensation.run_review',
          targetType: 'compensation_run',
          targetId: id,
          before: { state: run.state },
          after: { state: 'reviewed' },
          incidents: [ref.id],
        });
        return view(tx, { ...run, state: 'reviewed', reviewed_by: p.user.id, reviewed_at: now }, ref.key);
      });
    },

    /**
     * Proposed claims from a run's results, a page of customers per transaction (one itemised audit
     * entry each). Customers unknown to the customer module are counted, not proposed; a customer with
     * a claim in the incident already keeps it, so running it again creates nothing new.
     */
    async propose(p: Principal, key: string, id: string): Promise<{ created: number; kept: number; unknown: number }> {
      assertCan(p, 'compensation.manage');
      const { ref, run } = await loadRun(store.db, p, key, id);
      const pol = await ctx.policy(store.db);
      const totals = { created: 0, kept: 0, unknown: 0 };
      let after: string | null = null;
      for (;;) {
        const page = await resultsPage(store.db, run.id, after, PROPOSE_PAGE);
        if (page.length === 0) break;
        after = page.at(-1)!.customer_no;
        await store.transaction(async (tx) => {
          const known = page.filter((r) => r.customer_id !== null);
          totals.unknown += page.length - known.length;
          const has = await customersWithClaims(
            tx,
            ref.id,
            known.map((r) => r.customer_id!),
          );
          const fresh = known.filter((r) => !has.has(r.customer_id!));
          totals.kept += known.length - fresh.length;
          if (fresh.length === 0) return;
          const tiers = new Map(
            (
              await customers.cardsByIds(
                fresh.map((r) => r.customer_id!),
                tx,
              )
            ).map((c) => [c.id, c.tier]),
          );
          const now = clock.now();
          const claims: ClaimRow[] = fresh.map((r) => {
            const amount = Number(r.compensation_minor);
            const goodwill =
              r.basis !== 'goodwill'
                ? null
                : amount > 0
                  ? { kind: 'fixed_amount', amountMinor: amount }
                  : goodwillFor(pol, tiers.get(r.customer_id!) ?? null);
            return proposedClaim(
              {
                id: newId(),
                ref: newClaimRef(),
                incident_id: ref.id,
                customer_id: r.customer_id!,
                source: 'assessment',
                amount_minor: amount,
                currency: run.currency,
                claimed_minor: null,
                loss_minor: Number(r.loss_minor),
                basis: r.basis,
                goodwill_kind: goodwill?.kind ?? null,
                goodwill_minor: goodwill ? goodwill.amountMinor : null,
                run_id: run.id,
                created_by: p.user.id,
              },
              now,
            );
          });
          await insertClaims(tx, claims);
          await insertVersions(
            tx,
            claims.map((c) => ({
              claim_id: c.id,
              version: 1,
              amount_minor: c.amount_minor,
              currency: c.currency,
              basis: c.basis,
              goodwill_kind: c.goodwill_kind,
              reason: `assessment ${run.method}`,
              created_by: p.user.id,
              created_at: now,
            })),
          );
          const events: EventRow[] = claims.map((c) =>
            ctx.event(
              null,
              c,
              { kind: 'created', speaker: 'staff', channel: 'console', amountMinor: c.amount_minor },
              p,
              now,
            ),
          );
          await insertEvents(tx, events);
          await audit.append(tx, actorOf(p), {
            action: 'compensation.propose',
            targetType: 'compensation_run',
            targetId: run.id,
            after: {
              created: claims.length,
              items: claims.map((c) => ({
                claimId: c.id,
                ref: c.ref,
                customerId: c.customer_id,
                amountMinor: c.amount_minor,
              })),
            },
            incidents: [ref.id],
          });
          totals.created += claims.length;
        });
      }
      if (totals.created > 0) await updateRun(store.db, run.id, { proposed_at: clock.now() });
      return totals;
    },
  };
}
