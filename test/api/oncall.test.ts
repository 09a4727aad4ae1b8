/** The on-call API: schedules with overrides, who is on call, shifts, iCalendar and its session-less feed, policies. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildUser } from '../helpers/fixtures.js';
import { STORE_KINDS } from '../helpers/store.js';

const NOW = Date.parse('2026-12-03T04:00:00Z'); // Thursday 12:00 in Shanghai

describe.each(STORE_KINDS)('on-call API (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let reader: Session;
  beforeAll(async () => {
    t = await createTestApp(kind, { TOCSIN_PUBLIC_URL: 'https://tocsin.example.com' }, { clock: { now: () => NOW } });
    admin = await t.login('incident_commander');
    reader = await t.login('executive');
  });
  afterAll(() => t?.close());

  const call = (s: Session | null, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    t.as(s, { method, url, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

  it('creates a schedule, says who is on call, lists shifts, exports iCalendar and serves its feed', async () => {
    const a = await buildUser(t.s, { name: '张伟' });
    const b = await buildUser(t.s, { name: 'Li Na' });
    const created = await call(admin, 'POST', '/api/v1/oncall/schedules', {
      name: '交易系统值班',
      layers: [{ rotation: 'daily', participants: [a.id, b.id], handoffTime: '09:00', startDate: '2026-12-01' }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const schedule = created.json();
    expect(schedule).toMatchObject({ timeZone: 'Asia/Shanghai', overrides: [], feedUrl: null });
    // 2026-12-01 09:00 a, 12-02 b, 12-03 a.
    expect((await call(reader, 'GET', `/api/v1/oncall/schedules/${schedule.id}/now`)).json()).toMatchObject({
      person: a.id,
      personName: '张伟',
    });
    const shifts = await call(
      reader,
      'GET',
      `/api/v1/oncall/schedules/${schedule.id}/shifts?from=2026-12-03T00:00:00Z&to=2026-12-05T00:00:00Z`,
    );
    expect(shifts.json().items.map((s: { personName: string; start: string }) => [s.personName, s.start])).toEqual([
      ['Li Na', '2026-12-03T00:00:00.000Z'], // 12-02's turn until the 09:00 hand-off in Shanghai
      ['张伟', '2026-12-03T01:00:00.000Z'],
      ['Li Na', '2026-12-04T01:00:00.000Z'],
    ]);
    expect(
      (
        await call(
          reader,
          'GET',
          `/api/v1/oncall/schedules/${schedule.id}/shifts?from=2026-12-03T00:00:00Z&to=2027-03-01T00:00:00Z`,
        )
      ).statusCode,
    ).toBe(422);

    const ics = await call(
      reader,
      'GET',
      `/api/v1/oncall/schedules/${schedule.id}/calendar.ics?person=${b.id}&language=en`,
    );
    expect(ics.statusCode).toBe(200);
    expect(ics.headers['content-type']).toContain('text/calendar');
    expect(ics.body).toContain('BEGIN:VCALENDAR\r\n');
    expect(ics.body).toContain('SUMMARY:On call: Li Na');
    expect(ics.body).not.toContain('张伟');

    expect((await call(reader, 'POST', `/api/v1/oncall/schedules/${schedule.id}/feed-token`)).statusCode).toBe(403);
    const withFeed = (await call(admin, 'POST', `/api/v1/oncall/schedules/${schedule.id}/feed-token`)).json();
    expect(withFeed.feedUrl).toMatch(/^https:\/\/tocsin\.example\.com\/api\/v1\/oncall\/feeds\/[A-Za-z0-9_-]{32}$/);
    const feedPath = new URL(withFeed.feedUrl).pathname;
    const feed = await t.app.inject({ method: 'GET', url: feedPath }); // no session
    expect(feed.statusCode).toBe(200);
    expect(feed.body).toContain('SUMMARY:值班：张伟');
    await call(admin, 'POST', `/api/v1/oncall/schedules/${schedule.id}/feed-token`);
    expect((await t.app.inject({ method: 'GET', url: feedPath })).statusCode).toBe(404); // the old URL stops working
  });

  it('overrides win and can be removed; every change is audited', async () => {
    const a = await buildUser(t.s);
    const c = await buildUser(t.s, { name: 'Stand-in' });
    const schedule = (
      await call(admin, 'POST', '/api/v1/oncall/schedules', {
        name: 'Overrides',
        layers: [
          {
            rotation: 'weekly',
            participants: [a.id],
            handoffTime: '09:00',
            handoffWeekday: 1,
            startDate: '2026-11-30',
          },
        ],
      })
    ).json();
    const o = await call(admin, 'POST', `/api/v1/oncall/schedules/${schedule.id}/overrides`, {
      person: c.id,
      from: '2026-12-03T00:00:00Z',
      to: '2026-12-03T08:00:00Z',
    });
    expect(o.statusCode, o.body).toBe(201);
    expect((await call(reader, 'GET', `/api/v1/oncall/schedules/${schedule.id}/now`)).json().person).toBe(c.id);
    const removed = await call(admin, 'DELETE', `/api/v1/oncall/schedules/${schedule.id}/overrides/0`);
    expect(removed.json().overrides).toEqual([]);
    expect((await call(reader, 'GET', `/api/v1/oncall/schedules/${schedule.id}/now`)).json().person).toBe(a.id);
    const actions = (await t.s.audit.list({}, 100)).items.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['oncall.schedule_create', 'oncall.override_add', 'oncall.override_remove']),
    );
  });

  it('refuses bad input with the field at fault', async () => {
    const a = await buildUser(t.s);
    const bad = await call(admin, 'POST', '/api/v1/oncall/schedules', {
      name: 'Bad',
      timeZone: 'Mars/Olympus',
      layers: [{ rotation: 'daily', participants: [a.id, 'nobody'], handoffTime: '25:00', startDate: '2026-12-01' }],
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['body.timeZone', 'body.layers.0.handoffTime', 'body.layers.0.participants.1']),
    );
    const policy = await call(admin, 'POST', '/api/v1/oncall/policies', {
      name: 'P',
      levels: [{ targets: [{ kind: 'schedule', scheduleId: 'missing' }], waitMinutes: 5 }],
    });
    expect(policy.statusCode).toBe(422);
    expect(policy.json().errors[0].path).toBe('body.levels.0.targets.0');
    expect(
      (await call(admin, 'POST', '/api/v1/oncall/schedules', { name: 'x', layers: [], extra: 1 })).statusCode,
    ).toBe(400);
  });

  it('policies: create, read, replace, delete; a schedule a policy uses cannot be deleted', async () => {
    const a = await buildUser(t.s);
    const schedule = (
      await call(admin, 'POST', '/api/v1/oncall/schedules', {
        name: 'Used',
        layers: [{ rotation: 'daily', participants: [a.id], handoffTime: '09:00', startDate: '2026-12-01' }],
      })
    ).json();
    const created = await call(admin, 'POST', '/api/v1/oncall/policies', {
      name: '交易中断',
      levels: [
        { targets: [{ kind: 'schedule', scheduleId: schedule.id }], waitMinutes: 5 },
        { targets: [{ kind: 'person', personId: a.id }], waitMinutes: 15 },
      ],
      repeat: 1,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    expect(
      (await call(reader, 'GET', '/api/v1/oncall/policies')).json().items.map((p: { id: string }) => p.id),
    ).toContain(id);
    expect((await call(reader, 'PUT', `/api/v1/oncall/policies/${id}`, { name: 'x', levels: [] })).statusCode).toBe(
      403,
    );
    expect((await call(admin, 'DELETE', `/api/v1/oncall/schedules/${schedule.id}`)).statusCode).toBe(409);
    const replaced = await call(admin, 'PUT', `/api/v1/oncall/policies/${id}`, {
      name: '交易中断',
      levels: [{ targets: [{ kind: 'person', personId: a.id }], waitMinutes: 10 }],
    });
    expect(replaced.json()).toMatchObject({ repeat: 0, levels: [{ waitMinutes: 10 }] });
    expect((await call(admin, 'DELETE', `/api/v1/oncall/schedules/${schedule.id}`)).statusCode).toBe(204);
    expect((await call(admin, 'DELETE', `/api/v1/oncall/policies/${id}`)).statusCode).toBe(204);
    expect((await call(reader, 'GET', `/api/v1/oncall/policies/${id}`)).statusCode).toBe(404);
  });
});
