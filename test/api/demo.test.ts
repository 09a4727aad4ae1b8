/** What `tocsin demo` loads, read back as the console shows it: every incident's timeline in time order. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wire } from '../../src/server/compose.js';
import { loadDemo, settableClock, type DemoResult } from '../../src/server/cli/demo.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';

describe('the demo firm', () => {
  let t: TestApp;
  let admin: Session;
  let demo: DemoResult;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    admin = await t.login('admin');
    const clock = settableClock();
    demo = await loadDemo(wire(t.s.store, t.s.config, { clock, bus: t.s.bus }), clock);
  }, 60_000);
  afterAll(() => t.close());

  it('every timeline reads in time order: entries by sequence have ascending times, none in the future', async () => {
    const commander = 'chen.jie@donghai-sec.example';
    const row = await t.s.store.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', commander)
      .executeTakeFirstOrThrow();
    expect(row.id).toBeTruthy();
    for (const inc of demo.incidents) {
      // The restricted incident is visible to its members; the store holds every entry regardless.
      const entries = await t.s.store.db
        .selectFrom('timeline_entries')
        .innerJoin('incidents', 'incidents.id', 'timeline_entries.incident_id')
        .select(['timeline_entries.seq', 'timeline_entries.at', 'timeline_entries.kind'])
        .where('incidents.key', '=', inc.key)
        .orderBy('timeline_entries.seq')
        .execute();
      expect(entries.length, inc.key).toBeGreaterThan(3);
      const times = entries.map((e) => Number(e.at));
      expect(
        times,
        `${inc.key}: ${entries.map((e) => `${e.seq} ${e.kind} ${new Date(Number(e.at)).toISOString()}`).join(', ')}`,
      ).toEqual([...times].sort((a, b) => a - b));
      expect(Math.max(...times)).toBeLessThanOrEqual(Date.now());
    }
    // Through the API as the console reads it, for an incident the admin may see.
    const open = demo.incidents.find((i) => !i.restricted && i.status === 'closed')!;
    const api = (await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${open.key}/timeline?limit=200` })).json()
      .items as { at: string }[];
    expect(api.map((e) => e.at)).toEqual([...api.map((e) => e.at)].sort());
  });

  it('finished tasks are done and the open incident keeps open ones', async () => {
    const statuses = await t.s.store.db.selectFrom('tasks').select('status').execute();
    expect(statuses.filter((s) => s.status === 'done').length).toBeGreaterThanOrEqual(6);
    expect(statuses.some((s) => s.status !== 'done')).toBe(true);
  });
});
