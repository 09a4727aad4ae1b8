/**
 * The failover scenario (issue 10, "Failover"), shared by the CI test (small) and bench:cluster (large):
 * one web and two worker processes on PostgreSQL + NATS JetStream, the bundled rules; login events
 * stream in at a steady rate, among them `groups` accounts that each fail `FAILURES` logins spread over
 * the run — each such group must raise the failure-burst correlation (>= 10 failures for one account in
 * 10 minutes) exactly once. Part-way through, one worker is killed with SIGKILL. Afterwards:
 *   events_acked      events the web process answered 202 for
 *   events_evaluated  events in stream messages the stage-one consumer has acknowledged (it acknowledges
 *                     a message only after its events were evaluated and their matches handed on)
 *   lost_events       acked - evaluated (must be 0)
 *   alerts_expected / alerts  the burst alerts, one per group
 *   duplicate_alerts  extra alert rows for one (rule, group) plus matches counted twice into one alert
 *   takeover_s        from the kill until the survivor owns every correlation partition (watched from the
 *                     kill on, every 100 ms, while events still stream in)
 *   recovered_s       from the kill until stage one had evaluated every event stored before it (the
 *                     consumer's ack floor reached the stream's last sequence at the kill): the messages
 *                     the dead worker held unacknowledged come back after the stage-one ack wait
 */
import pg from 'pg';
import { parseExposition, sampleValue } from './prometheus.js';
import { clusterToken, sendEvents, until, type Cluster, type ClusterProcess } from './cluster.js';

/** The bundled failure-burst correlation (rules/tocsin/trading_login_failure_burst.yml). */
export const BURST_RULE = 'cc0fbfd9-61e3-4d94-be2b-a99280104ca0';
const FAILURES = 12;

export interface FailoverOptions {
  groups: number;
  /** Background events per second (successful logins of distinct accounts). */
  rate: number;
  durationS: number;
  /** When the worker is killed, in seconds from the start of sending. */
  killAtS: number;
  log?: (msg: string) => void;
}

export interface FailoverResult {
  events_acked: number;
  events_evaluated: number;
  lost_events: number;
  alerts_expected: number;
  alerts: number;
  duplicate_alerts: number;
  takeover_s: number;
  recovered_s: number;
}

const ip = (g: number) => `198.18.${Math.floor(g / 250)}.${(g % 250) + 1}`;

function login(id: string, user: string, src: string, outcome: 'success' | 'failure', at: number) {
  return {
    id,
    '@timestamp': new Date(at).toISOString(),
    logsource: { product: 'tocsin', service: 'trading_login' },
    event: 'login',
    outcome,
    ...(outcome === 'failure' ? { reason: 'wrong_password' } : {}),
    user,
    src_ip: src,
    channel: 'app',
  };
}

/** Reads a worker's /metrics value (first sample of `name` with all `labels`), or null. */
export async function metricValue(
  url: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | null> {
  const res = await fetch(`${url}/metrics`).catch(() => null);
  if (res?.status !== 200) return null;
  return sampleValue(parseExposition(await res.text()), name, labels) ?? null;
}

/** Events in stream messages up to the stage-one consumer's acknowledgement floor, and in all. */
export async function evaluatedEvents(
  cluster: Cluster,
): Promise<{ evaluated: number; stored: number; pending: number }> {
  const n = await cluster.nats();
  const stream = `${cluster.prefix}_events`;
  const info = await n.jsm.consumers.info(stream, 'stage1');
  const floor = info.ack_floor.stream_seq;
  let evaluated = 0;
  let stored = 0;
  const si = await n.jsm.streams.info(stream);
  const last = si.state.last_seq;
  if (last > 0) {
    const c = await n.js.consumers.get(stream, { headers_only: true });
    const iter = await c.consume();
    for await (const m of iter) {
      const count = Number(m.headers?.get('Tocsin-Events') || 0);
      stored += count;
      if (m.seq <= floor) evaluated += count;
      if (m.seq >= last) break;
    }
    await iter.close();
  }
  return { evaluated, stored, pending: info.num_pending + info.num_ack_pending };
}

export async function runFailover(
  cluster: Cluster,
  procs: { web: ClusterProcess; workers: [ClusterProcess, ClusterProcess] },
  o: FailoverOptions,
): Promise<FailoverResult> {
  const log = o.log ?? (() => {});
  const token = await clusterToken(procs.web.url, ['events']);
  const run = Math.random().toString(36).slice(2, 8);
  const start = Date.now();
  // Each group's failures at times spread over the run, so groups straddle the kill.
  const plan: { at: number; event: object }[] = [];
  for (let g = 0; g < o.groups; g++)
    for (let k = 0; k < FAILURES; k++) {
      const at = ((g * 7919 + k * o.durationS * 1000) / FAILURES) % (o.durationS * 1000);
      plan.push({ at: Math.round(at), event: { g, k } });
    }
  plan.sort((a, b) => a.at - b.at);
  let acked = 0;
  let next = 0;
  const survivor = procs.workers[1];
  const partitions = Number(cluster.env.TOCSIN_CORRELATION_PARTITIONS ?? 16);
  /** Takeover, watched from the kill on while events still stream in: seconds until the survivor owns every partition. */
  let takeover: Promise<number> | null = null;
  /** Recovery, watched from the kill on: seconds until every event stored before it was evaluated. */
  let recovered: Promise<number> | null = null;
  const tickMs = 100;
  for (let t = 0, bg = 0; t < o.durationS * 1000; t += tickMs) {
    const now = start + t;
    const batch: object[] = [];
    const bgCount = Math.round((o.rate * tickMs) / 1000);
    for (let i = 0; i < bgCount; i++, bg++)
      batch.push(login(`${run}-bg-${bg}`, `u${run}${bg}`, `198.19.${(bg >> 8) & 255}.${bg & 255}`, 'success', now));
    while (next < plan.length && plan[next]!.at < t + tickMs) {
      const { g, k } = plan[next++]!.event as { g: number; k: number };
      batch.push(login(`${run}-g${g}-${k}`, `victim${run}${g}`, ip(g), 'failure', now));
    }
    acked += await sendEvents(procs.web.url, token, batch);
    if (!takeover && t >= o.killAtS * 1000) {
      log(`killing ${procs.workers[0].name} (SIGKILL) at ${t / 1000} s`);
      await procs.workers[0].kill();
      const at = Date.now();
      const n = await cluster.nats();
      const stream = `${cluster.prefix}_events`;
      const lastSeq = (await n.jsm.streams.info(stream)).state.last_seq;
      recovered = until(
        async () => (await n.jsm.consumers.info(stream, 'stage1')).ack_floor.stream_seq >= lastSeq,
        'stage one to evaluate every event stored before the kill',
        120_000,
        100,
      ).then(() => (Date.now() - at) / 1000);
      recovered.catch(() => {});
      takeover = until(
        async () => (await metricValue(survivor.url, 'tocsin_correlation_partitions_owned')) === partitions,
        'the survivor to own every correlation partition',
        120_000,
        100,
      ).then(() => (Date.now() - at) / 1000);
      // Awaited after the sending; a failure here is reported there, not as an unhandled rejection.
      takeover.catch(() => {});
    }
    const wait = start + t + tickMs - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  log(`sent ${acked} events in ${((Date.now() - start) / 1000).toFixed(1)} s`);
  if (!takeover) throw new Error(`the run ended before the kill at ${o.killAtS} s`);
  const takeoverS = await takeover;
  // Every stored event evaluated, every correlation partition caught up.
  await until(
    async () => {
      const e = await evaluatedEvents(cluster);
      return e.pending === 0 && e.evaluated === e.stored;
    },
    'stage one to evaluate every stored event',
    180_000,
  );
  const recoveredS = await recovered!;
  await until(
    async () => (await metricValue(survivor.url, 'tocsin_correlation_lag_total')) === 0,
    'the correlation partitions to catch up',
    120_000,
  );
  const { evaluated } = await evaluatedEvents(cluster);
  const db = new pg.Client({ connectionString: cluster.pgUrl.replace(/[?&]schema=[^&]+/, '') });
  await db.connect();
  const schema = new URL(cluster.pgUrl).searchParams.get('schema')!;
  // Alerts arrive a moment after the partitions catch up (raised after the feed): wait for them to settle.
  const countAlerts = async () =>
    (
      await db.query<{ rule_id: string; group_json: string | null; rows: string; matches: string }>(
        `SELECT rule_id, group_json, count(*) AS rows, sum(count) AS matches FROM "${schema}".alerts GROUP BY rule_id, group_json`,
      )
    ).rows;
  let rows = await countAlerts();
  await until(
    async () => {
      rows = await countAlerts();
      return rows.filter((r) => r.rule_id === BURST_RULE).length >= o.groups;
    },
    'every group to raise its alert',
    60_000,
  ).catch(() => undefined);
  await db.end();
  const burst = rows.filter((r) => r.rule_id === BURST_RULE);
  const duplicates = burst.reduce((a, r) => a + (Number(r.rows) - 1) + (Number(r.matches) - Number(r.rows)), 0);
  return {
    events_acked: acked,
    events_evaluated: evaluated,
    lost_events: Math.max(0, acked - evaluated),
    alerts_expected: o.groups,
    alerts: burst.length,
    duplicate_alerts: duplicates,
    takeover_s: Number(takeoverS.toFixed(2)),
    recovered_s: Number(recoveredS.toFixed(2)),
  };
}
