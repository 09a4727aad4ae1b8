/**
 * Bulk approval at scale, on each store (issue 14): an assessment of 3,000 customers proposed as claims,
 * its run reviewed, offered in bulk, accepted, then approved in one request — every claim approved and itemised in the
 * answer, one itemised audit entry per chunk of 500, and the ledger's approved line equal to the claims.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { insertCustomers } from '../helpers/customers.js';
import { STORE_KINDS } from '../helpers/store.js';

const N = 3000;

describe.each(STORE_KINDS)('compensation bulk approval (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let ic: Session;
  let cs: Session;
  let comp: Session;

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.login('admin');
    ic = await t.login('incident_commander');
    cs = await t.login('customer_service');
    comp = await t.login('compliance');
    await insertCustomers(
      t.s.store,
      Array.from({ length: N }, (_, i) => ({ customerNo: `B${String(i).padStart(5, '0')}`, name: `客户 ${i}` })),
    );
  });
  afterAll(() => t.close());

  it('approves a reviewed run’s 3,000 accepted claims at once, itemised', async () => {
    const inc = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Quote feed outage', category: 'equipment_failure', grade: 'II' },
    });
    const key = inc.json().key as string;
    const base = `/api/v1/incidents/${key}/compensation`;
    const run = await t.as(admin, {
      method: 'POST',
      url: `${base}/runs`,
      payload: {
        method: 'outage-price-diff',
        results: Array.from({ length: N }, (_, i) => ({
          customer: `B${String(i).padStart(5, '0')}`,
          orders: 2,
          loss: '61.23',
          compensation: '50.00',
          basis: 'price_diff',
        })),
      },
    });
    expect(run.statusCode, run.body).toBe(201);
    const runId = run.json().id as string;
    const proposed = await t.as(cs, { method: 'POST', url: `${base}/runs/${runId}/propose` });
    expect(proposed.json()).toEqual({ created: N, kept: 0, unknown: 0 });
    expect((await t.as(comp, { method: 'POST', url: `${base}/runs/${runId}/review` })).json().state).toBe('reviewed');
    const offered = await t.as(cs, { method: 'POST', url: `${base}/runs/${runId}/offer` });
    expect(offered.json()).toEqual({ offered: N });
    expect((await t.as(cs, { method: 'POST', url: `${base}/runs/${runId}/offer` })).json()).toEqual({ offered: 0 });
    const one = (await t.as(admin, { method: 'GET', url: `${base}/claims?limit=1&status=offered` })).json().items[0];
    const log = (await t.as(admin, { method: 'GET', url: `/api/v1/compensation/claims/${one.id}` })).json().events;
    expect(log.map((e: { kind: string }) => e.kind)).toEqual(['created', 'assessment_started', 'offer']);
    // The customers accept (the portal's part, a later helper): straight into the store here.
    await t.s.store.db
      .updateTable('compensation_claims')
      .set({ status: 'accepted' })
      .where('run_id', '=', runId)
      .execute();

    const res = await t.as(ic, { method: 'POST', url: `${base}/bulk-approve`, payload: { runId } });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ approved: N, recorded: 0, refused: 0 });
    expect(new Set(body.items.map((i: { claimId: string }) => i.claimId)).size).toBe(N);
    const entries = (await t.s.audit.list({}, 500)).items.filter((e) => e.action === 'compensation.bulk_approve');
    expect(entries).toHaveLength(N / 500);
    expect((entries[0]!.after as { items: unknown[] }).items).toHaveLength(500);

    const ledger = (await t.as(admin, { method: 'GET', url: `${base}/ledger` })).json();
    expect(ledger.currencies[0]).toMatchObject({
      claims: N,
      approved: { count: N, amountMinor: N * 5000 },
      reserve: { count: N, amountMinor: N * 5000 },
    });
    // Approving again changes nothing: every claim answers already approved.
    const again = (await t.as(ic, { method: 'POST', url: `${base}/bulk-approve`, payload: { runId } })).json();
    expect(again).toMatchObject({ approved: 0, refused: 0, items: [] });
  });
});
