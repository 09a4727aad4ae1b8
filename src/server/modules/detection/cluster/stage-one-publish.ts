/**
 * What stage one publishes to stage two (stage-one.ts): each evaluated message's correlation feeds, one
 * message per (source message, partition) to `<prefix>.corr.<partition>`, and — when the rules hold
 * correlations — watermark rounds (one message to every partition) that move each partition's event time
 * on, at most one round every `everyMs`.
 */
import type { JsMsg } from '@nats-io/jetstream';
import type { Nats } from '../../../platform/cluster/nats.js';
import { corrMsgId, corrSubject, encodeWatermark, withKind } from './corr-messages.js';
import type { PartitionFeeds } from './stage-one-eval.js';

/**
 * A watermark round costs a publish per partition (16 by default) and as many messages for stage two;
 * at 10,000 events/s a batch is 1-3 messages, so a round per batch was some 800 publishes a second per
 * worker. At most one round per this many ms: a partition no feed reaches learns the event time up to
 * this much later (windows that only time closes close that much later; a feed moves its own
 * partition's time on at once, so no count changes for events in order). The wall-clock tick still
 * closes windows when no event comes at all.
 */
export const WATERMARK_EVERY_MS = 250;

export function createStageOnePublisher(deps: {
  nats: Nats;
  partitions: number;
  /** Watermark rounds at most this often, ms (default WATERMARK_EVERY_MS); 0: a round after every batch. */
  watermarkEveryMs?: number;
  onError: (err: unknown, where: string) => void;
}) {
  const { nats, partitions } = deps;
  const everyMs = deps.watermarkEveryMs ?? WATERMARK_EVERY_MS;
  /** The greatest event time this process has published as a watermark. */
  let watermark = Number.NEGATIVE_INFINITY;
  /** When the last round went out (performance.now()); the greatest event time since, waiting for the next. */
  let sentAt = Number.NEGATIVE_INFINITY;
  let held: { maxTime: number; batch: string } | null = null;
  let timer: NodeJS.Timeout | null = null;

  /**
   * Each message's feeds, one message per (source message, partition) with an id that names the source
   * message for good: a redelivered message publishes the same, which JetStream drops as repeats.
   * Resolves to the number of feeds published.
   */
  async function feeds(evaluated: { m: JsMsg; feeds: PartitionFeeds[] }[]): Promise<number> {
    const sends: Promise<unknown>[] = [];
    let count = 0;
    for (const { m, feeds } of evaluated)
      for (const f of feeds) {
        const id = corrMsgId(String(m.info.streamSequence), f.partition, 'feeds');
        sends.push(nats.js.publish(corrSubject(nats.prefix, f.partition), f.data, { headers: withKind('feeds', id) }));
        count += f.count;
      }
    await Promise.all(sends);
    return count;
  }

  async function send(maxTime: number, batch: string) {
    sentAt = performance.now();
    if (held && held.maxTime <= maxTime) held = null;
    await Promise.all(
      Array.from({ length: partitions }, (_, p) => {
        const { headers, data } = encodeWatermark(maxTime, corrMsgId(batch, p, 'watermark'));
        return nats.js.publish(corrSubject(nats.prefix, p), data, { headers });
      }),
    );
    watermark = Math.max(watermark, maxTime);
  }

  /**
   * After a batch's feeds: every partition's event time moves on (windows close where no feed came) — at
   * once when the last round is `everyMs` old, else with the next round (a timer), which carries the
   * greatest event time of the batches in between. Either way after those batches' feeds.
   */
  async function watermarkAfter(maxTime: number, batch: string): Promise<void> {
    if (!Number.isFinite(maxTime) || maxTime <= watermark) return;
    const since = performance.now() - sentAt;
    if (since >= everyMs) return send(maxTime, batch);
    if (!held || maxTime > held.maxTime) held = { maxTime, batch };
    timer ??= setTimeout(() => void flush(), everyMs - since);
  }

  /** The held round, if any (its batches are acknowledged: a failure is reported and the round kept for the next). */
  async function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    const round = held;
    if (!round || round.maxTime <= watermark) return;
    try {
      await send(round.maxTime, round.batch);
    } catch (err) {
      held ??= round;
      deps.onError(err, 'stage one watermark');
    }
  }

  return { feeds, watermarkAfter, flush };
}
