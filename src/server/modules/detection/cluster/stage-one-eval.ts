/**
 * Stage one on an engine: `evaluateWith` for a batch of events, `evaluateMessages` for a batch of
 * event-stream messages as they arrived (bytes). The latter runs where the engine runs (the engine
 * thread, or the event loop without one), so the worker's event loop neither parses the events nor
 * clones them to the thread nor encodes the feeds: it moves bytes between NATS and the engine.
 */
import { partitionOf } from '@tocsin/sigma';
import {
  ACTIVITY_COLUMNS,
  type ActivityArrays,
  type ActivityColumn,
  eventActivity,
} from '../../../../shared/activity-fields.js';
import { arrayLiteral } from '../../../platform/db/pg-array.js';
import { ipKey } from '../../../platform/ip-key.js';
import type { DetectionEngine, DetectionEvent, RuleMatch, StageOneResult } from '../detection.types.js';
import { feedsBody, referencingFeeds } from './corr-format.js';

/**
 * Stage one with `engine.evaluate`; an engine without it (a test's, a detector that keeps no
 * correlation state) gives everything `process` returns as matches, and no feeds.
 */
export function evaluateWith(engine: DetectionEngine, events: DetectionEvent[]): StageOneResult {
  if (engine.evaluate) return engine.evaluate(events);
  let maxTime = Number.NEGATIVE_INFINITY;
  for (const e of events) if (e.time > maxTime) maxTime = e.time;
  return { matches: engine.process(events), feeds: [], maxTime };
}

/** The feeds of one message for one correlation partition, encoded as a `feeds` message body. */
export interface PartitionFeeds {
  partition: number;
  /** feedsBody(...) of the partition's feeds, in evaluation order. */
  data: Uint8Array;
  count: number;
}

/** What stage one made of one message: its events' count and feeds, or why it could not be evaluated. */
export type MessageOutcome =
  | {
      events: number;
      feeds: PartitionFeeds[];
      /** The account activity its events name (asked for with `activity`: the index is fed at scale from here). */
      activity?: ActivityArrays;
    }
  /** `unreadable`: not a JSON array of events (never will be); `failed`: the engine threw on it. */
  | { error: 'unreadable' | 'failed'; message: string };

/**
 * Stage one of a batch of messages: one outcome per message (in order), the matches of all, the latest
 * event time, and whether the engine has correlations (without, no partition needs a watermark).
 */
export interface MessagesEvaluation {
  outcomes: MessageOutcome[];
  matches: RuleMatch[];
  maxTime: number;
  correlations: boolean;
}

/** Whether `engine` has correlation rules (an engine that does not say is taken to have some). */
const hasCorrelations = (engine: DetectionEngine): boolean => (engine.report?.correlations ?? 1) > 0;

const decoder = new TextDecoder();

/** The events of a message body; null when it is not a JSON array of events. */
function decodeEvents(data: Uint8Array): DetectionEvent[] | null {
  try {
    const v: unknown = JSON.parse(decoder.decode(data));
    if (!Array.isArray(v)) return null;
    for (const e of v) if (!e || typeof e !== 'object' || typeof (e as DetectionEvent).id !== 'string') return null;
    return v as DetectionEvent[];
  } catch {
    return null;
  }
}

/**
 * Evaluates message bodies (each a JSON array of DetectionEvents), each on its own, so one that cannot
 * be read or evaluated spoils no other. Feeds are grouped per message and `partitionOf(key, partitions)`,
 * so a message always publishes the same feed messages, however a redelivered batch is made up. With
 * `seqs` (each message's stream sequence), a feed's event is a reference to it (`referencingFeeds`).
 */
export function evaluateMessages(
  engine: DetectionEngine,
  datas: readonly Uint8Array[],
  partitions: number,
  activity = false,
  seqs?: readonly number[],
): MessagesEvaluation {
  const outcomes: MessageOutcome[] = [];
  const matches: RuleMatch[] = [];
  let maxTime = Number.NEGATIVE_INFINITY;
  for (const [i, data] of datas.entries()) {
    const events = decodeEvents(data);
    if (!events) {
      outcomes.push({ error: 'unreadable', message: 'not a JSON array of events' });
      continue;
    }
    let result: StageOneResult;
    try {
      result = evaluateWith(engine, events);
    } catch (err) {
      outcomes.push({ error: 'failed', message: (err as Error).message });
      continue;
    }
    for (const m of result.matches) matches.push(m);
    if (result.maxTime > maxTime) maxTime = result.maxTime;
    const byPartition = new Map<number, StageOneResult['feeds']>();
    const seq = seqs?.[i];
    for (const f of seq === undefined ? result.feeds : referencingFeeds(result.feeds, events, seq)) {
      const p = partitionOf(f.key, partitions);
      const list = byPartition.get(p);
      if (list) list.push(f);
      else byPartition.set(p, [f]);
    }
    const outcome: MessageOutcome = {
      events: events.length,
      feeds: [...byPartition].map(([partition, feeds]) => ({ partition, data: feedsBody(feeds), count: feeds.length })),
    };
    const rows = activity ? activityOf(events) : undefined;
    if (rows) outcome.activity = rows;
    outcomes.push(outcome);
  }
  return { outcomes, matches, maxTime, correlations: hasCorrelations(engine) };
}

/**
 * The index rows of the events that name an account, with their address keys, as one array literal
 * per column (the event loop that writes them does nothing per row); undefined when none does.
 */
export function activityOf(events: DetectionEvent[]): ActivityArrays | undefined {
  const cols = Object.fromEntries(ACTIVITY_COLUMNS.map((c) => [c, [] as unknown[]])) as Record<
    ActivityColumn,
    unknown[]
  >;
  let rows = 0;
  for (const e of events) {
    const a = eventActivity(e);
    if (!a) continue;
    rows++;
    const row = { ...a, ip_key: a.ip ? ipKey(a.ip) : null };
    for (const c of ACTIVITY_COLUMNS) cols[c].push(row[c]);
  }
  if (!rows) return undefined;
  const columns = Object.fromEntries(ACTIVITY_COLUMNS.map((c) => [c, arrayLiteral(cols[c])])) as Record<
    ActivityColumn,
    string
  >;
  return { rows, columns };
}

/** Copies message bodies into one buffer (to transfer to the engine thread), with their end offsets. */
export function packMessages(datas: readonly Uint8Array[]): { buf: Uint8Array; ends: number[] } {
  let total = 0;
  for (const d of datas) total += d.byteLength;
  const buf = new Uint8Array(total);
  const ends: number[] = [];
  let at = 0;
  for (const d of datas) {
    buf.set(d, at);
    at += d.byteLength;
    ends.push(at);
  }
  return { buf, ends };
}

/** The message bodies packMessages put in `buf` (views, not copies). */
export function unpackMessages(buf: Uint8Array, ends: readonly number[]): Uint8Array[] {
  let start = 0;
  return ends.map((end) => {
    const d = buf.subarray(start, end);
    start = end;
    return d;
  });
}
