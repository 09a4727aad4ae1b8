/**
 * Correlation windows closed by the clock in the live path: heartbeats of a market-data feed arrive
 * through POST /api/v1/events, then stop; the pipeline's tick (the server's 1 s timer, called directly
 * here with a test clock) closes the window of the bundled rule
 * rules/tocsin/market_data_feed_heartbeats_missing.yml and the alert appears in GET /api/v1/alerts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/server/platform/ids.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildToken } from '../helpers/fixtures.js';
import { STORE_KINDS } from '../helpers/store.js';

const RULE_ID = '5471b979-4143-4d17-b50b-53c3ab2fb50c';

describe.each(STORE_KINDS)('correlation windows closed by time (%s)', (kind) => {
  let t: TestApp;
  let now = Date.now();
  const clock: Clock = { now: () => now };
  let token: string;
  let analyst: Session;

  beforeAll(async () => {
    // The bundled rules (TOCSIN_RULES_DIRS unset), 5 s allowed for late events.
    t = await createTestApp(kind, { TOCSIN_CORRELATION_LATENESS_MS: '5000' }, { clock });
    analyst = await t.login('responder');
    const admin = await t.login('admin');
    token = (await buildToken(t.s, admin.userId, { scopes: ['events'] })).token;
  });
  afterAll(() => t.close());

  const heartbeat = (time: number, feed: string) => ({
    time,
    logsource: { product: 'tocsin', service: 'market_data' },
    event: 'heartbeat',
    feed,
    status: 'ok',
    lag_ms: 150,
    session: 'open',
    host: 'quote-sh-01',
  });
  const post = async (events: unknown[]) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify(events),
    });
    expect(res.statusCode, res.body).toBe(202);
  };
  const alerts = async () => {
    await t.s.detection.idle();
    const res = await t.as(analyst, { method: 'GET', url: `/api/v1/alerts?rule=${RULE_ID}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as { ruleId: string; ruleTitle: string }[];
  };

  it('a feed that goes quiet raises an alert once its window has ended, without another event', async () => {
    const start = now;
    // Two heartbeats 30 s apart from one feed, then nothing; another feed keeps beating 4 times a window.
    await post([heartbeat(start, 'sse_l1'), heartbeat(start, 'szse_l1')]);
    now = start + 30_000;
    await post([heartbeat(now, 'sse_l1'), heartbeat(now, 'szse_l1')]);
    for (const s of [60, 90]) {
      now = start + s * 1000;
      await post([heartbeat(now, 'szse_l1')]);
      t.s.detection.tick();
    }
    expect(await alerts()).toEqual([]);
    // 2 min after the first heartbeat the window ends; 5 s later (lateness) the tick closes it.
    now = start + 120_000 + 4_000;
    t.s.detection.tick();
    expect(await alerts()).toEqual([]);
    now = start + 120_000 + 6_000;
    t.s.detection.tick();
    const raised = await alerts();
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ ruleId: RULE_ID, ruleTitle: 'Market Data Feed Heartbeats Missing' });
    const one = await t.as(analyst, {
      method: 'GET',
      url: `/api/v1/alerts/${(raised[0] as unknown as { id: string }).id}`,
    });
    expect(one.json().events.map((e: { fields: { feed: string } }) => e.fields.feed)).toEqual(['sse_l1', 'sse_l1']);
    // szse_l1 beat 4 times in its window, then stopped too: a whole window of silence after that raises
    // its own alert (with the last heartbeat it had), once; sse_l1 is not raised again.
    now += 600_000;
    t.s.detection.tick();
    const after = await alerts();
    expect(after).toHaveLength(2);
    const silent = after.find(
      (a) =>
        a.ruleId === RULE_ID && (a as unknown as { id: string }).id !== (raised[0] as unknown as { id: string }).id,
    )!;
    const detail = (
      await t.as(analyst, { method: 'GET', url: `/api/v1/alerts/${(silent as unknown as { id: string }).id}` })
    ).json();
    expect(detail).toMatchObject({ group: { feed: 'szse_l1' }, eventCount: 1 });
    expect(Date.parse(detail.events[0].time)).toBe(start + 90_000);
    now += 600_000;
    t.s.detection.tick();
    expect(await alerts()).toHaveLength(2);
  });
});
