/**
 * The sink of the at-scale mode (web and all processes with TOCSIN_NATS_URL): ingest's slices go to
 * the event stream, one message per partition per slice, on `<prefix>.events.<partition>`, where an
 * event's partition is a stable hash of its source and id. The sink resolves once JetStream has
 * acknowledged every message (so a 202 means the events will be evaluated); each message carries a
 * `Nats-Msg-Id` made from its subject and bytes, so a publish retried within the stream's duplicate
 * window is stored once. A failure is a 503 with Retry-After: ingest gives back the ids it claimed.
 */
import { createHash } from 'node:crypto';
import { headers } from '@nats-io/transport-node';
import type { Nats } from '../../../platform/cluster/nats.js';
import { eventsSubject } from '../../../platform/cluster/streams.js';
import { unavailable } from '../../../platform/errors.js';
import type { DetectionEvent } from '../detection.types.js';
import { partitionOf } from '@tocsin/sigma';

/** Seconds a sender is asked to wait when the event stream could not store a batch. */
const RETRY_AFTER_S = 2;

/** The partition of an event: stable across processes and restarts for the same source and id. */
export const eventPartition = (e: DetectionEvent, partitions: number): number =>
  partitionOf(`${e.source}\u0000${e.id}`, partitions);

/** A message id for these bytes on this subject (base64url of SHA-256). */
export const messageId = (subject: string, payload: Uint8Array): string =>
  createHash('sha256').update(subject).update('\n').update(payload).digest('base64url');

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
    const byPartition = new Map<number, DetectionEvent[]>();
    for (const e of events) {
      const p = eventPartition(e, partitions);
      const list = byPartition.get(p);
      if (list) list.push(e);
      else byPartition.set(p, [e]);
    }
    try {
      await Promise.all(
        [...byPartition].map(([p, list]) => {
          const subject = eventsSubject(nats.prefix, p);
          const payload = Buffer.from(JSON.stringify(list));
          // How many events the message holds, readable without the body (operators, bench:cluster's count).
          const h = headers();
          h.set(EVENTS_HEADER, String(list.length));
          return nats.js.publish(subject, payload, { msgID: messageId(subject, payload), timeout, headers: h });
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
    stats.messages += byPartition.size;
    stats.events += events.length;
  }
  return Object.assign(sink, { stats });
}
