/**
 * Customer owners (专人负责) over HTTP, on each store: the rule order (account manager, branch pool, tier
 * queue, customer service) balanced by load, idempotent assignment, the SLA going overdue on the test
 * clock and stopping at the first reached contact, the callback reminder job firing at its time,
 * reassignment audited before/after without customer contacts, and an owner kept off another's customers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEvent } from '../../src/server/platform/bus.js';
import type { OwnerAssignment } from '../../src/shared/owner-schemas.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { insertCustomer } from '../helpers/customers.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

const HOUR = 3_600_000;

describe.each(STORE_KINDS)('customer owners (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let manager: Session; // account manager (communications)
  let r1: Session; // branch pool Shanghai
  let r2: Session; // branch pool Shanghai
  let r3: Session; // tier queue vip
  let cs: Session; // default queue (customer service)
  let key = '';
  const events: BusEvent[] = [];
  const clock = {
    t: Date.parse('2026-12-04T08:00:00Z'),
    now() {
      return this.t;
    },
  };
  const ids: Record<string, string> = {};

  const addCustomer = async (no: string, f: { branch?: string; tier?: string; am?: string }) => {
    ids[no] = await insertCustomer(t.s, no, f);
  };

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { clock });
    t.s.bus.subscribe((e) => events.push(e));
    admin = await t.login('admin');
    manager = await t.login('communications', `am-${kind}@bank.example`);
    r1 = await t.login('responder');
    r2 = await t.login('responder');
    r3 = await t.login('compliance');
    cs = await t.login('customer_service');
    for (const [k, name, users] of [
      ['branch', 'Shanghai', [r1.userId, r2.userId]],
      ['tier', 'VIP', [r3.userId]],
    ] as const) {
      const res = await t.as(admin, {
        method: 'POST',
        url: '/api/v1/owner-pools',
        payload: { kind: k, name, userIds: users },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    await addCustomer('C1', { am: ` AM-${kind}@BANK.example `, branch: 'Shanghai', tier: 'vip' });
    await addCustomer('C2', { am: '10086', branch: 'shanghai' });
    await addCustomer('C3', { branch: 'Shanghai', tier: 'standard' });
    await addCustomer('C4', { tier: 'vip' });
    await addCustomer('C5', { branch: 'Beijing', tier: 'standard' });
    const inc = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Account takeover of trading accounts', category: 'network_attack', grade: 'III' },
    });
    expect(inc.statusCode, inc.body).toBe(201);
    key = inc.json().key;
  });
  afterAll(() => t.close());

  const owners = async () => (await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${key}/owners` })).json();
  type Item = OwnerAssignment & { customer: { customerNo: string } };
  const byNo = (body: { items: Item[] }, no: string) => body.items.find((i) => i.customer.customerNo === no)!;

  it('refuses a pool member who is not an active user', async () => {
    const res = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/owner-pools',
      payload: { kind: 'branch', name: 'Nowhere', userIds: ['no-such-user'] },
    });
    expectProblem(res, 422);
    expect(res.json().errors[0]).toMatchObject({ path: 'userIds.0', code: 'unknown_user' });
  });

  it('assigns by account manager, branch pool, tier queue, then customer service, balanced by load', async () => {
    const res = await t.as(admin, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/owners/assign`,
      payload: { customerNos: ['C1', 'C2', 'C3', 'C4', 'C5', 'C404'] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ assigned: 5, kept: 0, unknown: ['C404'], unassigned: [] });

    const body = await owners();
    const who = (no: string) => [byNo(body, no).owner.id, byNo(body, no).rule];
    expect(who('C1')).toEqual([manager.userId, 'account_manager']);
    // Shanghai's pool: C2 to the first member, C3 to the one with fewer open customers.
    expect(who('C2')).toEqual([r1.userId, 'branch_pool']);
    expect(who('C3')).toEqual([r2.userId, 'branch_pool']);
    expect(who('C4')).toEqual([r3.userId, 'tier_queue']);
    expect(who('C5')).toEqual([cs.userId, 'default']);
    // SLA: vip 2 h, everyone else 24 h, from the assignment.
    expect(byNo(body, 'C4').slaDueAt).toBe(new Date(clock.t + 2 * HOUR).toISOString());
    expect(byNo(body, 'C5').slaDueAt).toBe(new Date(clock.t + 24 * HOUR).toISOString());
    expect(byNo(body, 'C1')).toMatchObject({
      state: 'open',
      overdue: false,
      customer: { phoneMasked: '138****1234', emailMasked: 'z***@example.com' },
    });
    expect(body.perOwner).toHaveLength(5);
  });

  it('keeps the owner of a customer already assigned (idempotent)', async () => {
    const before = await owners();
    const res = await t.as(admin, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/owners/assign`,
      payload: { customerIds: [ids.C1, ids.C2, ids.C3] },
    });
    expect(res.json()).toMatchObject({ assigned: 0, kept: 3 });
    expect((await owners()).items).toEqual(before.items);
  });

  it('answers 422 for an affected set the incident does not have', async () => {
    const res = await t.as(admin, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/owners/assign`,
      payload: { setId: 'set-1' },
    });
    expectProblem(res, 422);
    expect(res.json().detail).toBe('affected set set-1 was not found for this incident');
  });

  it('shows a customer overdue past the SLA, first in the worklist, until the first reached contact', async () => {
    clock.t += 2 * HOUR + 60_000;
    const body = await owners();
    expect(byNo(body, 'C4').overdue).toBe(true);
    expect(byNo(body, 'C1').overdue).toBe(true); // vip via the account manager
    expect(body.overdue).toBe(2);

    // r3 also owns a fresh customer; the overdue one leads the worklist.
    const list = (await t.as(r3, { method: 'GET', url: '/api/v1/me/worklist' })).json();
    expect(list.items.map((i: { customer: { customerNo: string } }) => i.customer.customerNo)).toEqual(['C4']);
    expect(list.items[0]).toMatchObject({ overdue: true, incidentKey: key });

    const noAnswer = await t.as(r3, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/owners/${ids.C4}/contacts`,
      payload: { channel: 'call', outcome: 'no_answer' },
    });
    expect(noAnswer.statusCode, noAnswer.body).toBe(201);
    expect(noAnswer.json()).toMatchObject({ overdue: true, firstContactAt: null });

    const reached = await t.as(r3, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/owners/${ids.C4}/contacts`,
      payload: { channel: 'call', outcome: 'reached', note: '客户担心资金安全' },
    });
    expect(reached.json()).toMatchObject({
      state: 'contacted',
      overdue: false,
      firstContactAt: new Date(clock.t).toISOString(),
    });
    expect(reached.json().activities.map((a: { outcome: string }) => a.outcome)).toEqual(['reached', 'no_answer']);
    expect((await owners()).overdue).toBe(1);
  });

  it('reminds the owner of a promised callback when its time comes (the job on the test clock)', async () => {
    const at = clock.t + 30 * 60_000;
    const res = await t.as(r1, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/owners/${ids.C2}/callbacks`,
      payload: { at: new Date(at).toISOString(), note: 'call back after the fix' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().nextCallbackAt).toBe(new Date(at).toISOString());
    const reminders = () => events.filter((e) => e.event === 'owner.reminder');

    await t.s.jobs.runDue(at - 60_000);
    expect(reminders()).toHaveLength(0);
    await t.s.jobs.runDue(at);
    expect(reminders()).toHaveLength(1);
    expect(reminders()[0]).toMatchObject({
      incidentKey: key,
      reminder: { customerNo: 'C2', at: new Date(at).toISOString(), note: 'call back after the fix' },
      audience: { restricted: true, memberIds: [r1.userId] },
    });
  });

  it('keeps an owner off another owner’s customers', async () => {
    const url = `/api/v1/incidents/${key}/owners/${ids.C1}`;
    expectProblem(await t.as(r2, { method: 'GET', url }), 403);
    expectProblem(
      await t.as(r2, { method: 'POST', url: `${url}/contacts`, payload: { channel: 'sms', outcome: 'reached' } }),
      403,
    );
    expectProblem(await t.as(r2, { method: 'POST', url: `${url}/notes`, payload: { kind: 'note', text: 'x' } }), 403);
    // Reassigning and the incident's overview are for those who manage owners / read them.
    expectProblem(await t.as(r2, { method: 'PATCH', url, payload: { ownerId: r2.userId, reason: 'mine' } }), 403);
    expectProblem(await t.as(r2, { method: 'GET', url: `/api/v1/incidents/${key}/owners` }), 403);
    // The customer's owner may.
    expect((await t.as(manager, { method: 'GET', url })).statusCode).toBe(200);
  });

  it('records concerns and requests with their status', async () => {
    const url = `/api/v1/incidents/${key}/owners/${ids.C5}`;
    const res = await t.as(cs, {
      method: 'POST',
      url: `${url}/notes`,
      payload: { kind: 'request', text: '要求书面说明' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const item = res.json().activities[0];
    expect(item).toMatchObject({ kind: 'request', status: 'open', by: { id: cs.userId } });
    const done = await t.as(cs, {
      method: 'PATCH',
      url: `/api/v1/owner-items/${item.id}`,
      payload: { status: 'done' },
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().activities[0].status).toBe('done');
    expectProblem(
      await t.as(r1, { method: 'PATCH', url: `/api/v1/owner-items/${item.id}`, payload: { status: 'open' } }),
      403,
    );
  });

  it('audits a reassignment with before and after, never a customer contact', async () => {
    const url = `/api/v1/incidents/${key}/owners/${ids.C3}`;
    const res = await t.as(admin, { method: 'PATCH', url, payload: { ownerId: r1.userId, reason: 'r2 is on leave' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ owner: { id: r1.userId }, rule: 'reassigned' });
    expect((await t.as(r1, { method: 'GET', url })).statusCode).toBe(200);
    expectProblem(await t.as(r2, { method: 'GET', url }), 403);

    const audit = (await t.as(admin, { method: 'GET', url: '/api/v1/audit?action=owner.reassign' })).json();
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({
      before: { customerNo: 'C3', ownerId: r2.userId },
      after: { customerNo: 'C3', ownerId: r1.userId, reason: 'r2 is on leave' },
    });
    const all = JSON.stringify((await t.as(admin, { method: 'GET', url: '/api/v1/audit?limit=200' })).json());
    expect(all).not.toContain('138****1234');
    expect(all).not.toContain('客户担心资金安全');
    expect(all).not.toContain('要求书面说明');
  });

  it('pages the worklist by keyset', async () => {
    const first = (await t.as(r1, { method: 'GET', url: '/api/v1/me/worklist?limit=1' })).json();
    expect(first.items).toHaveLength(1);
    expect(first.next).toBeTruthy();
    const second = (await t.as(r1, { method: 'GET', url: `/api/v1/me/worklist?limit=1&cursor=${first.next}` })).json();
    expect(second.items).toHaveLength(1);
    expect(second.next).toBeNull();
    expect(new Set([first.items[0].customer.customerNo, second.items[0].customer.customerNo])).toEqual(
      new Set(['C2', 'C3']),
    );
    expect((await t.as(r1, { method: 'GET', url: '/api/v1/me/worklist?cursor=bogus' })).json().code).toBe(
      'cursor.invalid',
    );
  });

  it("lets a customer-service lead assign and reassign owners (owner.assign), not change pools nor work others' cases", async () => {
    await addCustomer('C6', { branch: 'Beijing', tier: 'standard' });
    const assigned = await t.as(cs, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/owners/assign`,
      payload: { customerNos: ['C6'] },
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(assigned.json()).toMatchObject({ assigned: 1 });
    const url = `/api/v1/incidents/${key}/owners/${ids.C3}`;
    const moved = await t.as(cs, { method: 'PATCH', url, payload: { ownerId: r2.userId, reason: 'r1 is overloaded' } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ owner: { id: r2.userId }, rule: 'reassigned' });
    const audit = (await t.as(admin, { method: 'GET', url: '/api/v1/audit?action=owner.reassign' })).json();
    expect(audit.items[0]).toMatchObject({ actor: { id: cs.userId }, after: { customerNo: 'C3', ownerId: r2.userId } });
    // Pools stay with owner.manage; so does recording on a customer who is another owner's.
    expectProblem(
      await t.as(cs, {
        method: 'POST',
        url: '/api/v1/owner-pools',
        payload: { kind: 'tier', name: 'gold', userIds: [] },
      }),
      403,
    );
    expectProblem(
      await t.as(cs, { method: 'POST', url: `${url}/contacts`, payload: { channel: 'sms', outcome: 'reached' } }),
      403,
    );
    // A responder may do neither.
    expectProblem(
      await t.as(r1, {
        method: 'POST',
        url: `/api/v1/incidents/${key}/owners/assign`,
        payload: { customerNos: ['C6'] },
      }),
      403,
    );
  });
});
