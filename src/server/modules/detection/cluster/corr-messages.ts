/**
 * The correlation feed stream `P_corr` between stage one (stateless rules, any worker) and stage two
 * (correlation state, one owner per partition). Both sides use these helpers, so the message format
 * lives in one place.
 *
 * Subjects: `P.corr.<partition>`, partition = `partitionOf(feed.key, partitions)` (from `@tocsin/sigma`;
 * `partitions` is `config.detection.correlationPartitions`, TOCSIN_CORRELATION_PARTITIONS, default 16;
 * every process of an installation must use the same number).
 *
 * Two kinds of message, told apart by the header `Tocsin-Kind`:
 * - `feeds`: the body is a JSON array of `CorrelationFeed`s of one partition, in the order stage one
 *   evaluated their events (one message per partition per batch: `encodeFeeds`).
 * - `watermark`: the body is `{"maxTime": <epoch ms>}`, the greatest event time of a batch stage one
 *   evaluated (`encodeWatermark`; none for a batch without events, whose maxTime is -Infinity, nor
 *   while the rule set has no correlation). After a batch (at most one round every 250 ms: the batches
 *   in between go with the next round), stage one publishes it to EVERY partition
 *   (`0 … partitions-1`), after that batch's feeds, so each partition's event time moves on as the
 *   single engine's does (windows with an upper bound close even in partitions the batch did not touch).
 * Order: on one subject, a batch's feeds before its watermark (NATS keeps the order of one connection).
 *
 * Deduplication: stage one sets `Nats-Msg-Id` to `corrMsgId(batch, partition, kind)`, where `batch`
 * names the ingested batch for good (e.g. `<P_events stream sequence>`): a batch redelivered to another
 * stage-one worker within the stream's duplicate window (2 min) publishes nothing new, so a
 * correlation count is never doubled by a redelivery.
 */
import { type JetStreamManager, StorageType } from '@nats-io/jetstream';
import { headers, type MsgHdrs } from '@nats-io/transport-node';
import type { CorrelationFeed } from '@tocsin/sigma';
import { decodeCorrBody, feedsBody, type CorrMessage } from './corr-format.js';

export type { CorrelationFeed };

export const KIND_HEADER = 'Tocsin-Kind';
export type { CorrMessage };

export const corrStreamName = (prefix: string): string => `${prefix}_corr`;
export const corrSubject = (prefix: string, partition: number): string => `${prefix}.corr.${partition}`;

/** The message id stage one gives a batch's message to one partition (JetStream drops repeats). */
export const corrMsgId = (batch: string, partition: number, kind: CorrMessage['kind']): string =>
  `corr:${batch}:${partition}:${kind === 'feeds' ? 'f' : 'w'}`;

const encoder = new TextEncoder();

/** The headers of a `kind` message, with its `Nats-Msg-Id` when given. */
export function withKind(kind: CorrMessage['kind'], msgId?: string): MsgHdrs {
  const h = headers();
  h.set(KIND_HEADER, kind);
  if (msgId) h.set('Nats-Msg-Id', msgId);
  return h;
}

/** A message of feeds for one partition: publish `data` with `headers` to `corrSubject(prefix, p)`. */
export function encodeFeeds(feeds: CorrelationFeed[], msgId?: string): { headers: MsgHdrs; data: Uint8Array } {
  return { headers: withKind('feeds', msgId), data: feedsBody(feeds) };
}

/** A watermark message: the greatest event time of the batch just published. */
export function encodeWatermark(maxTime: number, msgId?: string): { headers: MsgHdrs; data: Uint8Array } {
  return { headers: withKind('watermark', msgId), data: encoder.encode(JSON.stringify({ maxTime })) };
}

/** Reads a message of `P_corr`; null for one of another kind or malformed (skipped, never fatal). */
export function decodeCorrMessage(msg: { headers?: MsgHdrs; data: Uint8Array }): CorrMessage | null {
  return decodeCorrBody({ kind: msg.headers?.get(KIND_HEADER), data: msg.data });
}

const NS_PER_MS = 1_000_000;

/**
 * Creates the stream `P_corr` (or brings its retention up to date): subjects `P.corr.*`, file storage,
 * messages kept `retentionMs` (longer than any correlation timespan plus lateness: a new owner rebuilds
 * a partition from what the stream keeps), a 2-minute duplicate window for `Nats-Msg-Id`.
 * Idempotent: stage one and stage two both call it at start.
 */
export async function ensureCorrStream(jsm: JetStreamManager, prefix: string, retentionMs: number): Promise<void> {
  const config = {
    name: corrStreamName(prefix),
    subjects: [`${prefix}.corr.*`],
    max_age: retentionMs * NS_PER_MS,
    duplicate_window: Math.min(120_000, retentionMs) * NS_PER_MS,
  };
  const info = await jsm.streams.info(config.name).catch(() => null);
  if (!info) {
    try {
      await jsm.streams.add({ ...config, storage: StorageType.File });
      return;
    } catch (err) {
      // another process created it in between
      if (!(await jsm.streams.info(config.name).catch(() => null))) throw err;
    }
  } else if (info.config.max_age !== config.max_age) {
    await jsm.streams.update(config.name, { ...info.config, max_age: config.max_age });
  }
}
