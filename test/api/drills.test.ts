/**
 * Drills (docs/drills.md) over HTTP on each store, on the test clock: a tabletop drill created from a plan
 * with its bundled inject script, started (a drill incident, the plan activated with its actions dry),
 * injects released onto the war-room timeline when their offsets pass (durable jobs) or by the facilitator,
 * answers seen, the score computed from what happened (met, missed, not reached; regulator deadlines from
 * the obligation clocks), ended; the calendar and each plan's coverage flag.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Drill, DrillCalendar, MeasureScore } from '../../src/shared/drill-schemas.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/store.js';

const T0 = Date.parse('2026-05-21T01:00:00Z'); // Thursday 09:00 in Shanghai
const MIN = 60_000;
const SYSTEM = { id: null, label: 'test' };

describe.each(STORE_KINDS)('drills (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let commander: Session;
  let responder: Session;
  let auditor: Session;
  let drill: Drill;
  const clock = {
    t: T0,
    now() {
      return this.t;
    },
  };
  const get = async (id: string, who: Session = auditor): Promise<Drill> => {
    const r = await t.as(who, { method: 'GET', url: `/api/v1/drills/${id}` });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const measure = (d: Drill, m: MeasureScore['measure']) => d.score!.measures.find((x) => x.measure === m)!;

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { clock });
    admin = await t.login('admin');
    commander = await t.login('incident_commander');
    responder = await t.login('responder');
    auditor = await t.login('auditor');
    for (const id of ['account-takeover', 'ransomware']) {
      const { plan, version } = await t.s.plans.importSource(SYSTEM, fs.readFileSync(`plans/${id}.yml`, 'utf8'));
      await t.s.plans.approve(SYSTEM, plan.id, version.version);
      await t.s.plans.activate(SYSTEM, plan.id, version.version);
    }
    const profile = await t.as(admin, {
      method: 'PUT',
      url: '/api/v1/firm-profile',
      payload: {
        jurisdictions: ['CN'],
        ciiOperator: false,
        usBrokerDealer: null,
        listedUs: false,
        doraEntity: false,
        clientsTotal: 2_000_000,
        csrcTargetMinutes: null,
      },
    });
    expect(profile.statusCode, profile.body).toBe(200);
  });
  afterAll(() => t.close());

  it('creates a drill from a plan with its bundled script; a responder may not; an unknown plan is refused', async () => {
    const body = {
      title: 'Q2 account takeover tabletop',
      planId: 'account-takeover',
      useScript: true,
      scheduledAt: new Date(T0 + 30 * MIN).toISOString(),
      participants: [responder.userId],
      grade: 'II',
      category: 'network_attack',
    };
    expect((await t.as(responder, { method: 'POST', url: '/api/v1/drills', payload: body })).statusCode).toBe(403);
    const unknown = await t.as(commander, {
      method: 'POST',
      url: '/api/v1/drills',
      payload: { ...body, planId: 'nope' },
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().code).toBe('plan.not_active');
    const r = await t.as(commander, { method: 'POST', url: '/api/v1/drills', payload: body });
    expect(r.statusCode, r.body).toBe(201);
    drill = r.json();
    expect(drill).toMatchObject({
      status: 'scheduled',
      planId: 'account-takeover',
      facilitator: { id: commander.userId },
      participants: [{ id: responder.userId }],
      score: null,
      actionItemSource: { kind: 'drill', id: drill.id },
    });
    expect(drill.scenario.zh).toContain('泄露的账号密码');
    expect(drill.injects.map((i) => i.offsetMinutes)).toEqual([0, 5, 15, 30, 45]);
    expect(drill.injects[1]!.title.en).toBe('Weibo posts claim client funds were stolen');
    expect(drill.injects.every((i) => i.releasedAt === null)).toBe(true);
  });

  it('starts on a drill incident with the plan activated dry; injects are released at their offsets onto the timeline', async () => {
    clock.t = T0 + 30 * MIN;
    const start = T0 + 30 * MIN;
    const r = await t.as(commander, { method: 'POST', url: `/api/v1/drills/${drill.id}/start` });
    expect(r.statusCode, r.body).toBe(200);
    drill = r.json();
    expect(drill.status).toBe('running');
    const key = drill.incidentKey!;
    const incident = (await t.as(auditor, { method: 'GET', url: `/api/v1/incidents/${key}` })).json();
    expect(incident).toMatchObject({ drill: true, grade: 'II' });
    expect(incident.title).toBe('[演练/DRILL] Q2 account takeover tabletop');
    expect(incident.participants).toEqual([expect.objectContaining({ userId: responder.userId, role: 'observer' })]);
    const plans = (await t.as(auditor, { method: 'GET', url: `/api/v1/incidents/${key}/plans` })).json().items;
    expect(plans.map((p: { planId: string }) => p.planId)).toEqual(['account-takeover']);
    // Starting twice is refused.
    const again = await t.as(commander, { method: 'POST', url: `/api/v1/drills/${drill.id}/start` });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('drill.wrong_status');

    const injectsOnTimeline = async () =>
      (
        (await t.as(auditor, { method: 'GET', url: `/api/v1/incidents/${key}/timeline?limit=200` })).json().items as {
          text: string;
          data: { event?: string; offsetMinutes?: number } | null;
        }[]
      ).filter((e) => e.data?.event === 'drill_inject');
    // The +0 inject is due at once; the +5 one not yet.
    await t.s.jobs.runDue(clock.t);
    expect((await injectsOnTimeline()).map((e) => e.data!.offsetMinutes)).toEqual([0]);
    clock.t = start + 4 * MIN;
    await t.s.jobs.runDue(clock.t);
    expect(await injectsOnTimeline()).toHaveLength(1);
    clock.t = start + 5 * MIN;
    await t.s.jobs.runDue(clock.t);
    const released = await injectsOnTimeline();
    expect(released.map((e) => e.data!.offsetMinutes)).toEqual([0, 5]);
    expect(released[1]!.text).toContain('Weibo posts claim client funds were stolen');
    expect(released[1]!.text).toContain('微博称客户资金被盗');
    drill = await get(drill.id);
    expect(drill.injects[1]).toMatchObject({
      releasedAt: new Date(start + 5 * MIN).toISOString(),
      dueAt: new Date(start + 5 * MIN).toISOString(),
      releasedBy: null,
      answeredAt: null,
    });

    // A person answers the Weibo inject two minutes later; the facilitator releases the +45 inject early.
    clock.t = start + 7 * MIN;
    const note = await t.as(commander, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/timeline`,
      payload: { text: 'Holding statement on its way; screenshots look forged.' },
    });
    expect(note.statusCode, note.body).toBe(201);
    const early = drill.injects.find((i) => i.offsetMinutes === 45)!;
    const byHand = await t.as(commander, {
      method: 'POST',
      url: `/api/v1/drills/${drill.id}/injects/${early.id}/release`,
    });
    expect(byHand.statusCode, byHand.body).toBe(200);
    drill = byHand.json();
    const weibo = drill.injects.find((i) => i.offsetMinutes === 5)!;
    expect(weibo).toMatchObject({ answeredAt: new Date(start + 7 * MIN).toISOString(), answerMinutes: 2 });
    // The +0 inject came out in the millisecond the drill started, after the start's own entries (the
    // participants joining, the plan starting): those are not its answer; the note is.
    expect(drill.injects.find((i) => i.offsetMinutes === 0)).toMatchObject({
      answeredAt: new Date(start + 7 * MIN).toISOString(),
      answerMinutes: 7,
    });
    expect(drill.injects.find((i) => i.id === early.id)).toMatchObject({
      releasedAt: new Date(start + 7 * MIN).toISOString(),
      releasedBy: { id: commander.userId },
    });
    // Its job later finds it released: no second entry.
    clock.t = start + 46 * MIN;
    await t.s.jobs.runDue(clock.t);
    const offsets = (await injectsOnTimeline()).map((e) => e.data!.offsetMinutes!);
    expect(offsets.slice(0, 3)).toEqual([0, 5, 45]);
    expect(offsets.sort((a, b) => a - b)).toEqual([0, 5, 15, 30, 45]);
  });

  it('scores from what happened: met, missed, not reached (never zero), regulator targets from the clocks', async () => {
    const start = Date.parse(drill.startedAt!);
    const key = drill.incidentKey!;
    // Contained 50 minutes in: the plan's last contain task is due at +2h, so it is met.
    clock.t = start + 50 * MIN;
    for (const to of ['acknowledged', 'contained']) {
      const r = await t.as(commander, {
        method: 'POST',
        url: `/api/v1/incidents/${key}/transitions`,
        payload: { to },
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    const d = await get(drill.id);
    const activation = measure(d, 'activation');
    expect(activation).toMatchObject({
      result: 'met',
      minutes: 0,
      target: { source: 'plan', ref: 'confirm-sources', minutes: 10 },
    });
    expect(measure(d, 'containment')).toMatchObject({
      result: 'met',
      minutes: 50,
      target: { source: 'plan', ref: 'confirm-freeze', minutes: 120 },
    });
    // The plan drafted its holding statement on activation (a communication step): reached at once.
    expect(measure(d, 'holding_statement')).toMatchObject({ result: 'met', minutes: 0, target: { minutes: 30 } });
    // No campaign was launched: not reached, no minutes.
    expect(measure(d, 'customer_notice')).toMatchObject({ result: 'not_reached', minutes: null, reachedAt: null });
    const cac = measure(d, 'cac_report');
    expect(cac.target).toMatchObject({ source: 'regulator', ref: 'cac-report' });
    expect(cac).toMatchObject({ result: 'not_reached', minutes: null });

    // The CAC report is drafted after its deadline has passed: missed, with the minutes it took.
    clock.t = start + cac.target!.minutes * MIN + 10 * MIN;
    const report = await t.as(admin, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/reports`,
      payload: { obligation: 'cac-report', stage: 'initial' },
    });
    expect(report.statusCode, report.body).toBe(201);
    const after = await get(drill.id);
    expect(measure(after, 'cac_report')).toMatchObject({ result: 'missed', minutes: cac.target!.minutes + 10 });
    const counted = after.score!.measures.filter((m) => m.target);
    expect(after.score!.targets).toBe(counted.length);
    expect(after.score!.met).toBe(counted.filter((m) => m.result === 'met').length);
    expect(after.score!.score).toBeCloseTo(after.score!.met / after.score!.targets);
  });

  it('keeps the after-action notes sanitized, ends the drill, and shows the calendar and coverage flags', async () => {
    const patch = await t.as(commander, {
      method: 'PATCH',
      url: `/api/v1/drills/${drill.id}`,
      payload: { notes: '## Lessons\n\n- call the CAC earlier <script>alert(1)</script>' },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    expect(patch.json().notesHtml).toContain('<h2>Lessons</h2>');
    expect(patch.json().notesHtml).not.toContain('<script>');
    const end = await t.as(commander, { method: 'POST', url: `/api/v1/drills/${drill.id}/end` });
    expect(end.statusCode, end.body).toBe(200);
    expect(end.json().status).toBe('completed');
    const release = await t.as(commander, {
      method: 'POST',
      url: `/api/v1/drills/${drill.id}/injects/${drill.injects[0]!.id}/release`,
    });
    expect(release.statusCode).toBe(409);
    const cal = await t.as(auditor, { method: 'GET', url: '/api/v1/drills/calendar' });
    expect(cal.statusCode, cal.body).toBe(200);
    const calendar: DrillCalendar = cal.json();
    expect(calendar.months).toEqual([
      {
        month: '2026-05',
        drills: [
          expect.objectContaining({ id: drill.id, participants: [expect.objectContaining({ id: responder.userId })] }),
        ],
      },
    ]);
    const cover = Object.fromEntries(calendar.coverage.map((c) => [c.planId, c]));
    expect(cover['account-takeover']).toMatchObject({ overdue: false, lastDrill: { id: drill.id }, periodMonths: 12 });
    // Never drilled: flagged.
    expect(cover.ransomware).toMatchObject({ overdue: true, lastDrill: null });
    const month = await t.as(auditor, { method: 'GET', url: '/api/v1/drills?month=2026-06' });
    expect(month.json().items).toEqual([]);
  });

  it('takes written injects and a written scenario; cancels; audits every change', async () => {
    const r = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/drills',
      payload: {
        title: 'Market-open DDoS walk-through',
        scenario: { zh: '开盘时行情中断。', en: 'Market data stops at the open.' },
        scheduledAt: new Date(T0 + 86_400_000).toISOString(),
        injects: [
          {
            offsetMinutes: 3,
            title: { zh: '交易所来电', en: 'The exchange calls' },
            text: { zh: '交易所询问行情中断原因。', en: 'The exchange asks why market data stopped.' },
            channel: 'exchange',
          },
        ],
      },
    });
    expect(r.statusCode, r.body).toBe(201);
    const written: Drill = r.json();
    expect(written.planId).toBeNull();
    expect(written.injects).toHaveLength(1);
    const noScript = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/drills',
      payload: { title: 'x', scenario: { zh: 'x', en: 'x' }, useScript: true, scheduledAt: new Date(T0).toISOString() },
    });
    expect(noScript.statusCode).toBe(422);
    const add = await t.as(admin, {
      method: 'POST',
      url: `/api/v1/drills/${written.id}/injects`,
      payload: {
        injects: [
          {
            offsetMinutes: 10,
            title: { zh: '媒体来电', en: 'A reporter calls' },
            text: { zh: '记者询问。', en: 'A reporter asks.' },
            channel: 'media_call',
          },
        ],
      },
    });
    expect(add.json().injects).toHaveLength(2);
    const cancel = await t.as(admin, { method: 'POST', url: `/api/v1/drills/${written.id}/cancel` });
    expect(cancel.json().status).toBe('cancelled');
    const audit = (await t.as(admin, { method: 'GET', url: '/api/v1/audit?targetType=drill&limit=100' })).json();
    const actions = new Set((audit.items as { action: string }[]).map((e) => e.action));
    for (const a of [
      'drill.create',
      'drill.start',
      'drill.inject_release',
      'drill.inject_add',
      'drill.update',
      'drill.end',
      'drill.cancel',
    ])
      expect(actions).toContain(a);
    // A year and a month later the account-takeover drill is out of its period too.
    clock.t = T0 + 400 * 86_400_000;
    const reader = await t.login('executive');
    const later: DrillCalendar = (await t.as(reader, { method: 'GET', url: '/api/v1/drills/calendar' })).json();
    expect(later.coverage.find((c) => c.planId === 'account-takeover')!.overdue).toBe(true);
  });
});
