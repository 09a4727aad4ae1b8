/**
 * Live regulatory obligation clocks over HTTP, on each store, on the test clock: the firm profile, a
 * declaration and a re-grading IV -> III (the CAC 4-hour clock counts from discovery, already partly
 * spent) seen on the very next GET, recorded facts starting the PIPL notice with a timeline entry, the
 * warning points paging the commander once each, a missed deadline, and `obligation.report_submitted`
 * (published through the outbox as the report module does) marking the stage met, in the on-time record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentObligations, ObligationClock } from '../../src/shared/obligation-clock-schemas.js';
import { regulatoryClocks } from '../../src/server/cli/demo-obligations.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/store.js';

const T0 = Date.parse('2026-05-21T01:00:00Z'); // Thursday 09:00 in Shanghai
const MIN = 60_000;
const HOUR = 60 * MIN;

describe.each(STORE_KINDS)('obligation clocks (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let compliance: Session;
  let commander: Session;
  let executive: Session;
  let key = '';
  const clock = {
    t: T0 + 10 * MIN,
    now() {
      return this.t;
    },
  };

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { clock });
    admin = await t.login('admin');
    compliance = await t.login('compliance');
    commander = await t.login('incident_commander');
    executive = await t.login('executive');
  });
  afterAll(() => t.close());

  const clocksOf = async (who: Session = executive): Promise<IncidentObligations> => {
    const r = await t.as(who, { method: 'GET', url: `/api/v1/incidents/${key}/obligations` });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const find = (o: IncidentObligations, id: string, stage = 'initial'): ObligationClock | undefined =>
    o.clocks.find((c) => c.obligation === id && c.stage === stage);
  const timeline = async () =>
    (await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${key}/timeline?limit=200` })).json().items as {
      text: string;
      data: Record<string, unknown> | null;
    }[];

  it('keeps the firm profile: compliance edits it (audited), every staff member reads it, others may not edit', async () => {
    const body = {
      jurisdictions: ['CN'],
      ciiOperator: false,
      usBrokerDealer: null,
      listedUs: false,
      doraEntity: false,
      clientsTotal: 2_000_000,
      csrcTargetMinutes: null,
    };
    const denied = await t.as(executive, { method: 'PUT', url: '/api/v1/firm-profile', payload: body });
    expect(denied.statusCode).toBe(403);
    const bad = await t.as(compliance, {
      method: 'PUT',
      url: '/api/v1/firm-profile',
      payload: { ...body, jurisdictions: ['CN', 'XX'] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(bad.body).toContain('jurisdictions');
    const put = await t.as(compliance, { method: 'PUT', url: '/api/v1/firm-profile', payload: body });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ ...body, version: 1 });
    const read = await t.as(executive, { method: 'GET', url: '/api/v1/firm-profile' });
    expect(read.json()).toMatchObject({ jurisdictions: ['CN'], ciiOperator: false, version: 1 });
    const audit = await t.as(admin, { method: 'GET', url: '/api/v1/audit?action=firm.update' });
    expect(audit.json().items).toHaveLength(1);
  });

  it('starts the clocks of a declared incident at once, and a re-grading IV -> III starts CAC counted from discovery', async () => {
    const r = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: {
        title: 'Account takeover on the trading app',
        category: 'network_attack',
        grade: 'IV',
        detectedAt: new Date(T0).toISOString(),
        commanderId: commander.userId,
      },
    });
    expect(r.statusCode, r.body).toBe(201);
    key = r.json().key;
    let o = await clocksOf();
    // Grade IV: the CSRC emergency report (any grade, 30 minutes); no CAC report.
    expect(find(o, 'csrc-emergency')).toMatchObject({ due: '2026-05-21T01:30:00.000Z', status: 'running' });
    expect(find(o, 'cac-report')).toBeUndefined();
    expect(find(o, 'csrc-emergency')!.recipient.en).toMatch(/CSRC/);

    clock.t = T0 + HOUR;
    const regrade = await t.as(commander, {
      method: 'PATCH',
      url: `/api/v1/incidents/${key}`,
      payload: { grade: 'III' },
    });
    expect(regrade.statusCode, regrade.body).toBe(200);
    o = await clocksOf();
    const cac = find(o, 'cac-report')!;
    expect(cac).toMatchObject({
      startsAt: new Date(T0).toISOString(),
      due: '2026-05-21T05:00:00.000Z',
      status: 'running',
    });
    expect(cac.why.en).toMatch(/graded III/);
    expect(cac.why['zh-CN']).toMatch(/较大/);
    // The close-out counts from the end of handling, not known yet: no deadline, the missing fact named.
    expect(find(o, 'cac-closeout', 'closeout')).toMatchObject({ due: null });
    expect(find(o, 'cac-closeout', 'closeout')!.why.en).toContain('incident.handling_ended_at');
    // 30 minutes past the CSRC target: shown missed even before the sweep records it.
    expect(find(o, 'csrc-emergency')!.status).toBe('missed');
    const entry = (await timeline()).find(
      (e) => e.data?.event === 'obligations_changed' && e.text.includes('cac-report'),
    );
    expect(entry?.text).toMatch(/started cac-report \(initial\) due 2026-05-21T05:00:00Z/);
  });

  it('re-evaluates when compliance records facts: personal information leaked starts the PIPL notice, on the timeline', async () => {
    const bad = await t.as(compliance, {
      method: 'PATCH',
      url: `/api/v1/incidents/${key}/obligations/facts`,
      payload: { personalInfoRecords: -1 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('personalInfoRecords');
    const denied = await t.as(executive, {
      method: 'PATCH',
      url: `/api/v1/incidents/${key}/obligations/facts`,
      payload: { personalInfoRecords: 1200 },
    });
    expect(denied.statusCode).toBe(403);
    const r = await t.as(compliance, {
      method: 'PATCH',
      url: `/api/v1/incidents/${key}/obligations/facts`,
      payload: {
        personalInfoRecords: 1200,
        sensitiveCustomerInfo: true,
        awareAt: new Date(T0 + 20 * MIN).toISOString(),
      },
    });
    expect(r.statusCode, r.body).toBe(200);
    const o = r.json() as IncidentObligations;
    expect(o.facts).toMatchObject({ personalInfoRecords: 1200, sensitiveCustomerInfo: true });
    expect(find(o, 'pipl-notice', 'notice')).toMatchObject({ due: '2026-05-22T01:00:00.000Z', status: 'running' });
    const entry = (await timeline()).find(
      (e) => e.data?.event === 'obligations_changed' && e.text.includes('pipl-notice'),
    );
    expect(entry?.text).toMatch(/started pipl-notice \(notice\)/);
    const audit = await t.as(admin, { method: 'GET', url: '/api/v1/audit?action=obligation.facts' });
    expect(audit.json().items).toHaveLength(1);
  });

  it('pages the commander at each warning point once, and records a missed deadline', async () => {
    const sweep = () => t.s.obligations.warnings.sweep();
    // At T0 + 1 h the CSRC target (T0 + 30 min) has passed: recorded missed, paged.
    expect(await sweep()).toEqual({ warned: 0, missed: 1 });
    expect(await sweep()).toEqual({ warned: 0, missed: 0 });
    // CAC: 4 hours from T0; 50 % at T0 + 2 h.
    clock.t = T0 + 2 * HOUR + MIN;
    expect(await sweep()).toEqual({ warned: 1, missed: 0 });
    expect(await sweep()).toEqual({ warned: 0, missed: 0 });
    let cac = find(await clocksOf(), 'cac-report')!;
    expect(cac.warnings.map((w) => [w.point, w.paged])).toEqual([['50%', true]]);
    // 80 % at T0 + 3 h 12 min.
    clock.t = T0 + 3 * HOUR + 15 * MIN;
    expect((await sweep()).warned).toBe(1);
    cac = find(await clocksOf(), 'cac-report')!;
    expect(cac.warnings.map((w) => w.point)).toEqual(['50%', '80%']);
    const pages = (await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${key}/pages` })).json().items as {
      reason: string;
    }[];
    const reasons = pages.map((p) => p.reason).filter((r) => r.startsWith('Regulatory deadline'));
    expect(reasons).toHaveLength(3);
    expect(reasons.some((r) => r.includes('50% of the time elapsed') && r.includes('时限已过50%'))).toBe(true);
    const o = await clocksOf();
    expect(find(o, 'csrc-emergency')!.status).toBe('missed');
  });

  it('marks a stage met when its report is submitted (obligation.report_submitted), in the on-time record', async () => {
    const incidentId = (await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${key}` })).json().id as string;
    const publish = (obligation: string, at: number, reportId: string) =>
      t.s.store.transaction((tx) =>
        t.s.outbox.publish(tx, 'obligation.report_submitted', {
          incidentId,
          obligation,
          stage: 'initial',
          submittedAt: at,
          reportId,
        }),
      );
    clock.t = T0 + 3 * HOUR + 30 * MIN;
    await publish('cac-report', clock.t, 'r1');
    await publish('csrc-emergency', clock.t, 'r2');
    await t.s.jobs.runDue(clock.t);
    const o = await clocksOf();
    expect(find(o, 'cac-report')).toMatchObject({ status: 'met', submittedAt: new Date(clock.t).toISOString() });
    expect(find(o, 'csrc-emergency')!.status).toBe('met_late');
    // No warning after it was met.
    clock.t = T0 + 3 * HOUR + 50 * MIN;
    expect((await t.s.obligations.warnings.sweep()).warned).toBe(0);
    const rec = await t.as(executive, { method: 'GET', url: '/api/v1/obligations/record' });
    expect(rec.statusCode, rec.body).toBe(200);
    const items = rec.json().items as { obligation: string; met: number; metLate: number; missed: number }[];
    expect(items.find((i) => i.obligation === 'cac-report')).toMatchObject({ met: 1, metLate: 0, missed: 0 });
    expect(items.find((i) => i.obligation === 'csrc-emergency')).toMatchObject({ met: 0, metLate: 1 });
  });
  it('stops the clocks of an incident found to be a false positive: no deadline is then missed or warned', async () => {
    // Sessions of their own at this point of the test clock (the earlier cases moved it on by hours).
    const [declarer, lead, reader] = [
      await t.login('admin'),
      await t.login('incident_commander'),
      await t.login('executive'),
    ];
    const r = await t.as(declarer, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Login failures (a monitoring glitch)', category: 'network_attack', grade: 'III' },
    });
    expect(r.statusCode, r.body).toBe(201);
    const fpKey = r.json().key as string;
    const fpClocks = async () => {
      const g = await t.as(reader, { method: 'GET', url: `/api/v1/incidents/${fpKey}/obligations` });
      expect(g.statusCode, g.body).toBe(200);
      return g.json() as IncidentObligations;
    };
    expect((await fpClocks()).clocks.filter((c) => c.status === 'running').length).toBeGreaterThan(0);
    const fp = await t.as(lead, {
      method: 'POST',
      url: `/api/v1/incidents/${fpKey}/transitions`,
      payload: { to: 'false_positive', note: 'a monitoring glitch, no attack' },
    });
    expect(fp.statusCode, fp.body).toBe(200);
    const o = await fpClocks();
    expect(o.clocks.length).toBeGreaterThan(0);
    for (const c of o.clocks) {
      expect(c.status, c.obligation).toBe('stopped');
      expect(c.why.en).toMatch(/false positive/);
      expect(c.why['zh-CN']).toMatch(/误报/);
    }
    // Long past every deadline: the sweep records nothing missed for it.
    const before = clock.t;
    clock.t += 48 * HOUR;
    await t.s.obligations.warnings.sweep();
    clock.t = before;
    expect((await fpClocks()).clocks.every((c) => c.status === 'stopped')).toBe(true);
  });
  it('the demo step: customer data exposed and graded III shows the CAC, CSRC and PIPL clocks', async () => {
    if (kind !== 'sqlite') return; // the HTTP path is the same on both stores
    const { token } = await t.s.tokens.create({ id: null, label: 'test' }, admin.userId, {
      name: 'demo',
      scopes: ['read', 'write', 'admin'],
    });
    const baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const r = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Credential stuffing', category: 'network_attack', grade: 'IV' },
    });
    const log: string[] = [];
    await regulatoryClocks({ baseUrl, token, log: (l) => log.push(l) }, r.json().key, 3);
    const text = log.join('\n');
    for (const id of ['cac-report (initial)', 'csrc-emergency (initial)', 'pipl-notice (notice)'])
      expect(text, text).toContain(id);
  });

  it("an incident detection declares from an alert has its clocks from the start (the profile read with intake's first reads)", async () => {
    const at = clock.t;
    const [outcome] = await t.s.alerts.raise([
      {
        ruleId: 'tocsin-brute-force',
        ruleTitle: 'Brute force on the trading login',
        level: 'high',
        tags: [],
        kind: 'detection',
        time: at,
        events: [
          {
            id: `oc-${kind}-1`,
            time: at,
            source: 'api',
            logsource: { product: 'windows', service: 'security' },
            fields: { TargetUserName: 'clock-victim', IpAddress: '198.51.100.77' },
          },
        ],
      },
    ]);
    expect(outcome?.incidentKey).toMatch(/^INC-/);
    key = outcome!.incidentKey!;
    // The firm profile saved above applies: the CSRC emergency report is due 30 minutes after detection.
    expect(find(await clocksOf(), 'csrc-emergency')).toMatchObject({
      due: new Date(at + 30 * MIN).toISOString(),
      status: 'running',
    });
  });
});
