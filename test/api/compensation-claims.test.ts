/**
 * Compensation claims over HTTP, on each store (issue 14, part 2): an assessment run stored from the
 * engine's results and proposed as claims (idempotent), the status machine (illegal steps 409), the
 * negotiation log with who spoke, goodwill chosen by policy for a claim declined for lack of evidence,
 * approval tiers (caps, the proposer never approves, two approvers above 100,000 yuan, an edit after
 * approval needing approval again), bulk approval of a reviewed run, mediation, the customer's record,
 * need-to-know, and a ledger that reconciles to the claims.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Claim, ClaimDetail } from '../../src/shared/compensation-schemas.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { insertCustomer } from '../helpers/customers.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

const YUAN = 100;

describe.each(STORE_KINDS)('compensation claims (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let ic: Session; // incident commander: the lead tier (<= 5,000 yuan)
  let comp1: Session; // compliance
  let comp2: Session; // compliance
  let cs: Session; // customer service: manages claims, approves nothing
  let outsider: Session; // a compliance officer outside the restricted incident
  let key = '';
  let runId = '';
  const clock = {
    t: Date.parse('2026-12-04T08:00:00Z'),
    now() {
      return this.t;
    },
  };

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { clock });
    admin = await t.login('admin');
    ic = await t.login('incident_commander');
    comp1 = await t.login('compliance');
    comp2 = await t.login('compliance');
    cs = await t.login('customer_service');
    outsider = await t.login('compliance');
    for (const no of ['A1', 'A2', 'A3', 'A4', 'A5', 'A6']) await insertCustomer(t.s, no, { tier: 'standard' });
    await insertCustomer(t.s, 'V1', { tier: 'VIP' });
    await insertCustomer(t.s, 'P1', {});
    const inc = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Market data outage: orders rejected', category: 'equipment_failure', grade: 'II' },
    });
    expect(inc.statusCode, inc.body).toBe(201);
    key = inc.json().key;
  });
  afterAll(() => t.close());

  const post = (s: Session, url: string, payload: Record<string, unknown> = {}) =>
    t.as(s, { method: 'POST', url, payload });
  const claimUrl = (id: string) => `/api/v1/compensation/claims/${id}`;
  const claims = async (query = '') =>
    (await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${key}/compensation/claims?limit=200${query}` })).json()
      .items as Claim[];
  const claimOf = async (no: string) => (await claims()).find((c) => c.customer.customerNo === no)!;
  const step = async (s: Session, id: string, what: string, payload: Record<string, unknown> = {}) => {
    const res = await post(s, `${claimUrl(id)}/${what}`, payload);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as ClaimDetail;
  };

  const results = [
    { customer: 'A1', orders: 3, loss: '1234.565', compensation: '1000.00', basis: 'price_diff' },
    { customer: 'A2', orders: 1, loss: '2999.99', compensation: '3000', basis: 'price_diff' },
    { customer: 'A3', orders: 2, loss: '0.00', compensation: '50.00', basis: 'goodwill' },
    { customer: 'A4', orders: 5, loss: '20000.00', compensation: '20000.00', basis: 'price_diff' },
    { customer: 'A5', orders: 1, loss: '150000.00', compensation: '150000.00', basis: 'price_diff' },
    { customer: 'NOBODY', orders: 1, loss: '10.00', compensation: '10.00', basis: 'price_diff' },
  ];

  it('refuses an amount that is not yuan with two places, naming the result', async () => {
    const res = await post(comp1, `/api/v1/incidents/${key}/compensation/runs`, {
      method: 'outage-price-diff',
      results: [{ customer: 'A1', orders: 1, loss: '-5', compensation: '1.00', basis: 'price_diff' }],
    });
    const body = expectProblem(res, 400);
    expect(body.errors?.[0]?.path).toBe('body.results.0.loss');
  });

  it('stores a run of the engine’s results in fen, counting customers it does not know', async () => {
    const ok = results.map((r, i) => (i === 0 ? { ...r, loss: '1234.57' } : r));
    const res = await post(comp1, `/api/v1/incidents/${key}/compensation/runs`, {
      method: 'outage-price-diff',
      parameters: { outageStart: '2026-12-03T09:30:00+08:00', outageEnd: '2026-12-03T10:10:00+08:00', cap: '200000' },
      results: ok,
    });
    expect(res.statusCode, res.body).toBe(201);
    runId = res.json().id;
    expect(res.json()).toMatchObject({
      method: 'outage-price-diff',
      state: 'computed',
      customers: 6,
      orders: 13,
      goodwillCustomers: 1,
      unknownCustomers: 1,
      compensationMinor: (1000 + 3000 + 50 + 20000 + 150000 + 10) * YUAN,
      lossMinor: 123457 + 299999 + 0 + 2000000 + 15000000 + 1000,
    });
    const page = await t.as(admin, {
      method: 'GET',
      url: `/api/v1/incidents/${key}/compensation/runs/${runId}/results?limit=4`,
    });
    expect(page.json().items.map((r: { customerNo: string }) => r.customerNo)).toEqual(['A1', 'A2', 'A3', 'A4']);
    const rest = await t.as(admin, {
      method: 'GET',
      url: `/api/v1/incidents/${key}/compensation/runs/${runId}/results?limit=4&cursor=${page.json().next}`,
    });
    expect(rest.json()).toMatchObject({
      items: [{ customerNo: 'A5' }, { customerNo: 'NOBODY', customerId: null }],
      next: null,
    });
  });

  it('proposes claims from the run once: running it again creates none, a customer with a claim keeps it', async () => {
    // A6 has a claim from their owner already... but A6 is not in the run; P1's own claim is kept apart below.
    const first = await post(cs, `/api/v1/incidents/${key}/compensation/runs/${runId}/propose`);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ created: 5, kept: 0, unknown: 1 });
    const again = await post(cs, `/api/v1/incidents/${key}/compensation/runs/${runId}/propose`);
    expect(again.json()).toEqual({ created: 0, kept: 5, unknown: 1 });
    const all = await claims();
    expect(all).toHaveLength(5);
    expect(await claimOf('A1')).toMatchObject({
      source: 'assessment',
      status: 'proposed',
      amountMinor: 100000,
      lossMinor: 123457,
      basis: 'price_diff',
      runId,
      version: 1,
      approval: { tier: 'lead', needed: 1, given: 0 },
    });
    expect(await claimOf('A3')).toMatchObject({
      basis: 'goodwill',
      goodwill: { kind: 'fixed_amount', amountMinor: 5000 },
    });
    expect((await claimOf('A5')).approval).toEqual({ tier: 'second_approver', needed: 2, given: 0 });
  });

  it('takes a claim from the owner once per customer, and refuses an unknown customer naming the field', async () => {
    const made = await post(cs, `/api/v1/incidents/${key}/compensation/claims`, {
      customerNo: 'P1',
      source: 'owner',
      claimedMinor: 880 * YUAN,
      description: 'Could not sell at the open; lost the difference',
      channel: 'phone',
    });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ status: 'proposed', claimedMinor: 88000, basis: 'claimed', source: 'owner' });
    expect(made.json().events).toMatchObject([{ kind: 'created', speaker: 'customer', channel: 'phone' }]);
    const twice = await post(cs, `/api/v1/incidents/${key}/compensation/claims`, {
      customerNo: 'P1',
      source: 'portal',
      claimedMinor: 1,
      description: 'again',
    });
    expect(expectProblem(twice, 409)).toMatchObject({ code: 'compensation.claim_exists' });
    const unknown = await post(cs, `/api/v1/incidents/${key}/compensation/claims`, {
      customerNo: 'NOBODY',
      source: 'portal',
      claimedMinor: 1,
      description: 'who?',
    });
    expect(expectProblem(unknown, 422).errors?.[0]).toMatchObject({ path: 'customerNo', code: 'unknown_customer' });
  });

  it('refuses steps the status machine does not allow with 409 problem+json', async () => {
    const a1 = await claimOf('A1');
    const res = await post(cs, `${claimUrl(a1.id)}/accept`, { channel: 'phone' });
    expect(expectProblem(res, 409)).toMatchObject({
      code: 'compensation.transition_not_allowed',
      params: { from: 'proposed', to: 'accepted' },
    });
    expect((await post(ic, `${claimUrl(a1.id)}/approve`)).statusCode).toBe(409);
    // Nothing is offered before the claim is assessed.
    const offer = await post(cs, `${claimUrl(a1.id)}/offer`, { amountMinor: 1, reason: 'too soon' });
    expect(expectProblem(offer, 409)).toMatchObject({ params: { from: 'proposed', to: 'offered' } });
  });

  it('negotiates: offer, the customer’s counter-offer, the firm accepting it as a new version; the log says who spoke', async () => {
    const p1 = await claimOf('P1');
    await step(cs, p1.id, 'assess', { note: 'checking the order log' });
    await step(cs, p1.id, 'offer', { amountMinor: 600 * YUAN, reason: 'difference at the reopening price' });
    await step(cs, p1.id, 'counter', { amountMinor: 800 * YUAN, reason: 'my limit price was lower', channel: 'phone' });
    const done = await step(cs, p1.id, 'accept', { channel: 'phone', note: 'meet the customer’s figure' });
    expect(done).toMatchObject({ status: 'accepted', amountMinor: 80000, version: 3, acceptedChannel: 'phone' });
    expect(done.versions.map((v) => [v.version, v.amountMinor])).toEqual([
      [3, 80000],
      [2, 60000],
      [1, 88000],
    ]);
    expect(done.events.map((e) => [e.kind, e.speaker, e.toStatus, e.amountMinor])).toEqual([
      ['created', 'customer', 'proposed', 88000],
      ['assessment_started', 'staff', 'under_assessment', null],
      ['offer', 'staff', 'offered', 60000],
      ['counter', 'customer', 'countered', 80000],
      ['accept', 'staff', 'accepted', 80000],
    ]);
    expect(done.events.at(-1)?.ip).toBeTruthy();
  });

  it('approves by tier: within the cap, never the proposer, two people above 100,000 yuan', async () => {
    // P1 (800 yuan): the lead tier; customer service may not approve at all; cs proposed the amount.
    const p1 = await claimOf('P1');
    expectProblem(await post(cs, `${claimUrl(p1.id)}/approve`), 403);
    expect((await step(ic, p1.id, 'approve')).status).toBe('approved');

    // A4 (20,000 yuan): above the lead tier's cap; compliance approves.
    const a4 = await claimOf('A4');
    await step(cs, a4.id, 'assess');
    await step(cs, a4.id, 'offer', { amountMinor: 20000 * YUAN, reason: 'as assessed' });
    await step(cs, a4.id, 'accept', { channel: 'phone' });
    const capped = expectProblem(await post(ic, `${claimUrl(a4.id)}/approve`), 409);
    expect(capped).toMatchObject({ code: 'compensation.above_tier_cap' });
    expect((await step(comp1, a4.id, 'approve')).status).toBe('approved');

    // A5 (150,000 yuan, offered by comp1): comp1 may not approve; comp2 and then the admin.
    const a5 = await claimOf('A5');
    await step(cs, a5.id, 'assess');
    await step(comp1, a5.id, 'offer', { amountMinor: 150000 * YUAN - 1, reason: 'as assessed, a fen less' });
    await step(cs, a5.id, 'accept', { channel: 'branch' });
    expect(expectProblem(await post(comp1, `${claimUrl(a5.id)}/approve`), 409)).toMatchObject({
      code: 'compensation.self_approval',
    });
    const once = await step(comp2, a5.id, 'approve');
    expect(once).toMatchObject({ status: 'accepted', approval: { tier: 'second_approver', needed: 2, given: 1 } });
    expect(expectProblem(await post(comp2, `${claimUrl(a5.id)}/approve`), 409)).toMatchObject({
      code: 'compensation.already_approved',
    });
    const twice = await step(admin, a5.id, 'approve');
    expect(twice).toMatchObject({ status: 'approved', approvedVersion: 2, approval: { given: 2 } });
    expect(twice.approvals.map((a) => a.approver?.id)).toEqual([comp2.userId, admin.userId]);
  });

  it('starts a new version after approval, which needs approval again', async () => {
    const p1 = await claimOf('P1');
    const revised = await step(cs, p1.id, 'offer', { amountMinor: 820 * YUAN, reason: 'fee refund added' });
    expect(revised).toMatchObject({ status: 'offered', version: 4, approvedVersion: null, approval: { given: 0 } });
    await step(cs, p1.id, 'accept', { channel: 'phone' });
    expect((await claimOf('P1')).status).toBe('accepted');
    expect((await step(ic, p1.id, 'approve')).approvedVersion).toBe(5 - 1);
  });

  it('answers a customer without evidence of loss with the policy’s goodwill gesture, on their record', async () => {
    const v1 = await post(cs, `/api/v1/incidents/${key}/compensation/claims`, {
      customerNo: 'V1',
      source: 'portal',
      claimedMinor: 5000 * YUAN,
      description: 'The app froze, I think I lost money',
    });
    const id = v1.json().id as string;
    await step(cs, id, 'assess', { note: 'no order found' });
    const declined = await step(cs, id, 'decline', { by: 'firm', reason: 'no_evidence' });
    expect(declined).toMatchObject({
      status: 'declined',
      declineReason: 'no_evidence',
      goodwill: { kind: 'service_upgrade', amountMinor: 0 },
    });
    const a6 = await post(cs, `/api/v1/incidents/${key}/compensation/claims`, {
      customerNo: 'A6',
      source: 'owner',
      claimedMinor: 100 * YUAN,
      description: 'no orders found',
    });
    await step(cs, a6.json().id, 'assess');
    const a6d = await step(cs, a6.json().id, 'decline', {
      by: 'firm',
      reason: 'no_evidence',
      goodwill: { kind: 'fixed_amount', amountMinor: 88 * YUAN },
    });
    expect(a6d.goodwill).toEqual({ kind: 'fixed_amount', amountMinor: 8800 });
    const record = await t.as(cs, { method: 'GET', url: `/api/v1/compensation/customers/cust-V1/events` });
    expect(record.json().items.map((e: { kind: string }) => e.kind)).toEqual([
      'decline',
      'assessment_started',
      'created',
    ]);
    expect(record.json().items[0]).toMatchObject({ incidentKey: key, reason: 'no_evidence', speaker: 'staff' });
  });

  it('refers a claim to mediation and records the outcome as a new version to approve', async () => {
    const a2 = await claimOf('A2');
    await step(cs, a2.id, 'assess');
    await step(cs, a2.id, 'offer', { amountMinor: 2000 * YUAN, reason: 'partial' });
    await step(cs, a2.id, 'counter', { amountMinor: 3500 * YUAN, reason: 'wants more', channel: 'email' });
    expectProblem(await post(cs, `${claimUrl(a2.id)}/mediation/outcome`, { outcome: 'dismissed' }), 409);
    const referred = await step(cs, a2.id, 'mediation', {
      body: 'sac_mediation',
      caseRef: 'SAC-2026-118',
      referredAt: '2026-12-05T02:00:00Z',
    });
    expect(referred).toMatchObject({ status: 'referred', mediations: [{ body: 'sac_mediation', outcome: null }] });
    const settled = await step(cs, a2.id, 'mediation/outcome', {
      outcome: 'settled',
      amountMinor: 2800 * YUAN,
      decidedAt: '2026-12-20T06:00:00Z',
    });
    expect(settled).toMatchObject({
      status: 'accepted',
      amountMinor: 280000,
      acceptedChannel: 'mediation',
      mediations: [{ outcome: 'settled', outcomeMinor: 280000, decidedAt: '2026-12-20T06:00:00.000Z' }],
    });
  });

  it('approves a reviewed run’s accepted claims in bulk, itemised, and lists the inbox by tier', async () => {
    const a1 = await claimOf('A1');
    await step(cs, a1.id, 'assess');
    await step(cs, a1.id, 'offer', { amountMinor: 1000 * YUAN, reason: 'as assessed' });
    await step(cs, a1.id, 'accept', { channel: 'phone' });
    const a2 = await claimOf('A2'); // accepted from mediation at 2,800 yuan
    const inboxOf = async (s: Session) =>
      ((await t.as(s, { method: 'GET', url: '/api/v1/compensation/inbox' })).json().items as Claim[]).map(
        (c) => c.customer.customerNo,
      );
    expect((await inboxOf(ic)).sort()).toEqual(['A1', 'A2']);
    expect((await inboxOf(comp1)).sort()).toEqual(['A1', 'A2']);

    const bulk = `/api/v1/incidents/${key}/compensation/bulk-approve`;
    expect(expectProblem(await post(ic, bulk, { runId }), 409)).toMatchObject({
      code: 'compensation.run_not_reviewed',
    });
    const review = `/api/v1/incidents/${key}/compensation/runs/${runId}/review`;
    expect(expectProblem(await post(comp1, review), 409)).toMatchObject({ code: 'compensation.self_review' });
    expect((await post(comp2, review)).json().state).toBe('reviewed');
    const res = await post(ic, bulk, { runId });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ approved: 2, recorded: 0, refused: 0 });
    expect(
      res
        .json()
        .items.map((i: { claimId: string }) => i.claimId)
        .sort(),
    ).toEqual([a1.id, a2.id].sort());
    // Listed claims: one not of this incident, one already approved, one proposed.
    const listed = await post(ic, bulk, { claimIds: [a1.id, (await claimOf('A3')).id, 'no-such-claim'] });
    expect(listed.json().items.map((i: { outcome: string }) => i.outcome)).toEqual([
      'already_approved',
      'wrong_status',
      'not_found',
    ]);
    const entries = (await t.s.audit.list({}, 200)).items.filter((e) => e.action === 'compensation.bulk_approve');
    expect(entries).toHaveLength(2);
    expect(await inboxOf(ic)).toEqual([]);
  });

  it('keeps the claims of a restricted incident from those outside it', async () => {
    const inc = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Account takeover', category: 'network_attack', grade: 'III', restricted: true },
    });
    const restrictedKey = inc.json().key;
    const made = await post(admin, `/api/v1/incidents/${restrictedKey}/compensation/claims`, {
      customerNo: 'A1',
      source: 'owner',
      claimedMinor: 100,
      description: 'takeover loss',
    });
    expect(made.statusCode, made.body).toBe(201);
    expectProblem(await t.as(outsider, { method: 'GET', url: claimUrl(made.json().id) }), 404);
    expectProblem(
      await t.as(outsider, { method: 'GET', url: `/api/v1/incidents/${restrictedKey}/compensation/claims` }),
      404,
    );
    const record = await t.as(outsider, { method: 'GET', url: '/api/v1/compensation/customers/cust-A1/events' });
    expect(record.json().items.every((e: { incidentKey: string }) => e.incidentKey === key)).toBe(true);
  });

  it('keeps a ledger whose totals reconcile to the claims', async () => {
    const all = await claims();
    const ledger = (await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${key}/compensation/ledger` })).json();
    expect(ledger.currencies).toHaveLength(1);
    const l = ledger.currencies[0];
    const sum = (xs: Claim[]) => ({ count: xs.length, amountMinor: xs.reduce((s, c) => s + c.amountMinor, 0) });
    const by = (...st: string[]) => all.filter((c) => st.includes(c.status));
    expect(l.claims).toBe(all.length);
    expect(l.approved).toEqual(sum(by('approved')));
    expect(l.accepted).toEqual(sum(by('accepted')));
    expect(l.offered).toEqual(sum(by('offered')));
    expect(l.declined).toEqual(sum(by('declined')));
    expect(l.inMediation).toEqual(sum(by('referred')));
    expect(l.proposed).toEqual(sum(by('proposed', 'under_assessment')));
    expect(l.paid).toEqual({ count: 0, amountMinor: 0 });
    const open = by('proposed', 'under_assessment', 'offered', 'countered', 'accepted', 'approved', 'referred');
    const exposure = open.reduce(
      (s, c) => s + (c.status === 'countered' ? Math.max(c.amountMinor, c.claimedMinor ?? 0) : c.amountMinor),
      0,
    );
    expect(l.reserve).toEqual({ count: open.length, amountMinor: exposure });
    expect(l.declinedGoodwill).toEqual({
      count: 1,
      amountMinor: by('declined').reduce((s, c) => s + (c.goodwill?.amountMinor ?? 0), 0),
    });
    // Every claim is in exactly one status line.
    const lines = ['proposed', 'offered', 'countered', 'accepted', 'approved', 'paid', 'declined', 'inMediation'];
    expect(lines.reduce((s, k) => s + l[k].count, 0)).toBe(all.length);
  });

  it('lets compliance set the tiers; an amount above a tier’s cap then needs the next tier', async () => {
    const put = await t.as(comp1, {
      method: 'PUT',
      url: '/api/v1/compensation/policy',
      payload: {
        tiers: [
          { key: 'lead', capMinor: 500 * YUAN, roles: ['incident_commander', 'admin'], approvers: 1 },
          { key: 'compliance', capMinor: null, roles: ['compliance', 'admin'], approvers: 1 },
        ],
        goodwill: { default: { kind: 'fixed_amount', amountMinor: 50 * YUAN }, byCustomerTier: {} },
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    const bad = await t.as(comp1, {
      method: 'PUT',
      url: '/api/v1/compensation/policy',
      payload: {
        tiers: [{ key: 'x', capMinor: 1, roles: ['compliance'], approvers: 1 }],
        goodwill: { default: { kind: 'fee_waiver', amountMinor: 0 } },
      },
    });
    expect(expectProblem(bad, 400).errors?.[0]?.path).toBe('body.tiers');
    expect((await claimOf('A1')).approval).toEqual({ tier: 'compliance', needed: 1, given: 1 });
  });
});
