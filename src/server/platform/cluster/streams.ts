/**
 * The event stream of detection across processes, created idempotently by whoever uses it:
 * `<prefix>_events` (subjects `<prefix>.events.<partition>`: ingested events, kept for the retention
 * time, duplicates of a message id dropped within two minutes). It records its partition count in its
 * description: a process configured with another count is refused, since the partition of an event must
 * not change while the stream holds events. (The correlation feeds' `<prefix>_corr`: corr-messages.ts
 * of the detection module.)
 */
import { DiscardPolicy, JetStreamApiError, RetentionPolicy, StorageType, type StreamInfo } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { Nats } from './nats.js';

/**
 * The event stream's description names its partition count (a description, not metadata: metadata
 * needs nats-server 2.10, and 2.9 is still common).
 */
const description = (partitions: number) => `Tocsin ingested events; partitions=${partitions}`;
const partitionsOf = (info: StreamInfo): number | undefined => {
  const m = /partitions=(\d+)/.exec(info.config.description ?? '');
  return m ? Number(m[1]) : undefined;
};
/** How long JetStream remembers a message id, so a publish retried within it is stored once. */
const DUPLICATE_WINDOW_MS = 2 * 60_000;

export interface EventStreamOptions {
  partitions: number;
  retentionMs: number;
}

export const eventsStream = (prefix: string) => `${prefix}_events`;
export const eventsSubject = (prefix: string, partition: number | '*') => `${prefix}.events.${partition}`;

async function streamInfo(nats: Nats, name: string): Promise<StreamInfo | null> {
  try {
    return await nats.jsm.streams.info(name);
  } catch (err) {
    if (err instanceof JetStreamApiError && err.status === 404) return null;
    throw err;
  }
}

/**
 * Creates the event stream, or checks the one there: throws a one-line reason when it was made with
 * another partition count. A changed retention is applied to it.
 */
export async function ensureEventStream(nats: Nats, o: EventStreamOptions): Promise<void> {
  const name = eventsStream(nats.prefix);
  const maxAge = nanos(o.retentionMs);
  const info = await streamInfo(nats, name);
  if (info) {
    const stored = partitionsOf(info);
    if (stored !== undefined && stored !== o.partitions)
      throw new Error(
        `the event stream ${name} was made with ${stored} partitions but TOCSIN_EVENT_PARTITIONS is ${o.partitions}; the count is fixed per installation (set it to ${stored})`,
      );
    if (stored === undefined || info.config.max_age !== maxAge)
      await nats.jsm.streams.update(name, { ...info.config, max_age: maxAge, description: description(o.partitions) });
    return;
  }
  await addStream(nats, {
    name,
    subjects: [eventsSubject(nats.prefix, '*')],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: maxAge,
    duplicate_window: nanos(Math.min(DUPLICATE_WINDOW_MS, o.retentionMs)),
    description: description(o.partitions),
  });
  // Two processes starting at once: the other may have made it with another count.
  await ensureEventStream(nats, o);
}

/** Adds a stream; one that another process added meanwhile (same name) is fine. */
async function addStream(nats: Nats, config: Parameters<Nats['jsm']['streams']['add']>[0]): Promise<void> {
  try {
    await nats.jsm.streams.add(config);
  } catch (err) {
    if (!(await streamInfo(nats, config.name!))) throw err;
  }
}
