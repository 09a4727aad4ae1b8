/**
 * Stage one of detection across processes (worker and all processes with TOCSIN_NATS_URL): every worker pulls
 * from one durable consumer `stage1` of the event stream (explicit acks: each message goes to one worker at a
 * time, and comes back to any of them when it is not acknowledged within `ackWaitMs`, 6 s: a worker that dies
 * leaves its messages to the others that soon; while it lives, it tells the server every third of that it is
 * still working on the messages it holds, for at most `maxHoldMs`, so a slow batch is not evaluated twice and
 * a stuck one still goes elsewhere). A batch of messages is evaluated with the current rule engine
 * (`evaluate`: the bytes as they came, parsed, evaluated and the feeds encoded on the process's engine thread,
 * while the batch before is published); its detection matches are raised as alerts (idempotent: a redelivered
 * batch raises nothing twice) and its correlation feeds published to `<prefix>.corr.<partition>`
 * (corr-messages.ts: one message per source message and partition, with a message id that names the source
 * message for good, then — when the rules hold correlations, a round at most every 250 ms — a watermark to
 * every partition); with `index`, the account activity its events name (extracted on the engine thread) is
 * written to the activity index after the watermark — while the next batch is raised (the rows of consecutive
 * batches together, up to INDEX_FLUSH_ROWS or INDEX_FLUSH_MS after the first; at most MAX_SETTLING writes
 * behind, in order); and only then are its messages acked. So the ack floor of the consumer is also how far
 * the activity index has got (`stageOneCaughtUp`).
 *
 * Failures: a batch that could not be raised or published, or that found no engine to evaluate it, is
 * handed back (nak, with a growing delay) and delivered again, however often. A message that cannot be
 * read is terminated at once; one the engine fails on (each message is evaluated on its own) is
 * delivered again up to `maxDeliveries` times, then terminated. Both are counted in `stats.poisoned`
 * and logged by subject and sequence only (no event content).
 *
 * What is published to stage two (feeds and watermark rounds) is stage-one-publish.ts; how far stage one
 * has got (`stageOneCaughtUp`), stage-one-progress.ts.
 */
import { AckPolicy, DeliverPolicy, JetStreamApiError, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { Nats } from '../../../platform/cluster/nats.js';
import { eventsStream } from '../../../platform/cluster/streams.js';
import type { ActivityArrays } from '../../../../shared/activity-fields.js';
import type { RuleMatch } from '../detection.types.js';
import { ensureCorrStream } from './corr-messages.js';
import type { MessagesEvaluation, PartitionFeeds } from './stage-one-eval.js';
import { createStageOnePublisher } from './stage-one-publish.js';

/** The durable consumer every stage-one worker shares. */
export const STAGE_ONE_CONSUMER = 'stage1';

export interface StageOneDeps {
  nats: Nats;
  /**
   * Stage one of a batch of message bodies on the current engine (the pipeline's `evaluateMessages`),
   * given each message's stream sequence (feeds reference their events by it).
   */
  evaluate: (datas: Uint8Array[], partitions: number, activity: boolean, seqs: number[]) => Promise<MessagesEvaluation>;
  raise: (matches: RuleMatch[]) => Promise<unknown>;
  /**
   * Writes a batch's account activity to the index (scoping's `indexArrays`: the rows of each message as
   * array literals built on the engine thread); absent: not indexed here.
   * Called once the batch's matches are raised and feeds published, before its messages are acked; a
   * failure hands the batch back like a failed raise.
   */
  index?: (batches: ActivityArrays[]) => Promise<void>;
  correlationPartitions: number;
  /** How long the correlation-feed stream keeps feeds (ms), should this process create it. */
  correlationRetentionMs: number;
  /** Told about failures (no event content in them). */
  onError: (err: unknown, where: string) => void;
  /** Told after each batch how many messages of the stream no worker has been given yet (for /metrics). */
  onLag?: (pending: number) => void;
  /**
   * A message not acknowledged within this long goes to another worker (default 6,000 ms): how soon the
   * messages a dead worker held are evaluated elsewhere. A live worker's heartbeat (in-progress acks,
   * every third of it) keeps them its own meanwhile.
   */
  ackWaitMs?: number;
  /**
   * How long a live worker keeps a message it has not finished, by its heartbeat (default 30,000 ms):
   * then the heartbeat stops and the message goes to another worker after its ack wait (a batch stuck
   * in a hung raise or store is not held for good).
   */
  maxHoldMs?: number;
  /** Messages delivered and not acknowledged, across all workers, at most (default 1,000). */
  maxAckPending?: number;
  /** Messages evaluated together at most (default 64; each is a slice of up to 1,000 events of one partition). */
  batchMessages?: number;
  /** Deliveries of a message that cannot be evaluated before it is terminated (default 5). */
  maxDeliveries?: number;
  /** Matches per raise call (default 500). */
  raiseBatch?: number;
  /**
   * Watermark rounds (one message to every partition) at most this often, ms (default WATERMARK_EVERY_MS,
   * stage-one-publish.ts);
   * the batches in between raise the next round's event time. 0: a round after every batch.
   */
  watermarkEveryMs?: number;
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
  /** In-progress acks sent: the heartbeat on messages held (see `ackWaitMs`). */
  inProgress: number;
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

/** Writes of index rows (and the acks after them) that may still be under way while the next batch is raised. */
const MAX_SETTLING = 2;
/**
 * Index rows of consecutive batches are written together once this many wait, or INDEX_FLUSH_MS after
 * the first of them: at a steady low rate (small batches) one transaction every 50 ms, not one a batch.
 */
const INDEX_FLUSH_ROWS = 5_000;
const INDEX_FLUSH_MS = 50;
export function createStageOne(deps: StageOneDeps): StageOne {
  const { nats } = deps;
  const stream = eventsStream(nats.prefix);
  const ackWaitMs = deps.ackWaitMs ?? 6_000;
  const maxHoldMs = Math.max(ackWaitMs, deps.maxHoldMs ?? 30_000);
  const batchMessages = deps.batchMessages ?? 64;
  const maxDeliveries = deps.maxDeliveries ?? 5;
  const raiseBatch = deps.raiseBatch ?? 500;
  const partitions = deps.correlationPartitions;
  const stats: StageOneStats = {
    messages: 0,
    events: 0,
    matches: 0,
    feeds: 0,
    poisoned: 0,
    handedBack: 0,
    inProgress: 0,
  };

  let messages: ConsumerMessages | null = null;
  let stopping = false;
  const queue: JsMsg[] = [];
  /** The messages this worker holds (pulled, and not yet acked, handed back or terminated), and since when. */
  const held = new Map<JsMsg, number>();
  let heartbeat: NodeJS.Timeout | null = null;

  /**
   * In-progress acks for the messages held (each resets the message's ack wait on the server), up to
   * `maxHoldMs` after it was pulled less one ack wait: a message held longer comes back to a worker then.
   */
  function beat(): void {
    const now = performance.now();
    for (const [m, since] of held)
      if (now - since < maxHoldMs - ackWaitMs)
        try {
          m.working();
          stats.inProgress++;
        } catch {
          // The connection is gone: the server delivers the message again after its ack wait.
        }
  }
  /** Wakes the processor (a message came, or the iterator ended) or the reader (the queue has room). */
  let wakeProcessor: (() => void) | null = null;
  let wakeReader: (() => void) | null = null;
  let processor: Promise<void> | null = null;
  let reader: Promise<void> | null = null;
  /** Batches raised and published whose rows are being indexed and messages acked, in batch order. */
  const settling: Promise<void>[] = [];
  /** Batches raised and published whose rows wait to be written together (INDEX_FLUSH_ROWS / _MS), in order. */
  let unsettled: {
    /** Each message's rows (array literals), and how many rows in all. */
    activity: ActivityArrays[];
    rows: number;
    batches: { msgs: JsMsg[]; last: JsMsg; events: number; matches: number }[];
  } | null = null;
  let unsettledTimer: NodeJS.Timeout | null = null;
  const publisher = createStageOnePublisher({
    nats,
    partitions,
    watermarkEveryMs: deps.watermarkEveryMs,
    onError: deps.onError,
  });

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
    for (const m of msgs) {
      held.delete(m);
      m.nak(delay ? retryDelay(m) : undefined);
    }
  }

  function poison(m: JsMsg, why: string): void {
    stats.poisoned++;
    held.delete(m);
    // No reason with the term: nats-server before 2.10 ignores a term that carries one.
    m.term();
    deps.onError(
      new Error(
        `stage one terminated message ${m.info.streamSequence} of ${m.subject} after ${m.info.deliveryCount} deliveries: ${why}`,
      ),
      'stage one',
    );
  }

  /** Starts a batch's evaluation (on the engine thread, the bytes as they came). */
  const evaluate = (batch: JsMsg[]): Promise<MessagesEvaluation> =>
    deps.evaluate(
      batch.map((m) => m.data),
      partitions,
      Boolean(deps.index),
      batch.map((m) => m.info.streamSequence),
    );

  /**
   * Raises a batch's matches, publishes its feeds and watermark, then acknowledges it. Messages that
   * could not be read are terminated; those the engine failed on are delivered again (terminated after
   * `maxDeliveries`); when there was no engine to evaluate them, or raising or publishing failed, the
   * whole batch is delivered again.
   */
  async function finish(batch: JsMsg[], evaluation: Promise<MessagesEvaluation>): Promise<void> {
    let result: MessagesEvaluation;
    try {
      result = await evaluation;
    } catch (err) {
      deps.onError(err, 'stage one');
      handBack(batch);
      return;
    }
    const evaluated: { m: JsMsg; feeds: PartitionFeeds[] }[] = [];
    const activity: ActivityArrays[] = [];
    let events = 0;
    batch.forEach((m, i) => {
      const o = result.outcomes[i]!;
      if ('events' in o) {
        evaluated.push({ m, feeds: o.feeds });
        events += o.events;
        if (o.activity) activity.push(o.activity);
      } else if (o.error === 'unreadable') poison(m, o.message);
      else if (m.info.deliveryCount >= maxDeliveries) poison(m, 'its evaluation failed on every delivery');
      else {
        deps.onError(
          new Error(`stage one could not evaluate message ${m.info.streamSequence}: ${o.message}`),
          'stage one',
        );
        handBack([m]);
      }
    });
    if (!evaluated.length) return;
    const raiseAll = async () => {
      for (let i = 0; i < result.matches.length; i += raiseBatch)
        await deps.raise(result.matches.slice(i, i + raiseBatch));
    };
    try {
      const [, feeds] = await Promise.all([raiseAll(), publisher.feeds(evaluated)]);
      stats.feeds += feeds;
      // Without correlation rules no partition holds a window for event time to close: no watermarks
      // (16 publishes a batch, and as many messages for stage two to read, for nothing).
      if (result.correlations)
        await publisher.watermarkAfter(
          result.maxTime,
          `${evaluated[0]!.m.info.streamSequence}-${evaluated[evaluated.length - 1]!.m.info.streamSequence}`,
        );
    } catch (err) {
      deps.onError(err, 'stage one');
      handBack(evaluated.map((e) => e.m));
      return;
    }
    // The index after the raise (a batch handed back because its alerts failed writes no rows twice),
    // then the acks: off the next batch's path, so its alerts need not wait for this batch's rows. The
    // rows of consecutive batches go in one write (INDEX_FLUSH_ROWS, INDEX_FLUSH_MS).
    if (!unsettled) unsettled = { activity: [], rows: 0, batches: [] };
    const u = unsettled;
    for (const a of activity) {
      u.activity.push(a);
      u.rows += a.rows;
    }
    u.batches.push({
      msgs: evaluated.map((e) => e.m),
      last: batch[batch.length - 1]!,
      events,
      matches: result.matches.length,
    });
    if (!deps.index || !u.rows || u.rows >= INDEX_FLUSH_ROWS) void settleUnsettled();
    else unsettledTimer ??= setTimeout(() => void settleUnsettled(), INDEX_FLUSH_MS);
    // Back-pressure: at most MAX_SETTLING writes of rows behind the raises.
    if (settling.length > MAX_SETTLING) await settling[0];
  }

  /** Writes the rows of the batches raised and not yet settled, then acknowledges their messages, in order. */
  function settleUnsettled(): Promise<void> {
    if (unsettledTimer) clearTimeout(unsettledTimer);
    unsettledTimer = null;
    const u = unsettled;
    unsettled = null;
    if (!u) return Promise.resolve();
    const settle = async () => {
      try {
        if (u.rows && deps.index) await deps.index(u.activity);
      } catch (err) {
        deps.onError(err, 'stage one');
        handBack(u.batches.flatMap((b) => b.msgs));
        return;
      }
      for (const b of u.batches) {
        for (const m of b.msgs) {
          held.delete(m);
          m.ack();
        }
        deps.onLag?.(b.last.info.pending);
        stats.messages += b.msgs.length;
        stats.events += b.events;
        stats.matches += b.matches;
      }
    };
    const settled = (settling.at(-1) ?? Promise.resolve()).then(settle);
    settling.push(settled);
    void settled.finally(() => settling.shift());
    return settled;
  }

  async function readLoop(ms: ConsumerMessages): Promise<void> {
    for await (const m of ms) {
      if (stopping) {
        m.nak();
        continue;
      }
      held.set(m, performance.now());
      queue.push(m);
      poke('processor');
      // Back-pressure: pull no further ahead than two batches.
      while (queue.length >= batchMessages * 2 && !stopping) await new Promise<void>((r) => (wakeReader = r));
    }
  }

  /**
   * Batches in order; the next batch is evaluated on the engine thread while the one before it is
   * raised and published (which stays in batch order, so a partition sees a batch's feeds before its
   * watermark and watermarks never go back).
   */
  async function processLoop(): Promise<void> {
    let last: Promise<void> = Promise.resolve();
    while (!stopping) {
      if (!queue.length) {
        await new Promise<void>((r) => (wakeProcessor = r));
        continue;
      }
      const batch = queue.splice(0, batchMessages);
      poke('reader');
      const evaluation = evaluate(batch);
      // Handled in `finish`; not an unhandled rejection while the batch before is still being published.
      evaluation.catch(() => {});
      const before = last;
      last = before.then(() => finish(batch, evaluation)).catch((err: unknown) => deps.onError(err, 'stage one'));
      // At most two batches in hand: this one evaluating, the one before it publishing.
      await before;
    }
    await last;
    void settleUnsettled();
    await Promise.all(settling);
    await publisher.flush();
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
      heartbeat = setInterval(beat, ackWaitMs / 3);
      heartbeat.unref();
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
      // The batch in hand finishes, unless it takes longer than its messages' ack wait: then the
      // heartbeat stops and they go to another worker after one more.
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
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = null;
      held.clear();
    },
    async lag() {
      const info = await nats.jsm.consumers.info(stream, STAGE_ONE_CONSUMER);
      return info.num_pending;
    },
  };
}
