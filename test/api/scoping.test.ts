/**
 * Impact scoping over HTTP, on each store: a credential-stuffing burst ingested becomes account activity,
 * extracts import with their bad lines reported, each source kind of a definition, versions and their
 * difference, the incident's customers affected following the sets, retention, permissions and need-to-know.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventActivity } from '../../src/shared/activity-fields.js';
import { activityOf } from '../../src/server/modules/detection/cluster/stage-one-eval.js';
import type { DetectionEvent, RuleMatch } from '../../src/server/modules/detection/index.js';
import { activityRowsOf, withIpKey } from '../../src/server/modules/scoping/activity-fields.js';
import { ipKey } from '../../src/server/platform/ip-key.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { insertCustomers } from '../helpers/customers.js';
import { countRows, STORE_KINDS } from '../helpers/store.js';

const T0 = Date.parse('2026-12-03T09:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(STORE_KINDS)('impact scoping (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let cs: Session;
  let executive: Session;
  let key = '';
  const clock = {
    t: T0 + 3 * 3600_000,
    now() {
      return this.t;
    },
  };

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { clock, sink: () => {} });
    admin = await t.login('admin');
    cs = await t.login('customer_service');
    executive = await t.login('executive');
    await insertCustomers(t.s.store, [
      {
        customerNo: 'C001',
        name: '张三',
        branch: 'Shanghai',
        tier: 'vip',
        phoneMasked: '138****0001',
        accounts: ['A001'],
      },
      {
        customerNo: 'C002',
        name: '李四',
        branch: 'Beijing',
        tier: 'standard',
        phoneMasked: '138****0002',
        accounts: ['A002'],
      },
      { customerNo: 'C003', name: 'Wang Wu', branch: 'Shanghai', tier: 'standard', accounts: ['A003'] },
      { customerNo: 'C004', name: '赵六', branch: 'Shenzhen', tier: 'vip', accounts: ['A004', 'A004B'] },
    ]);
    const inc = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Credential stuffing on the trading login', category: 'network_attack', grade: 'III' },
    });
    expect(inc.statusCode, inc.body).toBe(201);
    key = inc.json().key;
  });
  afterAll(() => t.close());

  const createSet = (who: Session, body: Record<string, unknown>, at = key) =>
    t.as(who, { method: 'POST', url: `/api/v1/incidents/${at}/affected-sets`, payload: body });
  const membersOf = async (id: string, version?: number) => {
    const r = await t.as(cs, {
      method: 'GET',
      url: `/api/v1/affected-sets/${id}/members?limit=500${version ? `&version=${version}` : ''}`,
    });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const window = { from: iso(T0), to: iso(T0 + 2 * 3600_000) };

  it('indexes the login failures of a credential-stuffing burst from ingested events', async () => {
    // 30 failures from one address, A001..A003 among them (known customers), the rest unknown accounts.
    const lines = [];
    for (let i = 1; i <= 30; i++)
      lines.push({
        id: `burst-${i}`,
        '@timestamp': iso(T0 + 31 * 60_000 + i * 1000),
        EventID: 4625,
        TargetUserName: `A${String(i).padStart(3, '0')}`,
        IpAddress: '203.0.113.7',
      });
    lines.push({
      id: 'ok-1',
      '@timestamp': iso(T0 + 40 * 60_000),
      user: 'A004',
      src_ip: '198.51.100.4',
      'event.action': 'user-login',
      'event.outcome': 'success',
    });
    lines.push({
      id: 'order-1',
      '@timestamp': iso(T0 + 41 * 60_000),
      fund_account: 'A004B',
      src_ip: '198.51.100.4',
      action: 'place_order',
      result: 'rejected',
    });
    lines.push({ id: 'no-account', '@timestamp': iso(T0 + 42 * 60_000), src_ip: '203.0.113.7', message: 'scan' });
    const res = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/events?source=api',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: lines.map((l) => JSON.stringify(l)).join('\n'),
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().accepted).toBe(33);

    const created = await createSet(cs, {
      name: 'Stuffing victims',
      definition: {
        sources: [{ kind: 'activity', ips: ['203.0.113.0/24'], actions: ['login'], outcomes: ['failure'], ...window }],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ incidentKey: key, version: 1, customerCount: 30 });
    const page = await membersOf(created.json().id);
    expect(page.total).toBe(30);
    const a001 = page.items.find((m: { accountNo: string }) => m.accountNo === 'A001');
    expect(a001).toMatchObject({
      customerNo: 'C001',
      name: '张三',
      branch: 'Shanghai',
      tier: 'vip',
      phoneMasked: '138****0001',
      reasons: [
        {
          kind: 'activity',
          ip: '203.0.113.7',
          action: 'login',
          outcome: 'failure',
          at: iso(T0 + 31 * 60_000 + 1000),
          count: 1,
        },
      ],
    });
    // Unknown accounts are members too, without customer data.
    expect(page.items.find((m: { accountNo: string }) => m.accountNo === 'A030')).toMatchObject({
      customerId: null,
      name: null,
    });

    // The successful login and the rejected order were indexed with their actions and outcomes.
    const other = await createSet(cs, {
      name: 'From 198.51.100.4',
      definition: { sources: [{ kind: 'activity', ips: ['198.51.100.4'], ...window }] },
    });
    const m = (await membersOf(other.json().id)).items;
    expect(m).toHaveLength(1); // A004 and A004B are one customer
    expect(m[0]).toMatchObject({ customerNo: 'C004' });
    expect(m[0].reasons.map((r: { action: string; outcome: string }) => `${r.action}/${r.outcome}`)).toEqual([
      'login/success',
      'order/rejected',
    ]);
  });

  it('imports extracts, reporting the bad lines', async () => {
    const csv = [
      'time,account,customer,ip,device,action,outcome',
      `${iso(T0 + 60 * 60_000)},B001,,192.0.2.10,iPhone,login,success`,
      'yesterday,B002,,192.0.2.10,,login,failure',
      `${iso(T0 + 61 * 60_000)},,,192.0.2.10,,login,failure`,
      `${iso(T0 + 62 * 60_000)},B003,C003,not-an-ip,,login,failure`,
      `${T0 + 63 * 60_000},B004,C003,192.0.2.11,,委托下单,失败`,
    ].join('\n');
    const res = await t.as(cs, {
      method: 'POST',
      url: '/api/v1/activity/imports?file=core-login.csv',
      headers: { 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      accepted: 2,
      rejectedCount: 3,
      rejected: [
        { line: 3, reason: expect.stringMatching(/time/) },
        { line: 4, reason: 'account is missing' },
        { line: 5, reason: 'ip "not-an-ip" is not an IP address' },
      ],
    });
    const nd = await t.as(cs, {
      method: 'POST',
      url: '/api/v1/activity/imports?file=transfers.ndjson',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: `${JSON.stringify({ time: T0 + 64 * 60_000, account: 'B005', ip: '192.0.2.12', action: 'transfer', outcome: 'success' })}\n{oops\n`,
    });
    expect(nd.json()).toMatchObject({
      accepted: 1,
      rejectedCount: 1,
      rejected: [{ line: 2, reason: 'not a JSON object' }],
    });
    const wrongType = await t.as(cs, {
      method: 'POST',
      url: '/api/v1/activity/imports',
      headers: { 'content-type': 'application/pdf' },
      payload: 'x',
    });
    expect(wrongType.statusCode).toBe(415);

    // Extract rows are found by their source; the customer number of the extract resolves the customer.
    const set = await createSet(cs, {
      name: 'From the core extract',
      definition: { sources: [{ kind: 'activity', sources: ['extract:core-login.csv'], ...window }] },
    });
    const items = (await membersOf(set.json().id)).items;
    expect(items.map((i: { accountNo: string }) => i.accountNo).sort()).toEqual(['B001', 'B004']);
    expect(items.find((i: { accountNo: string }) => i.accountNo === 'B004')).toMatchObject({
      customerNo: 'C003',
      reasons: [{ action: 'order', outcome: 'failure' }],
    });
    const audit = await t.as(admin, { method: 'GET', url: '/api/v1/audit?targetId=extract:core-login.csv' });
    expect(audit.json().items[0]).toMatchObject({ action: 'activity.import' });
  });

  it('unites lists, segments and the accounts named in the incident alerts, and intersects with a segment', async () => {
    const match: RuleMatch = {
      ruleId: 'scoping-test-takeover',
      ruleTitle: 'Account takeover',
      level: 'critical',
      tags: [],
      kind: 'correlation',
      time: clock.t,
      events: [
        {
          id: 'alert-ev-1',
          time: clock.t,
          source: 'api',
          logsource: {},
          fields: { user: 'A002', src_ip: '203.0.113.9' },
        },
      ],
    };
    const [raised] = await t.s.alerts.raise([match]);
    const alertKey = raised!.incidentKey!;
    expect(alertKey).toMatch(/^INC-/);
    const set = await createSet(
      cs,
      {
        name: 'Everyone we know of',
        definition: {
          sources: [
            { kind: 'incident-alerts' },
            { kind: 'list', customerNos: ['C003'], accountNos: ['Z999'] },
            { kind: 'segment', tiers: ['vip'] },
          ],
        },
      },
      alertKey,
    );
    expect(set.statusCode, set.body).toBe(201);
    const items = (await membersOf(set.json().id)).items as {
      customerNo: string | null;
      accountNo: string | null;
      reasons: { kind: string }[];
    }[];
    const by = (no: string) => items.find((i) => i.customerNo === no || i.accountNo === no);
    expect(by('C002')!.reasons).toEqual([
      { kind: 'alert', accountNo: 'A002', alertId: raised!.alertId, title: 'Account takeover' },
    ]);
    expect(by('C003')!.reasons).toEqual([{ kind: 'list', accountNo: null, customerNo: 'C003' }]);
    expect(by('Z999')).toMatchObject({ customerId: null, reasons: [{ kind: 'list', accountNo: 'Z999' }] });
    expect(by('C001')!.reasons).toEqual([{ kind: 'segment', branch: 'Shanghai', tier: 'vip' }]);
    expect(items).toHaveLength(5);

    const narrowed = await t.as(cs, {
      method: 'PUT',
      url: `/api/v1/affected-sets/${set.json().id}`,
      payload: { definition: { ...set.json().shown.definition, intersectSegment: { branches: ['Shanghai'] } } },
    });
    expect(narrowed.statusCode, narrowed.body).toBe(200);
    const kept = (await membersOf(set.json().id)).items.map((i: { customerNo: string }) => i.customerNo).sort();
    expect(kept).toEqual(['C001', 'C003']);

    const bad = await createSet(cs, {
      name: 'bad',
      definition: { sources: [{ kind: 'activity', ips: ['300.1.2.3'], ...window }] },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().detail).toMatch(/300\.1\.2\.3/);
  });

  it('keeps versions, shows the difference, and updates the incident figure', async () => {
    const created = await createSet(cs, {
      name: 'Stuffing, refined',
      primary: true,
      definition: {
        sources: [{ kind: 'activity', ips: ['203.0.113.7'], accounts: ['A001', 'A002', 'A003'], ...window }],
      },
    });
    const id = created.json().id as string;
    expect(created.json()).toMatchObject({ version: 1, customerCount: 3, primary: true });
    let inc = await t.as(cs, { method: 'GET', url: `/api/v1/incidents/${key}` });
    expect(inc.json().impact.customersAffected).toBe(3);

    clock.t += 60_000;
    const v2 = await t.as(cs, {
      method: 'PUT',
      url: `/api/v1/affected-sets/${id}`,
      payload: {
        definition: {
          sources: [{ kind: 'activity', ips: ['203.0.113.7'], accounts: ['A002', 'A003', 'A010', 'A011'], ...window }],
        },
      },
    });
    expect(v2.json()).toMatchObject({ version: 2, customerCount: 4 });
    expect(v2.json().versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    const diff = await t.as(executive, { method: 'GET', url: `/api/v1/affected-sets/${id}/diff?from=1&to=2` });
    expect(diff.statusCode, diff.body).toBe(200);
    expect(diff.json()).toMatchObject({ addedCount: 2, removedCount: 1 });
    expect(
      diff
        .json()
        .added.map((m: { accountNo: string }) => m.accountNo)
        .sort(),
    ).toEqual(['A010', 'A011']);
    expect(diff.json().removed).toMatchObject([
      { customerNo: 'C001', reasons: [{ kind: 'activity', ip: '203.0.113.7' }] },
    ]);

    const old = await t.as(cs, { method: 'GET', url: `/api/v1/affected-sets/${id}?version=1` });
    expect(old.json().shown.definition.sources[0].accounts).toEqual(['A001', 'A002', 'A003']);
    expect((await membersOf(id, 1)).total).toBe(3);

    inc = await t.as(cs, { method: 'GET', url: `/api/v1/incidents/${key}` });
    expect(inc.json().impact.customersAffected).toBe(4);
    const audit = await t.as(admin, { method: 'GET', url: `/api/v1/audit?targetId=${id}` });
    expect(audit.json().items.map((e: { action: string }) => e.action)).toEqual([
      'affected_set.update',
      'affected_set.create',
    ]);
    const incAudit = await t.as(admin, { method: 'GET', url: `/api/v1/audit?targetId=${key}&action=incident.update` });
    expect(incAudit.json().items[0].after.impact.customersAffected).toBe(4);

    // The same definition again: no new version until the activity changes.
    const same = await t.as(cs, { method: 'POST', url: `/api/v1/affected-sets/${id}/refresh` });
    expect(same.json().version).toBe(2);
    await t.as(cs, {
      method: 'POST',
      url: '/api/v1/activity/imports?file=late.ndjson',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: JSON.stringify({
        time: T0 + 70 * 60_000,
        account: 'A001',
        ip: '203.0.113.7',
        action: 'login',
        outcome: 'failure',
      }),
    });
    const refreshed = await t.as(cs, { method: 'POST', url: `/api/v1/affected-sets/${id}/refresh` });
    expect(refreshed.json()).toMatchObject({ version: 2, customerCount: 4 }); // A001 is not among the accounts asked for
  });

  it('reads for every staff role that may, manages only for those who may, and keeps need-to-know', async () => {
    const denied = await createSet(executive, {
      name: 'x',
      definition: { sources: [{ kind: 'list', accountNos: ['A001'] }] },
    });
    expect(denied.statusCode).toBe(403);
    const secret = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Insider case', category: 'data_security', grade: 'II', restricted: true },
    });
    const s = await createSet(
      admin,
      { name: 'Insider', definition: { sources: [{ kind: 'list', accountNos: ['A001'] }] } },
      secret.json().key,
    );
    expect(s.statusCode, s.body).toBe(201);
    expect((await t.as(cs, { method: 'GET', url: `/api/v1/affected-sets/${s.json().id}` })).statusCode).toBe(404);
    expect(
      (await t.as(cs, { method: 'GET', url: `/api/v1/incidents/${secret.json().key}/affected-sets` })).statusCode,
    ).toBe(404);
  });

  it('at scale, indexes the rows stage one hands over as array literals, awkward values and all', async () => {
    // Stage one's engine thread builds one PostgreSQL array literal per column (activityOf); the
    // worker's event loop hands them on as they are — on SQLite they are read back into rows.
    const ev = (id: string, fields: Record<string, unknown>): DetectionEvent => ({
      id,
      time: T0 + 50 * 60_000,
      source: 'trading-front',
      logsource: {},
      fields,
    });
    const events = [
      ev('arr-1', {
        user: 'A002',
        src_ip: '2001:db8::7',
        device: 'Mozilla "quoted" C:\\path\\{braces},comma',
        action: '登录',
        result: 'NULL',
      }),
      ev('arr-2', { user: 'Z"9\\', src_ip: '203.0.113.9', action: 'place_order' }),
      ev('arr-3', { note: 'no account: no row' }),
      ev('arr-4', { fund_account: 'A004B', action: 'transfer out', status: 'failed' }),
      // PostgreSQL's text holds no NUL: one would fail the whole write (and stage one would retry it forever).
      ev('arr-\u00005', { user: 'NUL\u0000ACCT', device: '\u0000', action: 'login' }),
    ];
    const first = activityOf(events.slice(0, 2))!;
    const second = activityOf(events.slice(2))!;
    expect([first.rows, second.rows]).toEqual([2, 2]);
    await t.s.scoping.activity.indexArrays([first, second]);
    const stored = await t.s.store.db
      .selectFrom('account_activity')
      .select(['at', 'account_no', 'customer_no', 'ip', 'ip_key', 'device', 'action', 'outcome', 'source', 'event_ref'])
      .where('source', '=', 'trading-front')
      .orderBy('account_no')
      .execute();
    const expected = [events[0]!, events[1]!, events[3]!, events[4]!]
      .map((e) => withIpKey(eventActivity(e)!))
      .map((r) => ({ ...r, customer_no: r.account_no === 'A002' ? 'C002' : r.account_no === 'A004B' ? 'C004' : null }))
      .sort((a, b) => (a.account_no < b.account_no ? -1 : 1));
    expect(stored.map((r) => ({ ...r, at: Number(r.at) }))).toEqual(expected);
    expect(expected.map((r) => r.ip_key)).toEqual([ipKey('2001:db8::7'), null, null, ipKey('203.0.113.9')]);
    expect(expected.find((r) => r.event_ref === 'arr-5')).toMatchObject({ account_no: 'NULACCT', device: null });
    expect(expected[0]!.device).toBe('Mozilla "quoted" C:\\path\\{braces},comma');
    expect(activityRowsOf(first)).toEqual([events[0]!, events[1]!].map((e) => withIpKey(eventActivity(e)!)));
  });

  it('prunes activity older than the retention', async () => {
    await t.as(cs, {
      method: 'POST',
      url: '/api/v1/activity/imports?file=old.ndjson',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: JSON.stringify({ time: clock.t - 181 * 86_400_000, account: 'OLD1', ip: '192.0.2.99', action: 'login' }),
    });
    const def = { sources: [{ kind: 'activity', accounts: ['OLD1'], from: 0, to: clock.t }] };
    const before = await createSet(cs, { name: 'old', definition: def });
    expect(before.json().customerCount).toBe(1);
    expect(await t.s.scoping.activity.prune()).toBeGreaterThanOrEqual(1);
    const after = await t.as(cs, { method: 'POST', url: `/api/v1/affected-sets/${before.json().id}/refresh` });
    expect(after.json()).toMatchObject({ version: 2, customerCount: 0 });
  });
});

describe.each(STORE_KINDS)('activity indexing turned off (%s)', (kind) => {
  it('indexes no ingested event under TOCSIN_ACTIVITY_INDEX=false, and ingest still accepts them', async () => {
    const t = await createTestApp(kind, { TOCSIN_ACTIVITY_INDEX: 'false' }, { sink: () => {} });
    try {
      const admin = await t.login('admin');
      const res = await t.as(admin, {
        method: 'POST',
        url: '/api/v1/events?source=api',
        headers: { 'content-type': 'application/x-ndjson' },
        payload: JSON.stringify({
          '@timestamp': iso(T0),
          EventID: 4625,
          TargetUserName: 'A001',
          IpAddress: '203.0.113.7',
        }),
      });
      expect(res.json().accepted).toBe(1);
      const inc = await t.as(admin, {
        method: 'POST',
        url: '/api/v1/incidents',
        payload: { title: 'Stuffing', category: 'network_attack', grade: 'IV' },
      });
      const set = await t.as(admin, {
        method: 'POST',
        url: `/api/v1/incidents/${inc.json().key}/affected-sets`,
        payload: {
          name: 'none',
          definition: { sources: [{ kind: 'activity', ips: ['203.0.113.7'], from: T0 - 1, to: T0 + 1 }] },
        },
      });
      expect(set.json().customerCount).toBe(0);
    } finally {
      await t.close();
    }
  });
});

describe.each(STORE_KINDS)('activity indexing off the ingest path (%s)', (kind) => {
  it('buffers the rows of ingested events, writes them before a set is evaluated and at shutdown', async () => {
    // A minute between writes: only the set's evaluation and close() write in this test.
    const t = await createTestApp(kind, { TOCSIN_ACTIVITY_FLUSH_MS: '60000' }, { sink: () => {} });
    try {
      const admin = await t.login('admin');
      const login = (i: number) => ({
        '@timestamp': iso(T0),
        EventID: 4625,
        TargetUserName: `B${i}`,
        IpAddress: '203.0.113.9',
      });
      const res = await t.as(admin, {
        method: 'POST',
        url: '/api/v1/events?source=api',
        headers: { 'content-type': 'application/x-ndjson' },
        payload: [1, 2, 3].map((i) => JSON.stringify(login(i))).join('\n'),
      });
      expect(res.json().accepted).toBe(3);
      // Ingest answered without writing the index: the rows wait in this process's buffer.
      expect(await countRows(t.s.store, 'account_activity')).toBe(0);
      const inc = await t.as(admin, {
        method: 'POST',
        url: '/api/v1/incidents',
        payload: { title: 'Stuffing', category: 'network_attack', grade: 'IV' },
      });
      const set = await t.as(admin, {
        method: 'POST',
        url: `/api/v1/incidents/${inc.json().key}/affected-sets`,
        payload: {
          name: 'from the buffer',
          definition: { sources: [{ kind: 'activity', ips: ['203.0.113.9'], from: T0 - 1, to: T0 + 1 }] },
        },
      });
      expect(set.statusCode).toBe(201);
      expect(set.json().customerCount).toBe(3);
      expect(await countRows(t.s.store, 'account_activity')).toBe(3);

      // Still buffered at shutdown: close() writes it before the store closes.
      await t.as(admin, {
        method: 'POST',
        url: '/api/v1/events?source=api',
        headers: { 'content-type': 'application/x-ndjson' },
        payload: JSON.stringify(login(4)),
      });
      expect(await countRows(t.s.store, 'account_activity')).toBe(3);
      await t.s.scoping.activity.close();
      expect(await countRows(t.s.store, 'account_activity')).toBe(4);
    } finally {
      await t.close();
    }
  });
});
