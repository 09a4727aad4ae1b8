/**
 * The bodies of `P_corr` messages (see corr-messages.ts for the stream, subjects and headers). Kept
 * apart from the NATS client so the engine thread, which encodes stage one's feeds, loads no NATS code.
 */
import type { CorrelationFeed, DetectionEvent } from '@tocsin/sigma';

const encoder = new TextEncoder();

/** Where a feed's event is in the event stream: its message's stream sequence and its index in that message. */
export interface EventRef {
  seq: number;
  index: number;
}

/**
 * A feed's event as stage one sends it: not the whole event but where it is (`ref`), with its id, time,
 * source and log source and, as its fields, the values the correlation read. Stage two keeps it as a
 * sample; when a correlation fires, its samples are read back from the event stream
 * (`resolveSampleEvents`), and one no longer there stays as it is.
 */
export type EventStub = DetectionEvent & { ref: EventRef };

export const isEventStub = (e: DetectionEvent): e is EventStub => {
  const ref = (e as Partial<EventStub>).ref;
  return typeof ref === 'object' && ref !== null && Number.isInteger(ref.seq) && Number.isInteger(ref.index);
};

/**
 * The feeds of the events of one event-stream message (stream sequence `seq`) with each event replaced
 * by its stub: a feed then carries a few fields instead of the whole event (an event feeds one or more
 * correlations, and the events themselves are in the event stream already).
 */
export function referencingFeeds(
  feeds: readonly CorrelationFeed[],
  events: readonly DetectionEvent[],
  seq: number,
): CorrelationFeed[] {
  if (!feeds.length) return [];
  const at = new Map<DetectionEvent, number>();
  for (const [i, e] of events.entries()) at.set(e, i);
  const stubs = new Map<DetectionEvent, EventStub>();
  return feeds.map((f) => {
    const index = at.get(f.event);
    if (index === undefined) return f; // not one of the message's event objects: sent whole
    let stub = stubs.get(f.event);
    if (!stub) {
      const e = f.event;
      stub = {
        id: e.id,
        time: e.time,
        source: e.source,
        logsource: e.logsource,
        fields: { ...f.values },
        ref: { seq, index },
      };
      stubs.set(f.event, stub);
    } else Object.assign(stub.fields, f.values);
    return { ...f, event: stub };
  });
}

/** The body of a `feeds` message: the feeds of one partition as a JSON array, in evaluation order. */
export const feedsBody = (feeds: CorrelationFeed[]): Uint8Array => encoder.encode(JSON.stringify(feeds));

/** A `P_corr` message as stage two applies it: its kind (header `Tocsin-Kind`) and body. */
export interface CorrBody {
  kind: string | undefined;
  data: Uint8Array;
}

/** A `P_corr` message read: a partition's feeds, or a watermark (the event time stage one reached). */
export type CorrMessage = { kind: 'feeds'; feeds: CorrelationFeed[] } | { kind: 'watermark'; maxTime: number };

const decoder = new TextDecoder();

/** Reads a message of `P_corr`; null for one of another kind or malformed (skipped, never fatal). */
export function decodeCorrBody({ kind, data }: CorrBody): CorrMessage | null {
  try {
    const body: unknown = JSON.parse(decoder.decode(data));
    if (kind === 'feeds' && Array.isArray(body)) return { kind, feeds: body as CorrelationFeed[] };
    if (kind === 'watermark' && body && typeof body === 'object') {
      const maxTime = (body as { maxTime?: unknown }).maxTime;
      if (typeof maxTime === 'number' && Number.isFinite(maxTime)) return { kind, maxTime };
    }
  } catch {
    // malformed: skipped
  }
  return null;
}

/** What applying bodies needs of a correlator (`@tocsin/sigma`'s, muted or not). */
interface FeedsAndTime<M> {
  feed(feeds: CorrelationFeed[]): M[];
  advance(eventTime: number): M[];
}

/**
 * Applies message bodies to a correlator in order: feeds fed, watermarks advance its event time; a
 * body of another kind or malformed is skipped. The matches of each body, in order, and the errors
 * the correlator threw (that body's matches are then none; the next ones are applied).
 */
export function applyCorrBodies<M>(
  c: FeedsAndTime<M>,
  bodies: readonly CorrBody[],
): { matches: M[][]; errors: string[] } {
  const errors: string[] = [];
  const matches = bodies.map((b) => {
    const msg = decodeCorrBody(b);
    if (!msg) return [];
    try {
      return msg.kind === 'feeds' ? c.feed(msg.feeds) : c.advance(msg.maxTime);
    } catch (err) {
      errors.push((err as Error).message);
      return [];
    }
  });
  return { matches, errors };
}
