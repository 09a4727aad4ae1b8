/**
 * Stage one of detection across processes (worker and all processes with TOCSIN_NATS_URL): every
 * worker pulls from one durable consumer `stage1` of the event stream (explicit acks: each message
 * goes to one worker at a time, and comes back to any of them when it is not acknowledged within
 * `ackWaitMs`). A batch of messages is evaluated with the current rule engine (`evaluate`: on the
 * process's engine thread); its detection matches are raised as alerts (idempotent: a redelivered
 * batch raises nothing twice) and its correlation feeds published to `<prefix>.corr.<partition>`
 * (corr-messages.ts: one message per source message and partition, with a message id that names the
 * source message for good, then a watermark to every partition), and only then are its messages acked.
 *
 * Failures: a batch that could not be raised or published is handed back (nak, with a growing delay)
 * and delivered again, however often. A message that cannot be read, or whose evaluation fails on its
 * own (a batch that fails is evaluated again one message at a time), is delivered again up to
 * `maxDeliveries` times, then terminated and counted in `stats.poisoned` (logged by subject and
 * sequence only: no event content).
 */
import { AckPolicy, DeliverPolicy, JetStreamApiError, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { Nats } from '../../../platform/cluster/nats.js';
import { eventsStream } from '../../../platform/cluster/streams.js';
import type { DetectionEvent, RuleMatch, StageOneResult } from '../detection.types.js';
import {
  corrMsgId,
  corrSubject,
  encodeFeeds,
  encodeWatermark,
  ensureCorrStream,
  type CorrelationFeed,
} from './corr-messages.js';
import { partitionOf } from '@tocsin/sigma';

/** The durable consumer every stage-one worker shares. */
export const STAGE_ONE_CONSUMER = 'stage1';

export interface StageOneDeps {
  nats: Nats;
  /** Stage one of a batch on the current engine (the pipeline's `evaluate`). */
  evaluate: (events: DetectionEvent[]) => Promise<StageOneResult>;
  raise: (matches: RuleMatch[]) => Promise<unknown>;
  correlationPartitions: number;
  /** How long the correlation-feed stream keeps feeds (ms), should this process create it. */
  correlationRetentionMs: number;
  /** Told about failures (no event content in them). */
  onError: (err: unknown, where: string) => void;
  /** Told after each batch how many messages of the stream no worker has been given yet (for /metrics). */
  onLag?: (pending: number) => void;
  /** A message not acknowledged within this long goes to another worker (default 30,000 ms). */
  ackWaitMs?: number;
  /** Messages delivered and not acknowledged, across all workers, at most (default 1,000). */
  maxAckPending?: number;
  /** Messages evaluated together at most (default 64; each is a slice of up to 1,000 events of one partition). */
  batchMessages?: number;
  /** Deliveries of a message that cannot be evaluated before it is terminated (default 5). */
  maxDeliveries?: number;
  /** Matches per raise call (default 500). */
  raiseBatch?: number;
}

export interface StageOneStats {
  messages: number;
  events: number;
  matches: number;
  feeds: number;
  /** Messages terminated: unreadable, or their evaluation failed on every delivery. */
  poisoned: number;
  /** Batches handed back to be delivered again (raise or publish failed, or the worker stopped). */
  handedBack: number;
}

export interface StageOne {
  /** Creates the consumer (and the correlation-feed stream) if missing, and starts pulling. */
  start(): Promise<void>;
  /** Stops pulling, finishes and acknowledges the batch in hand, hands back what was pulled and not begun. */
  stop(): Promise<void>;
  /** Messages of the event stream no worker has been given yet (for /metrics). */
  lag(): Promise<number>;
  stats: StageOneStats;
}

/** Why a batch failed: its content (evaluation) or what comes after (the store, NATS). */
class EvaluationError extends Error {}

const decoder = new TextDecoder();

/** The events of a message; null when it is not a JSON array of events. */
function decode(m: JsMsg): DetectionEvent[] | null {
  try {
    const v: unknown = JSON.parse(decoder.decode(m.data));
    if (!Array.isArray(v)) return null;
    for (const e of v) if (!e || typeof e !== 'object' || typeof (e as DetectionEvent).id !== 'string') return null;
    return v as DetectionEvent[];
  } catch {
    return null;
  }
}

export function createStageOne(deps: StageOneDeps): StageOne {
  const { nats } = deps;
  const stream = eventsStream(nats.prefix);
  const ackWaitMs = deps.ackWaitMs ?? 30_000;
  const batchMessages = deps.batchMessages ?? 64;
  const maxDeliveries = deps.maxDeliveries ?? 5;
  const raiseBatch = deps.raiseBatch ?? 500;
  const partitions = deps.correlationPartitions;
  const stats: StageOneStats = { messages: 0, events: 0, matches: 0, feeds: 0, poisoned: 0, handedBack: 0 };

  let messages: ConsumerMessages | null = null;
  let stopping = false;
  const queue: JsMsg[] = [];
  /** Wakes the processor (a message came, or the iterator ended) or the reader (the queue has room). */
  let wakeProcessor: (() => void) | null = null;
  let wakeReader: (() => void) | null = null;
  let processor: Promise<void> | null = null;
  let reader: Promise<void> | null = null;
  /** The greatest event time this process has published as a watermark. */
  let watermark = Number.NEGATIVE_INFINITY;

  const poke = (which: 'processor' | 'reader') => {
    const f = which === 'processor' ? wakeProcessor : wakeReader;
    if (which === 'processor') wakeProcessor = null;
    else wakeReader = null;
    f?.();
  };

  const retryDelay = (m: JsMsg) => Math.min(30_000, 500 * 2 ** Math.max(0, m.info.deliveryCount - 1));

  /** Hands messages back to be delivered again (to any worker). */
  function handBack(msgs: JsMsg[], delay = true): void {
    if (!msgs.length) return;
    stats.handedBack++;
    for (const m of msgs) m.nak(delay ? retryDelay(m) : undefined);
  }

  function poison(m: JsMsg, why: string): void {
    stats.poisoned++;
    // No reason with the term: nats-server before 2.10 ignores a term that carries one.
    m.term();
    deps.onError(
      new Error(
        `stage one terminated message ${m.info.streamSequence} of ${m.subject} after ${m.info.deliveryCount} deliveries: ${why}`,
      ),
      'stage one',
    );
  }

  async function publishFeeds(msgs: JsMsg[], spans: number[], feeds: CorrelationFeed[], events: DetectionEvent[]) {
    if (!feeds.length) return;
    // Which message each event came from: by event, so the same source message always publishes the
    // same feed messages under the same ids, however the redelivered batch is made up.
    const from = new Map<string, number>();
    let k = 0;
    for (let i = 0; i < msgs.length; i++)
      for (; k < spans[i]!; k++) from.set(`${events[k]!.source}\0${events[k]!.id}`, i);
    const groups = new Map<string, { seq: number; partition: number; feeds: CorrelationFeed[] }>();
    for (const f of feeds) {
      const i = from.get(`${f.event.source}\0${f.event.id}`) ?? 0;
      const seq = msgs[i]!.info.streamSequence;
      const partition = partitionOf(f.key, partitions);
      const id = `${seq}:${partition}`;
      const g = groups.get(id);
      if (g) g.feeds.push(f);
      else groups.set(id, { seq, partition, feeds: [f] });
    }
    await Promise.all(
      [...groups.values()].map((g) => {
        const { headers, data } = encodeFeeds(g.feeds, corrMsgId(String(g.seq), g.partition, 'feeds'));
        return nats.js.publish(corrSubject(nats.prefix, g.partition), data, { headers });
      }),
    );
    stats.feeds += feeds.length;
  }

  /** After the feeds: every partition's event time moves on (windows close where no feed came). */
  async function publishWatermark(maxTime: number, batch: string) {
    if (!Number.isFinite(maxTime) || maxTime <= watermark) return;
    await Promise.all(
      Array.from({ length: partitions }, (_, p) => {
        const { headers, data } = encodeWatermark(maxTime, corrMsgId(batch, p, 'watermark'));
        return nats.js.publish(corrSubject(nats.prefix, p), data, { headers });
      }),
    );
    watermark = Math.max(watermark, maxTime);
  }

  /** Evaluates, raises, publishes, acknowledges. Throws EvaluationError when the engine failed. */
  async function run(msgs: JsMsg[], decoded: DetectionEvent[][]): Promise<void> {
    const events: DetectionEvent[] = [];
    const spans: number[] = [];
    for (const list of decoded) {
      for (const e of list) events.push(e);
      spans.push(events.length);
    }
    let result: StageOneResult;
    try {
      result = await deps.evaluate(events);
    } catch (err) {
      throw new EvaluationError((err as Error).message);
    }
    const raiseAll = async () => {
      for (let i = 0; i < result.matches.length; i += raiseBatch)
        await deps.raise(result.matches.slice(i, i + raiseBatch));
    };
    await Promise.all([raiseAll(), publishFeeds(msgs, spans, result.feeds, events)]);
    await publishWatermark(
      result.maxTime,
      `${msgs[0]!.info.streamSequence}-${msgs[msgs.length - 1]!.info.streamSequence}`,
    );
    for (const m of msgs) m.ack();
    deps.onLag?.(msgs[msgs.length - 1]!.info.pending);
    stats.messages += msgs.length;
    stats.events += events.length;
    stats.matches += result.matches.length;
  }

  async function processBatch(batch: JsMsg[]): Promise<void> {
    const msgs: JsMsg[] = [];
    const decoded: DetectionEvent[][] = [];
    for (const m of batch) {
      const events = decode(m);
      if (events) {
        msgs.push(m);
        decoded.push(events);
      } else poison(m, 'not a JSON array of events');
    }
    if (!msgs.length) return;
    try {
      await run(msgs, decoded);
    } catch (err) {
      if (!(err instanceof EvaluationError)) {
        deps.onError(err, 'stage one');
        handBack(msgs);
        return;
      }
      if (msgs.length > 1) {
        // One message may be at fault: evaluate them one at a time.
        for (let i = 0; i < msgs.length; i++) await processBatch([msgs[i]!]);
        return;
      }
      const m = msgs[0]!;
      if (m.info.deliveryCount >= maxDeliveries) poison(m, 'its evaluation failed on every delivery');
      else {
        deps.onError(err, 'stage one');
        handBack([m]);
      }
    }
  }

  async function readLoop(ms: ConsumerMessages): Promise<void> {
    for await (const m of ms) {
      if (stopping) {
        m.nak();
        continue;
      }
      queue.push(m);
      poke('processor');
      // Back-pressure: pull no further ahead than two batches.
      while (queue.length >= batchMessages * 2 && !stopping) await new Promise<void>((r) => (wakeReader = r));
    }
  }

  async function processLoop(): Promise<void> {
    while (!stopping) {
      if (!queue.length) {
        await new Promise<void>((r) => (wakeProcessor = r));
        continue;
      }
      const batch = queue.splice(0, batchMessages);
      poke('reader');
      try {
        await processBatch(batch);
      } catch (err) {
        deps.onError(err, 'stage one');
      }
    }
  }

  async function ensureConsumer(): Promise<void> {
    const config = {
      ack_wait: nanos(ackWaitMs),
      max_ack_pending: deps.maxAckPending ?? 1000,
    };
    try {
      await nats.jsm.consumers.info(stream, STAGE_ONE_CONSUMER);
      await nats.jsm.consumers.update(stream, STAGE_ONE_CONSUMER, config);
    } catch (err) {
      if (!(err instanceof JetStreamApiError && err.status === 404)) throw err;
      await nats.jsm.consumers
        .add(stream, {
          durable_name: STAGE_ONE_CONSUMER,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          ...config,
        })
        // Another worker added it meanwhile: fine.
        .catch(async (e: unknown) => {
          await nats.jsm.consumers.info(stream, STAGE_ONE_CONSUMER).catch(() => Promise.reject(e));
        });
    }
  }

  return {
    stats,
    async start() {
      if (messages) return;
      stopping = false;
      await ensureCorrStream(nats.jsm, nats.prefix, deps.correlationRetentionMs);
      await ensureConsumer();
      const consumer = await nats.js.consumers.get(stream, STAGE_ONE_CONSUMER);
      messages = await consumer.consume({ max_messages: batchMessages });
      reader = readLoop(messages).catch((err: unknown) => deps.onError(err, 'stage one'));
      processor = processLoop();
    },
    async stop() {
      if (!messages) return;
      stopping = true;
      const ms = messages;
      messages = null;
      poke('processor');
      poke('reader');
      await ms.close();
      // The batch in hand finishes, unless it takes longer than its messages' ack wait: they are
      // another worker's by then anyway.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all([processor, reader]),
        new Promise<void>((r) => {
          timer = setTimeout(r, ackWaitMs);
        }),
      ]);
      clearTimeout(timer);
      // Pulled and not begun: to another worker at once.
      handBack(queue.splice(0), false);
    },
    async lag() {
      const info = await nats.jsm.consumers.info(stream, STAGE_ONE_CONSUMER);
      return info.num_pending;
    },
  };
}
