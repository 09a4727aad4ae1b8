/**
 * The sink of the at-scale mode (web and all processes with TOCSIN_NATS_URL): each slice ingest hands
 * over (at most 1,000 events of one request) becomes one message of the event stream, on
 * `<prefix>.events.<partition>`, where the slice's partition is a stable hash of the source and id of
 * its first event. One message a slice, not one per partition its events touch: a slice is stored
 * whole or not at all, and a request costs one publish and one acknowledgement (stage one is one
 * consumer shared by every worker, so partitions spread the stream's subjects, not work). The sink
 * resolves once JetStream has acknowledged the message (so a 202 means the events will be evaluated);
 * the message carries a `Nats-Msg-Id` made from its subject and bytes, so a slice sent again within the
 * stream's duplicate window (the same events with their own ids) is stored once. A slice larger than
 * the server's `max_payload` (1 MiB by default) goes as several messages, each on the partition of its
 * own first event; one event larger than that is refused (413). A failure is a 503 with Retry-After:
 * ingest gives back the ids it claimed.
 */
import { createHash } from 'node:crypto';
import { headers } from '@nats-io/transport-node';
import type { Nats } from '../../../platform/cluster/nats.js';
import { eventsSubject } from '../../../platform/cluster/streams.js';
import { tooLarge, unavailable } from '../../../platform/errors.js';
import type { DetectionEvent } from '../detection.types.js';
import { partitionOf } from '@tocsin/sigma';

/** Seconds a sender is asked to wait when the event stream could not store a batch. */
const RETRY_AFTER_S = 2;

/** The partition of a slice: stable across processes and restarts for the same source and first event id. */
export const slicePartition = (events: readonly DetectionEvent[], partitions: number): number =>
  partitionOf(`${events[0]!.source}\u0000${events[0]!.id}`, partitions);

/** A message id for these bytes on this subject (base64url of SHA-256). */
export const messageId = (subject: string, payload: Uint8Array): string =>
  createHash('sha256').update(subject).update('\n').update(payload).digest('base64url');

/** Bytes of a message left below the server's max_payload for its subject, headers and framing. */
const HEADROOM_BYTES = 4096;

export interface SliceMessage {
  /** The first event of the message (it names the message's partition). */
  first: DetectionEvent;
  count: number;
  body: Buffer;
}

/**
 * The message bodies of a slice: one JSON array when it fits in `limit` bytes, else as few arrays as
 * fit, in order. Throws a 413 problem for an event that alone does not fit.
 */
export function sliceMessages(events: readonly DetectionEvent[], limit: number): SliceMessage[] {
  const whole = Buffer.from(JSON.stringify(events));
  if (whole.length <= limit) return [{ first: events[0]!, count: events.length, body: whole }];
  const out: SliceMessage[] = [];
  let parts: string[] = [];
  let first = events[0]!;
  let size = 2;
  for (const e of events) {
    const json = JSON.stringify(e);
    const bytes = Buffer.byteLength(json) + 1;
    if (bytes + 2 > limit)
      throw tooLarge(
        `an event of ${bytes.toLocaleString('en-US')} bytes does not fit in a message of the event stream (the NATS server's max_payload leaves ${limit.toLocaleString('en-US')}); send smaller events or raise max_payload`,
        'event-too-large',
      );
    if (parts.length && size + bytes > limit) {
      out.push({ first, count: parts.length, body: Buffer.from(`[${parts.join(',')}]`) });
      parts = [];
      size = 2;
    }
    if (!parts.length) first = e;
    parts.push(json);
    size += bytes;
  }
  if (parts.length) out.push({ first, count: parts.length, body: Buffer.from(`[${parts.join(',')}]`) });
  return out;
}

export interface EventStreamSink {
  (events: DetectionEvent[]): Promise<void>;
  /** Messages and events stored so far, and publishes that failed. */
  stats: { messages: number; events: number; failures: number };
}

/** The header naming how many events a message of the event stream holds. */
export const EVENTS_HEADER = 'Tocsin-Events';

export function createEventStreamSink(deps: {
  nats: Nats;
  partitions: number;
  /** How long one publish may wait for its acknowledgement (default 5,000 ms). */
  timeoutMs?: number;
  onError?: (err: unknown) => void;
}): EventStreamSink {
  const { nats, partitions } = deps;
  const timeout = deps.timeoutMs ?? 5000;
  const stats = { messages: 0, events: 0, failures: 0 };

  async function sink(events: DetectionEvent[]): Promise<void> {
    if (!events.length) return;
    const limit = (nats.nc.info?.max_payload ?? 1024 * 1024) - HEADROOM_BYTES;
    const messages = sliceMessages(events, limit);
    try {
      await Promise.all(
        messages.map(({ first, count, body }) => {
          const subject = eventsSubject(nats.prefix, slicePartition([first], partitions));
          // How many events the message holds, readable without the body (operators, bench:cluster's count).
          const h = headers();
          h.set(EVENTS_HEADER, String(count));
          return nats.js.publish(subject, body, { msgID: messageId(subject, body), timeout, headers: h });
        }),
      );
    } catch (err) {
      stats.failures++;
      deps.onError?.(err);
      throw unavailable(
        `the event stream could not store these events (${(err as Error).message}); send them again in ${RETRY_AFTER_S} s`,
        RETRY_AFTER_S,
        'overloaded',
        'Event stream unavailable',
      );
    }
    stats.messages += messages.length;
    stats.events += events.length;
  }
  return Object.assign(sink, { stats });
}
