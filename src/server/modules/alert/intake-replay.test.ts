import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { countRows, STORE_KINDS } from '../../../../test/helpers/store.js';
import type { DetectionEvent, RuleMatch } from '../detection/index.js';

const T0 = Date.UTC(2026, 11, 3, 2, 0, 0);

let n = 0;
const ev = (user: string, id = `ev-${++n}`, time = T0): DetectionEvent => ({
  id,
  time,
  source: 'api',
  logsource: { product: 'windows', service: 'security' },
  fields: { TargetUserName: user, IpAddress: '203.0.113.7' },
});
const match = (events: DetectionEvent[], over: Partial<RuleMatch> = {}): RuleMatch => ({
  ruleId: 'tocsin-brute-force',
  ruleTitle: 'Brute force on the trading login',
  level: 'high',
  tags: ['attack.t1110'],
  kind: 'detection',
  events,
  time: events[0]!.time,
  ...over,
});

describe.each(STORE_KINDS)('a match raised again (a batch delivered twice) counts once (%s)', (kind) => {
  let t: TestApp;
  const now = T0 + 1000;
  const alertRow = async (id: string) =>
    t.s.store.db.selectFrom('alerts').select(['count', 'event_count']).where('id', '=', id).executeTakeFirstOrThrow();

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { clock: { now: () => now } });
  });
  afterAll(() => t.close());

  it('creates no second alert and no second incident for the same rule and events', async () => {
    const m = match([ev('alice')]);
    const [first] = await t.s.alerts.raise([m]);
    const alerts = await countRows(t.s.store, 'alerts');
    const incidents = await countRows(t.s.store, 'incidents');
    const audit = await countRows(t.s.store, 'audit_log');
    // The same match again, as a redelivered batch brings it (a copy: other objects, same content).
    const [again] = await t.s.alerts.raise([structuredClone(m)]);
    expect(again).toMatchObject({ alertId: first!.alertId, deduplicated: true, incidentKey: first!.incidentKey });
    expect(await countRows(t.s.store, 'alerts')).toBe(alerts);
    expect(await countRows(t.s.store, 'incidents')).toBe(incidents);
    expect(await countRows(t.s.store, 'audit_log')).toBe(audit);
    expect(await alertRow(first!.alertId)).toMatchObject({ count: 1, event_count: 1 });
  });

  it('counts a repeat with new events into the alert, but the same repeat delivered again not twice', async () => {
    const [first] = await t.s.alerts.raise([match([ev('bob')])]);
    const repeat = match([ev('bob')]);
    await t.s.alerts.raise([repeat]);
    expect(await alertRow(first!.alertId)).toMatchObject({ count: 2, event_count: 2 });
    const out = await t.s.alerts.raise([structuredClone(repeat), structuredClone(repeat)]);
    expect(out.map((o) => o.alertId)).toEqual([first!.alertId, first!.alertId]);
    expect(out.every((o) => o.deduplicated)).toBe(true);
    expect(await alertRow(first!.alertId)).toMatchObject({ count: 2, event_count: 2 });
  });

  it('counts a match twice in one batch once, and a new alert of a batch delivered twice exists once', async () => {
    const m = match([ev('carol'), ev('carol')]);
    const batch = [m, structuredClone(m), match([ev('dave')])];
    const before = await countRows(t.s.store, 'alerts');
    const out = await t.s.alerts.raise(batch);
    expect(await countRows(t.s.store, 'alerts')).toBe(before + 2);
    expect(out[1]).toMatchObject({ alertId: out[0]!.alertId, deduplicated: true });
    expect(await alertRow(out[0]!.alertId)).toMatchObject({ count: 1, event_count: 2 });
    await t.s.alerts.raise(structuredClone(batch));
    expect(await countRows(t.s.store, 'alerts')).toBe(before + 2);
    expect(await alertRow(out[2]!.alertId)).toMatchObject({ count: 1, event_count: 1 });
  });

  it('still counts matches that carry no events (probes, anomaly detectors) every time', async () => {
    const probe = match([ev('x')], { ruleId: 'probe-trading-login', kind: 'anomaly', events: [] });
    const [a] = await t.s.alerts.raise([probe]);
    const [b] = await t.s.alerts.raise([structuredClone(probe)]);
    expect(b!.alertId).toBe(a!.alertId);
    expect(await alertRow(a!.alertId)).toMatchObject({ count: 2 });
  });
});
