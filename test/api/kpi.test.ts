/**
 * The performance figures over HTTP (issue 16, docs/kpi.md), on each store, on the test clock: incidents
 * declared, moved and answered through the real services at known instants, and the figures a manager
 * checks — MTTD from the first alert's event, MTTA/MTTC/MTTR mean, median and p90, time to the first
 * public statement, breakdowns by grade and service, the monthly trend — exact; false positives and
 * drills apart; a figure without data is null and listed in `missing`, never 0; the drill-down lists the
 * incidents behind a figure that the reader may see; bad filters are 400 naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpiIncidentList } from '../../src/shared/kpi-query-schemas.js';
import type { KpiSnapshot } from '../../src/shared/kpi-schemas.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildAlert, buildService } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

const MIN = 60_000;
const DAY = 86_400_000;

describe.each(STORE_KINDS)('performance figures (%s)', (kind) => {
  let t: TestApp;
  let ic: Session;
  let admin: Session;
  let auditor: Session;
  let responder: Session;
  // 2026-11-06 10:00 in Shanghai (the firm's zone).
  const T0 = Date.parse('2026-11-06T02:00:00Z');
  const clock = {
    t: T0,
    now() {
      return this.t;
    },
  };
  const keys: Record<string, string> = {};

  const declare = async (name: string, at: number, body: object) => {
    clock.t = at;
    const r = await t.as(ic, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: `Incident ${name}`, category: 'network_attack', commanderId: ic.userId, ...body },
    });
    expect(r.statusCode, r.body).toBe(201);
    keys[name] = r.json().key;
  };
  const move = async (name: string, to: string, at: number) => {
    clock.t = at;
    const r = await t.as(ic, { method: 'POST', url: `/api/v1/incidents/${keys[name]}/transitions`, payload: { to } });
    expect(r.statusCode, r.body).toBe(200);
  };
  const kpi = async (who: Session, query: string) => {
    const r = await t.as(who, { method: 'GET', url: `/api/v1/kpi?${query}` });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as KpiSnapshot;
  };
  const drill = async (who: Session, query: string) => {
    const r = await t.as(who, { method: 'GET', url: `/api/v1/kpi/incidents?${query}` });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as KpiIncidentList;
  };
  const NOV = 'from=2026-11-01&to=2026-12-31';

  beforeAll(async () => {
    t = await createTestApp(
      kind,
      { TOCSIN_SESSION_TTL_HOURS: '720' }, // the sessions outlive the month the clock runs through
      {
        clock,
        statementPorts: {
          status: {
            publish: async () => ({ announcementId: 'a1', slug: 'outage', path: '/status/incidents/outage' }),
          },
        },
      },
    );
    admin = await t.login('admin');
    ic = await t.login('incident_commander');
    auditor = await t.login('auditor');
    responder = await t.login('responder');
    await buildService(t.s, { key: 'online-trading' });
    await buildService(t.s, { key: 'market-data', nameZh: '行情', nameEn: 'Market data' });
    // A (two services): acknowledged after 10 min, contained after 60, recovered after 120; a holding statement after 45.
    await declare('A', T0, { grade: 'II', services: ['online-trading', 'market-data'] });
    await move('A', 'acknowledged', T0 + 10 * MIN);
    await move('A', 'contained', T0 + 60 * MIN);
    await move('A', 'recovered', T0 + 120 * MIN);
    // B (a day later): 20, 30, 240 minutes.
    const b = T0 + DAY;
    await declare('B', b, { grade: 'II' });
    await move('B', 'acknowledged', b + 20 * MIN);
    await move('B', 'contained', b + 30 * MIN);
    await move('B', 'recovered', b + 240 * MIN);
    // C (restricted, grade III): 30 and 90 minutes, not recovered.
    const c = T0 + 2 * DAY;
    await declare('C', c, { grade: 'III', restricted: true, impact: { customersAffected: 1200 } });
    await move('C', 'acknowledged', c + 30 * MIN);
    await move('C', 'contained', c + 90 * MIN);
    // A false positive and a drill: not among the figures.
    await declare('FP', T0 + 3 * DAY, { grade: 'IV' });
    await move('FP', 'false_positive', T0 + 3 * DAY + 5 * MIN);
    await declare('DRILL', T0 + 3 * DAY, { grade: 'II', drill: true });
    await move('DRILL', 'acknowledged', T0 + 3 * DAY + 2 * MIN);
    // December: an incident declared by hand, two alerts linked to it whose first events were 40 and 10
    // minutes before it was detected (MTTD: from the earliest).
    const d = Date.parse('2026-12-02T02:00:00Z');
    await declare('D', d, { grade: 'IV', category: 'other' });
    for (const before of [10, 40]) {
      const raised = await buildAlert(t.s, { level: 'low', time: d - before * MIN });
      const link = await t.as(ic, {
        method: 'POST',
        url: `/api/v1/alerts/${raised.alertId}/link`,
        payload: { incidentKey: keys.D },
      });
      expect(link.statusCode, link.body).toBe(200);
    }

    // The holding statement of A, published 45 minutes after detection.
    const comms = await t.login('communications');
    const reviewer = await t.login('communications');
    clock.t = T0 + 30 * MIN;
    const st = await t.as(comms, {
      method: 'POST',
      url: `/api/v1/incidents/${keys.A}/statements`,
      payload: { kind: 'holding_statement' },
    });
    expect(st.statusCode, st.body).toBe(201);
    const id = st.json().id;
    expect((await t.as(comms, { method: 'POST', url: `/api/v1/statements/${id}/submit` })).statusCode).toBe(200);
    const ok = await t.as(reviewer, {
      method: 'POST',
      url: `/api/v1/statements/${id}/reviews`,
      payload: { verdict: 'approve' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    clock.t = T0 + 45 * MIN;
    const pub = await t.as(reviewer, { method: 'POST', url: `/api/v1/statements/${id}/publish`, payload: {} });
    expect(pub.statusCode, pub.body).toBe(200);
    // Action items of no incident: due Nov 20 done Nov 10 (on time), due Nov 15 done Nov 18 (late), due
    // Nov 25 still open (overdue on Dec 4), due Dec 20 open (not judged yet).
    const item = async (due: string, doneAt?: string) => {
      clock.t = T0;
      const r = await t.as(ic, {
        method: 'POST',
        url: '/api/v1/action-items',
        payload: { title: `Fix by ${due}`, ownerId: ic.userId, dueAt: `${due}T10:00:00Z` },
      });
      expect(r.statusCode, r.body).toBe(201);
      if (!doneAt) return;
      clock.t = Date.parse(`${doneAt}T10:00:00Z`);
      const done = await t.as(ic, {
        method: 'POST',
        url: `/api/v1/action-items/${r.json().id}/transitions`,
        payload: { to: 'done' },
      });
      expect(done.statusCode, done.body).toBe(200);
    };
    await item('2026-11-20', '2026-11-10');
    await item('2026-11-15', '2026-11-18');
    await item('2026-11-25');
    await item('2026-12-20');
    clock.t = Date.parse('2026-12-04T02:00:00Z');
  });
  afterAll(() => t.close());

  it('computes MTTA, MTTC and MTTR from the incidents, false positives and drills apart', async () => {
    const s = await kpi(ic, NOV);
    expect(s.zone).toBe('Asia/Shanghai');
    expect(s.incidents).toBe(4);
    expect(s.falsePositives).toBe(1);
    // A 10, B 20, C 30 minutes; D (raised by an alert) not acknowledged.
    expect(s.durations.mtta).toEqual({ count: 3, meanMs: 20 * MIN, medianMs: 20 * MIN, p90Ms: 30 * MIN });
    expect(s.durations.mttc).toEqual({ count: 3, meanMs: 60 * MIN, medianMs: 60 * MIN, p90Ms: 90 * MIN });
    expect(s.durations.mttr).toEqual({ count: 2, meanMs: 180 * MIN, medianMs: 180 * MIN, p90Ms: 240 * MIN });
    expect(s.durations.mttd).toEqual({ count: 1, meanMs: 40 * MIN, medianMs: 40 * MIN, p90Ms: 40 * MIN });
    expect(s.durations.first_statement).toMatchObject({ count: 1, meanMs: 45 * MIN });
    expect(s.customers.affected).toBe(1200);

    const withDrills = await kpi(ic, `${NOV}&drills=true`);
    expect(withDrills.incidents).toBe(5);
    expect(withDrills.durations.mtta.count).toBe(4);
  });

  it('breaks the figures down by grade, service and month (the firm’s months)', async () => {
    const s = await kpi(ic, NOV);
    expect(s.byGrade.II.incidents).toBe(2);
    expect(s.byGrade.II.durations.mttr.meanMs).toBe(180 * MIN);
    expect(s.byGrade.III.durations.mttc.meanMs).toBe(90 * MIN);
    expect(s.byGrade.IV.incidents).toBe(1);
    expect(s.byCategory.network_attack?.incidents).toBe(3);
    // A names two services: counted once in each.
    expect(s.byService).toEqual([
      expect.objectContaining({
        name: 'Market data',
        nameZh: '行情',
        slice: expect.objectContaining({ incidents: 1 }),
      }),
      expect.objectContaining({
        name: 'Online trading',
        nameZh: '网上交易',
        slice: expect.objectContaining({ incidents: 1 }),
      }),
    ]);
    expect(s.byService[0]?.slice.durations.mttr.meanMs).toBe(120 * MIN);
    expect(s.trend.map((m) => [m.month, m.slice.incidents])).toEqual([
      ['2026-11', 3],
      ['2026-12', 1],
    ]);
    expect(s.trend[0]?.slice.durations.mtta.meanMs).toBe(20 * MIN);

    const third = await kpi(ic, `${NOV}&grade=III&grade=IV`);
    expect(third.incidents).toBe(2);
    expect(third.durations.mttc).toMatchObject({ count: 1, meanMs: 90 * MIN });
    const bySvc = await kpi(ic, `${NOV}&service=${encodeURIComponent(await serviceId())}`);
    expect(bySvc.incidents).toBe(1);
  });

  const serviceId = async () => {
    const r = await t.as(admin, { method: 'GET', url: '/api/v1/services' });
    return (r.json().items as { id: string; key: string }[]).find((x) => x.key === 'online-trading')!.id;
  };

  it('says which figures have no data instead of showing 0', async () => {
    const s = await kpi(ic, NOV);
    expect(s.durations.first_customer_notice).toEqual({ count: 0, meanMs: null, medianMs: null, p90Ms: null });
    expect(s.customers.csat).toBeNull();
    expect(s.regulators.onTime.value).toBeNull();
    expect(s.drills.meanScore).toBeNull();
    const missing = s.missing.map((m) => `${m.figure}:${m.reason}`);
    expect(missing).toEqual(
      expect.arrayContaining([
        'durations.first_customer_notice:no_data',
        'customers.csat:no_data',
        'regulators.onTime:no_data',
        'drills.meanScore:no_data',
        'training.coverage:no_source',
      ]),
    );
    expect(missing).not.toContain('durations.mtta:no_data');

    // Action items: 1 of the 3 judged closed by its due date; 2 open, 1 of them overdue.
    expect(s.actionItems).toEqual({
      closedOnTime: { numerator: 1, denominator: 3, value: 0.3333 },
      open: 2,
      overdue: 1,
    });
    // Items of no incident do not count once the figures are of some grades.
    const graded = await kpi(ic, `${NOV}&grade=II`);
    expect(graded.actionItems.closedOnTime.value).toBeNull();
    expect(graded.missing).toContainEqual({ figure: 'actionItems.closedOnTime', reason: 'no_data' });

    const empty = await kpi(ic, 'from=2025-01-01&to=2025-03-31');
    expect(empty.incidents).toBe(0);
    expect(empty.durations.mtta.meanMs).toBeNull();
    expect(empty.trend.map((m) => m.month)).toEqual(['2025-01', '2025-02', '2025-03']);
    expect(empty.customers.affected).toBeNull();
  });

  it('lists the incidents behind a figure, restricted ones only to those who may see them', async () => {
    const all = await drill(admin, `${NOV}&figure=mttc&month=2026-11`);
    expect(all.items.map((r) => [r.key, r.valueMs])).toEqual([
      [keys.C, 90 * MIN],
      [keys.B, 30 * MIN],
      [keys.A, 60 * MIN],
    ]);
    expect(all.hidden).toBe(0);
    const outsider = await drill(auditor, `${NOV}&figure=mttc&month=2026-11`);
    expect(outsider.items.map((r) => r.key)).toEqual([keys.B, keys.A]);
    expect(outsider.hidden).toBe(1);
    const grade = await drill(admin, `${NOV}&grade=II&figure=mttr`);
    expect(grade.items.map((r) => r.key)).toEqual([keys.B, keys.A]);
    const december = await drill(admin, `${NOV}&month=2026-12`);
    expect(december.items.map((r) => r.key)).toEqual([keys.D]);
  });

  it('refuses bad filters with the field named, and readers without kpi.read', async () => {
    for (const [query, field] of [
      ['from=2026-13-01', 'query.from'],
      ['from=2026-02-30', 'query.from'],
      ['from=2026-12-01&to=2026-11-01', 'query.to'],
      ['grade=V', 'query.grade.0'],
      ['category=nonsense', 'query.category.0'],
      ['drills=maybe', 'query.drills'],
    ] as const) {
      const r = await t.as(ic, { method: 'GET', url: `/api/v1/kpi?${query}` });
      const body = expectProblem(r, 400);
      expect(
        body.errors?.map((e) => e.path),
        query,
      ).toContain(field);
    }
    const month = await t.as(ic, { method: 'GET', url: '/api/v1/kpi/incidents?month=2026-1' });
    expect(expectProblem(month, 400).errors?.map((e) => e.path)).toContain('query.month');
    expectProblem(await t.as(responder, { method: 'GET', url: '/api/v1/kpi' }), 403);
  });

  it('gives the management reports the same snapshot for a filter, and refuses a bad one', async () => {
    const p = { user: await t.s.users.get(ic.userId), via: 'session' as const, scopes: null, restrictedTo: null };
    const direct = await t.s.kpi.snapshot(p, { from: '2026-11-01', to: '2026-12-31', grades: ['II'] });
    const http = await kpi(ic, `${NOV}&grade=II`);
    expect({ ...direct, generatedAt: '' }).toEqual({ ...http, generatedAt: '' });
    await expect(t.s.kpi.snapshot(p, { from: '2026-11-31', to: '2026-12-31' })).rejects.toMatchObject({
      status: 422,
    });
  });
});
