/**
 * Escalation to customer owners, on each store, on the test clock (the sweep the run-once scheduler
 * `customer-escalation` runs): a promised callback come due pages its owner; an overdue inquiry goes to
 * the customer's owner for the incident (paged), to the branch pool the assignment rules pick when the
 * customer has no owner, and to customer service when the sender is no customer (no incident: no page);
 * a VIP not reached within 2 h pages the owner; a portal question of a customer with an owner goes to
 * that owner at once (paged), one without stays in the shared inbox; each once, audited, shown on the worklist and the inbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerInquiry } from '../../src/shared/inquiry-schemas.js';
import type { OwnerAssignment } from '../../src/shared/owner-schemas.js';
import type { Page } from '../../src/shared/page-schemas.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { insertCustomer } from '../helpers/customers.js';
import { STORE_KINDS } from '../helpers/store.js';

const MIN = 60_000;

describe.each(STORE_KINDS)('escalation to customer owners (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let vipOwner: Session; // tier queue vip
  let branch: Session; // branch pool Shanghai
  let cs: Session; // customer service (default queue)
  let key = '';
  const ids: Record<string, string> = {};
  const start = Date.parse('2026-12-04T08:00:00Z');
  const clock = {
    t: start,
    now() {
      return this.t;
    },
  };
  const refs: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(
      kind,
      {},
      {
        clock,
        customers: {
          async findByContact(c) {
            const no = { 'vip@example.com': 'C1', 'std@example.com': 'C2' }[c.email ?? ''];
            return no
              ? { id: ids[no]!, customerNo: no, name: no, language: 'zh-CN', tier: no === 'C1' ? 'vip' : 'standard' }
              : null;
          },
        },
      },
    );
    admin = await t.login('admin');
    vipOwner = await t.login('responder');
    branch = await t.login('responder');
    cs = await t.login('customer_service');
    for (const [k, name, users] of [
      ['tier', 'vip', [vipOwner.userId]],
      ['branch', 'Shanghai', [branch.userId]],
    ] as const)
      await t.as(admin, { method: 'POST', url: '/api/v1/owner-pools', payload: { kind: k, name, userIds: users } });
    ids.C1 = await insertCustomer(t.s, 'C1', { tier: 'vip' });
    ids.C2 = await insertCustomer(t.s, 'C2', { branch: 'Shanghai', tier: 'standard' });
    key = (
      await t.as(admin, {
        method: 'POST',
        url: '/api/v1/incidents',
        payload: { title: 'Account takeover of trading accounts', category: 'network_attack', grade: 'III' },
      })
    ).json().key;
    const assigned = await t.as(admin, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/owners/assign`,
      payload: { customerNos: ['C1'] },
    });
    expect(assigned.json()).toMatchObject({ assigned: 1 });
    for (const [name, email, incidentKey] of [
      ['vip', 'vip@example.com', key],
      ['std', 'std@example.com', key],
      ['stranger', 'who@example.net', undefined],
    ] as const) {
      const res = await t.as(cs, {
        method: 'POST',
        url: '/api/v1/inquiries',
        payload: { name, email, question: `My account was taken over (${name})`, incidentKey, channel: 'call_centre' },
      });
      expect(res.statusCode, res.body).toBe(201);
      refs[name] = res.json().id;
    }
    const cb = await t.as(vipOwner, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/owners/${ids.C1}/callbacks`,
      payload: { at: new Date(start + 30 * MIN).toISOString(), note: 'call back after the fix' },
    });
    expect(cb.statusCode, cb.body).toBe(201);
  });
  afterAll(() => t.close());

  const sweep = () => t.s.escalations.sweep();
  const pages = async (): Promise<Page[]> =>
    (await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${key}/pages` })).json().items;
  const worklist = async (who: Session): Promise<OwnerAssignment[]> =>
    (await t.as(who, { method: 'GET', url: '/api/v1/me/worklist' })).json().items;
  const inquiry = async (name: string): Promise<CustomerInquiry> =>
    (await t.as(admin, { method: 'GET', url: `/api/v1/inquiries/${refs[name]}` })).json();

  it('does nothing before anything is due', async () => {
    clock.t = start + 20 * MIN;
    expect(await sweep()).toEqual({ inquiries: 0, ownerSla: 0, callbacks: 0, failed: 0 });
    expect(await pages()).toEqual([]);
  });

  it('pages the owner once when a promised callback comes due, shown on their worklist', async () => {
    clock.t = start + 31 * MIN;
    expect(await sweep()).toMatchObject({ callbacks: 1, ownerSla: 0, inquiries: 0 });
    const [page] = await pages();
    expect(page!.reason).toContain('Callback promised to customer C1 is due');
    // In the firm's zone (TOCSIN_STATUS_TIME_ZONE, Asia/Shanghai), with its offset: not UTC.
    expect(page!.reason).toContain('（2026-12-04 16:30 (UTC+8)）');
    expect(page!.reason).toContain('is due (2026-12-04 16:30 (UTC+8))');
    expect(page!.problems.map((p) => [p.userId, p.reason])).toEqual([[vipOwner.userId, 'no_contact_route']]);
    const [item] = await worklist(vipOwner);
    expect(item!.escalations).toEqual([
      expect.objectContaining({ kind: 'callback', paged: true, at: new Date(clock.t).toISOString() }),
    ]);
    expect(await sweep()).toMatchObject({ callbacks: 0 });
    expect(await pages()).toHaveLength(1);
  });

  it("escalates an overdue inquiry to the customer's owner for the incident and pages them", async () => {
    clock.t = start + 61 * MIN; // the VIP's inquiry: 1 h
    expect(await sweep()).toMatchObject({ inquiries: 1 });
    const q = await inquiry('vip');
    expect(q).toMatchObject({
      status: 'assigned',
      assignee: { id: vipOwner.userId },
      escalation: { at: new Date(clock.t).toISOString(), to: { id: vipOwner.userId } },
    });
    expect((await pages())[0]!.reason).toContain(`Inquiry ${q.reference} is overdue (customer C1)`);
  });

  it('pages the owner of a VIP not reached within 2 h; sends the others where assignment would', async () => {
    clock.t = start + 121 * MIN;
    expect(await sweep()).toMatchObject({ ownerSla: 1, inquiries: 2, callbacks: 0, failed: 0 });
    // No owner for C2 in this incident: the branch pool; a sender who is no customer: customer service.
    expect(await inquiry('std')).toMatchObject({
      assignee: { id: branch.userId },
      escalation: { to: { id: branch.userId } },
    });
    expect(await inquiry('stranger')).toMatchObject({
      assignee: { id: cs.userId },
      escalation: { to: { id: cs.userId } },
    });
    const all = await pages();
    // callback, vip inquiry, owner SLA, std inquiry — the stranger's general question pages nobody.
    expect(all).toHaveLength(4);
    expect(
      all.some((p) => p.reason.includes('Customer C1 not reached within the SLA (due 2026-12-04 18:00 (UTC+8))')),
    ).toBe(true);
    const [item] = await worklist(vipOwner);
    expect(item!.escalations.map((e) => e.kind)).toEqual(['owner_sla', 'inquiry_sla', 'callback']);
  });

  it('escalates each thing once, and audits every escalation', async () => {
    clock.t = start + 10 * 60 * MIN;
    expect(await sweep()).toEqual({ inquiries: 0, ownerSla: 0, callbacks: 0, failed: 0 });
    expect(await pages()).toHaveLength(4);
    const audit = await t.s.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', ['owner.escalate', 'inquiry.escalate'])
      .execute();
    const count = (a: string) => audit.filter((r) => r.action === a).length;
    expect([count('owner.escalate'), count('inquiry.escalate')]).toEqual([2, 3]);
  });

  it('routes a portal question of a customer with an owner to that owner (assigned, on the worklist, paged); others stay in the shared inbox', async () => {
    const ask = (email: string, question: string) =>
      t.app.inject({
        method: 'POST',
        url: '/status/help',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ incident: 'other', name: 'Asker', email, question }).toString(),
        remoteAddress: '198.51.100.77',
      });
    const referenceOf = (html: string) => /id="reference">(Q-[A-Z0-9]{4}-[A-Z0-9]{4})</.exec(html)?.[1] ?? '';
    const before = (await pages()).length;
    const owned = await ask('vip@example.com', 'Is my money safe after the takeover?');
    expect(owned.statusCode, owned.body).toBe(201);
    const stranger = await ask('std@example.com', 'When will trading be back?');
    expect(stranger.statusCode, stranger.body).toBe(201);
    const inbox: CustomerInquiry[] = (await t.as(admin, { method: 'GET', url: '/api/v1/inquiries?limit=50' })).json()
      .items;
    const find = (body: string) => inbox.find((q) => q.reference === referenceOf(body))!;
    // C1 has an owner: the question is theirs at once, not waiting for its SLA.
    expect(find(owned.body)).toMatchObject({ status: 'assigned', assignee: { id: vipOwner.userId }, escalation: null });
    // C2 has no owner: it stays unassigned in the shared inbox.
    expect(find(stranger.body)).toMatchObject({ status: 'new', assignee: null });
    const mine: CustomerInquiry[] = (
      await t.as(admin, { method: 'GET', url: `/api/v1/inquiries?assignee=${vipOwner.userId}` })
    ).json().items;
    expect(mine.map((q) => q.reference)).toContain(referenceOf(owned.body));
    const [item] = await worklist(vipOwner);
    expect(item!.escalations[0]).toMatchObject({ kind: 'inquiry_new', paged: true });
    // Paged through the escalation path about the owner's incident, once.
    const all = await pages();
    expect(all).toHaveLength(before + 1);
    const page = all.find((p) => p.reason.includes('asked a question on the help page'))!;
    expect(page.reason).toContain(`Customer C1 asked a question on the help page (${referenceOf(owned.body)})`);
    expect(page.problems.map((p) => p.userId)).toEqual([vipOwner.userId]);
  });
});
