/**
 * The reasons a member keeps, now that a set is evaluated and written inside the database (issue 12's
 * scope speed): at most three, source by source in the definition's order and the earliest activity
 * first; the account from the first reason that names one; a refresh that finds the same members keeps
 * the version and its members; members stored before (reason time as ISO-8601 text) read the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { insertCustomers } from '../helpers/customers.js';
import { STORE_KINDS } from '../helpers/store.js';

const T0 = Date.parse('2026-12-03T09:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const min = (n: number) => T0 + n * 60_000;

describe.each(STORE_KINDS)('affected-set reasons (%s)', (kind) => {
  let t: TestApp;
  let cs: Session;
  let key = '';

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { clock: { now: () => T0 + 3 * 3600_000 }, sink: () => {} });
    const admin = await t.login('admin');
    cs = await t.login('customer_service');
    await insertCustomers(t.s.store, [
      { customerNo: 'C001', name: '张三', branch: 'Shanghai', tier: 'vip', accounts: ['A001'] },
      { customerNo: 'C002', name: '李四', branch: 'Beijing', tier: 'standard', accounts: ['A002'] },
    ]);
    const inc = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Password spraying', category: 'network_attack', grade: 'III' },
    });
    key = inc.json().key;
    // A001: five logins from five addresses, written out of time order; A002 one; A077 of no known customer.
    const lines = [
      { time: min(50), account: 'A001', ip: '203.0.113.5', action: 'login', outcome: 'failure' },
      { time: min(10), account: 'A001', ip: '203.0.113.1', action: 'login', outcome: 'failure' },
      { time: min(40), account: 'A001', ip: '203.0.113.4', action: 'login', outcome: 'failure' },
      { time: min(20), account: 'A001', ip: '203.0.113.2', action: 'login', outcome: 'success' },
      { time: min(30), account: 'A001', ip: '203.0.113.3', action: 'login', outcome: 'failure' },
      { time: min(31), account: 'A001', ip: '203.0.113.3', action: 'login', outcome: 'failure' },
      { time: min(15), account: 'A002', ip: '203.0.113.9', action: 'order', outcome: 'rejected' },
      { time: min(16), account: 'A077', ip: '203.0.113.9', action: 'login', outcome: 'failure' },
      // An account id with the characters JSON escapes (the reason is written as JSON text in SQL).
      { time: min(17), account: 'A"9\\x/é', ip: '198.51.100.7', action: 'login', outcome: 'failure' },
    ];
    const imported = await t.as(cs, {
      method: 'POST',
      url: '/api/v1/activity/imports?file=spray.ndjson',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: lines.map((l) => JSON.stringify(l)).join('\n'),
    });
    expect(imported.statusCode, imported.body).toBe(201);
  });
  afterAll(() => t.close());

  const members = async (id: string) => {
    const r = await t.as(cs, { method: 'GET', url: `/api/v1/affected-sets/${id}/members?limit=50` });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as {
      total: number;
      items: { customerNo: string | null; accountNo: string | null; reasons: Record<string, unknown>[] }[];
    };
  };

  it('keeps the first three reasons, source by source and earliest first, with the account of the first that names one', async () => {
    const created = await t.as(cs, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/affected-sets`,
      payload: {
        name: 'Sprayed',
        definition: {
          sources: [
            { kind: 'list', customerNos: ['C002'] },
            { kind: 'activity', ips: ['203.0.113.0/24'], from: iso(T0), to: iso(min(120)) },
          ],
        },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().customerCount).toBe(3);
    const { items } = await members(created.json().id);
    const by = (no: string) => items.find((i) => i.customerNo === no || i.accountNo === no)!;
    expect(by('C001').reasons).toEqual([
      {
        kind: 'activity',
        accountNo: 'A001',
        ip: '203.0.113.1',
        at: iso(min(10)),
        action: 'login',
        outcome: 'failure',
        count: 1,
      },
      {
        kind: 'activity',
        accountNo: 'A001',
        ip: '203.0.113.2',
        at: iso(min(20)),
        action: 'login',
        outcome: 'success',
        count: 1,
      },
      {
        kind: 'activity',
        accountNo: 'A001',
        ip: '203.0.113.3',
        at: iso(min(30)),
        action: 'login',
        outcome: 'failure',
        count: 2,
      },
    ]);
    // The list named C002 first (no account); the activity then gave its account.
    expect(by('C002')).toMatchObject({
      accountNo: 'A002',
      reasons: [
        { kind: 'list', accountNo: null, customerNo: 'C002' },
        { kind: 'activity', accountNo: 'A002', ip: '203.0.113.9', action: 'order', outcome: 'rejected' },
      ],
    });
    expect(by('A077')).toMatchObject({ customerNo: null, reasons: [{ kind: 'activity', accountNo: 'A077' }] });

    // Evaluated again with the same members: the same version, its members still there.
    const same = await t.as(cs, { method: 'POST', url: `/api/v1/affected-sets/${created.json().id}/refresh` });
    expect(same.json()).toMatchObject({ version: 1, customerCount: 3 });
    expect((await members(created.json().id)).total).toBe(3);
    expect((await members(created.json().id)).items).toHaveLength(3);
  });

  it('keeps an account id with quotes and backslashes exactly', async () => {
    const created = await t.as(cs, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/affected-sets`,
      payload: {
        name: 'Odd account',
        definition: { sources: [{ kind: 'activity', ips: ['198.51.100.7'], from: iso(T0), to: iso(min(120)) }] },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { items } = await members(created.json().id);
    expect(items).toEqual([
      expect.objectContaining({
        customerNo: null,
        accountNo: 'A"9\\x/é',
        reasons: [
          {
            kind: 'activity',
            accountNo: 'A"9\\x/é',
            ip: '198.51.100.7',
            at: iso(min(17)),
            action: 'login',
            outcome: 'failure',
            count: 1,
          },
        ],
      }),
    ]);
  });

  it('reads members written before, whose activity time is ISO-8601 text', async () => {
    const created = await t.as(cs, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/affected-sets`,
      payload: { name: 'Old', definition: { sources: [{ kind: 'list', customerNos: ['C001'] }] } },
    });
    const id = created.json().id as string;
    const reason = {
      kind: 'activity',
      accountNo: 'A001',
      ip: '203.0.113.1',
      at: iso(min(10)),
      action: 'login',
      outcome: 'failure',
      count: 1,
    };
    await t.s.store.db
      .updateTable('affected_set_members')
      .set({ reasons: JSON.stringify([reason]) })
      .where('set_id', '=', id)
      .execute();
    expect((await members(id)).items[0]!.reasons).toEqual([reason]);
  });
});
