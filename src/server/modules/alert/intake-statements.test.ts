/**
 * Round trips of alert intake on PostgreSQL: raising one alert is one transaction, and each wait for the
 * server's answer (statements pipelined behind one another share it: platform/db/pipeline.ts) is the
 * floor of the `live` latency at scale (bench:cluster ingest_to_alert). Pinned so it does not creep back.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { PG_URL } from '../../../../test/helpers/store.js';
import type { DetectionEvent, RuleMatch } from '../detection/index.js';

const T0 = Date.UTC(2026, 11, 4, 2, 0, 0);
let n = 0;
const ev = (user: string): DetectionEvent => ({
  id: `st-${++n}`,
  time: T0,
  source: 'api',
  logsource: { product: 'windows', service: 'security' },
  fields: { TargetUserName: user, IpAddress: `203.0.113.${n}` },
});
const match = (user: string): RuleMatch => ({
  ruleId: 'tocsin-brute-force',
  ruleTitle: 'Brute force on the trading login',
  level: 'high',
  tags: ['attack.t1110'],
  kind: 'detection',
  events: [ev(user)],
  time: T0,
});

/**
 * The statements sent to PostgreSQL while `fn` runs (every pool client's `query`), and the round trips:
 * flights of statements sent without an answer coming back between them (a statement sent once some
 * answer came back starts a new flight: the client waited for the server).
 */
async function statementsOf(
  fn: () => Promise<unknown>,
): Promise<{ sent: string[]; roundTrips: number; unnamed: string[] }> {
  const sent: string[] = [];
  /** Statements with parameters sent without a name: the server plans them afresh each time (prepared.ts). */
  const unnamed: string[] = [];
  let roundTrips = 0;
  const answered = new Map<unknown, boolean>();
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const q = args[0];
    const text = typeof q === 'string' ? q : String((q as { text?: string })?.text ?? q);
    if (typeof q === 'string' && Array.isArray(args[1]) && args[1].length > 0) unnamed.push(text);
    if (answered.get(this) ?? true) {
      roundTrips++;
      sent.push(text);
    } else sent.push(`(pipelined) ${text}`);
    answered.set(this, false);
    const done = () => answered.set(this, true);
    const r = original.apply(this, args) as Promise<unknown>;
    r.then(done, done);
    return r;
  };
  try {
    await fn();
  } finally {
    proto.query = original;
  }
  return { sent, roundTrips, unnamed };
}

describe.skipIf(!PG_URL)('alert intake round trips on PostgreSQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('postgres', {}, { clock: { now: () => T0 + 1000 } });
    await t.s.alerts.raise([match('warm-up')]); // first-use lookups (settings, the counters row) out of the way
  });
  afterAll(() => t.close());

  it('declaring an incident from one alert takes 3 round trips, begin and commit included', async () => {
    const before = await t.s.store.db.selectFrom('incidents').select('id').execute();
    const { sent: statements, roundTrips } = await statementsOf(() => t.s.alerts.raise([match('alice')]));
    const after = await t.s.store.db.selectFrom('incidents').select('id').execute();
    expect(after.length).toBe(before.length + 1);
    if (process.env.TOCSIN_PRINT_STATEMENTS)
      console.log(roundTrips, statements.map((s, i) => `${i + 1}: ${s.slice(0, 160)}`).join('\n'));
    // 30 before (three reads of the incident just written, two of its references, the timeline counter,
    // a second audit insert per table, synchronous_commit apart from the chain lock): 21 now. They were
    // 21 round trips; pipelined (pipeline.ts), 6; 3 now: BEGIN, the chain lock and its tail, and every
    // read that depends on nothing (the alerts it may repeat, the matches counted, suppressions,
    // maintenance windows, the incidents its keys point at, the firm's profile a declared incident's
    // obligation clocks read) without waiting for the lock; the incident number; everything written,
    // with COMMIT.
    expect(statements.length).toBeLessThanOrEqual(21);
    expect(roundTrips).toBeLessThanOrEqual(3);
    expect(statements.filter((s) => /pg_advisory_xact_lock/.test(s))).toHaveLength(1);
    expect(statements.filter((s) => /from "audit_log"/.test(s))).toHaveLength(1);
    expect(statements.filter((s) => /insert into "audit_log"/.test(s))).toHaveLength(1);
  });

  it('an alert joining an open incident takes 4 round trips and reads the incident once', async () => {
    const [first] = await t.s.alerts.raise([match('bob')]);
    const other: RuleMatch = { ...match('bob'), ruleId: 'tocsin-password-spray', ruleTitle: 'Password spray' };
    let outcome: Awaited<ReturnType<typeof t.s.alerts.raise>> = [];
    const { sent: statements, roundTrips } = await statementsOf(async () => {
      outcome = await t.s.alerts.raise([other]);
    });
    expect(outcome[0]).toMatchObject({ deduplicated: false, incidentKey: first!.incidentKey });
    if (process.env.TOCSIN_PRINT_STATEMENTS)
      console.log(roundTrips, statements.map((s, i) => `${i + 1}: ${s.slice(0, 160)}`).join('\n'));
    // 23 before: the incident and its participants were read again to name it on the alert. 21 round
    // trips before pipelining, 6, and 4 now: the first reads with BEGIN and the lock; the incident and
    // its participants; its timeline's next number; the rest written, with COMMIT. 22 statements: the
    // firm's profile is read with the first reads whenever the alert's level may declare an incident
    // (a pipelined read of one row, cheaper than the round trip it saves when it does declare).
    expect(statements.length).toBeLessThanOrEqual(22);
    expect(roundTrips).toBeLessThanOrEqual(4);
    expect(
      statements.filter((s) => /^(\(pipelined\) )?select "incidents"\."id", .* from "incidents"/.test(s)),
    ).toHaveLength(1);
  });

  it('every statement of a warm intake is prepared under a name: none is planned again (its `*` reads spelled out)', async () => {
    await t.s.alerts.raise([match('carol')]);
    const other: RuleMatch = { ...match('carol'), ruleId: 'tocsin-password-spray', ruleTitle: 'Password spray' };
    await t.s.alerts.raise([other]);
    // The same two shapes again (declaring, then joining): each statement has been seen before.
    await t.s.alerts.raise([match('dave')]);
    const { unnamed, sent } = await statementsOf(() =>
      t.s.alerts.raise([{ ...match('dave'), ruleId: 'tocsin-password-spray', ruleTitle: 'Password spray' }]),
    );
    expect(sent.length).toBeGreaterThan(10);
    expect(unnamed).toEqual([]);
  });
});
