/**
 * Stage two's matches before they are raised: the sample events a correlation kept are references
 * (corr-format.ts `EventStub`: where the event is in the event stream, and the fields the correlation
 * read), read back here from `P_events`, one stream message per source message however many of its
 * events are wanted. A reference whose message the stream no longer holds (past
 * TOCSIN_EVENTS_RETENTION_HOURS), or that does not name the same event, stays a stub without its `ref`:
 * the alert keeps the event's id, time, source and the fields the correlation read.
 */
import type { Nats } from '../../../platform/cluster/nats.js';
import { eventsStream } from '../../../platform/cluster/streams.js';
import type { DetectionEvent, RuleMatch } from '../detection.types.js';
import { isEventStub } from './corr-format.js';

const decoder = new TextDecoder();

/** The matches with their referenced sample events read from the event stream (the matches themselves when none is a reference). */
export async function resolveSampleEvents(nats: Nats, matches: RuleMatch[]): Promise<RuleMatch[]> {
  const wanted = new Set<number>();
  for (const m of matches) for (const e of m.events) if (isEventStub(e)) wanted.add(e.ref.seq);
  if (!wanted.size) return matches;
  const stream = eventsStream(nats.prefix);
  const messages = new Map<number, unknown[]>();
  await Promise.all(
    [...wanted].map(async (seq) => {
      try {
        const sm = await nats.jsm.streams.getMessage(stream, { seq });
        const events: unknown = sm ? JSON.parse(decoder.decode(sm.data)) : null;
        if (Array.isArray(events)) messages.set(seq, events);
      } catch {
        // Gone (or unreadable): the stubs stay.
      }
    }),
  );
  const resolve = (e: DetectionEvent): DetectionEvent => {
    if (!isEventStub(e)) return e;
    const found = messages.get(e.ref.seq)?.[e.ref.index] as DetectionEvent | undefined;
    if (found && typeof found === 'object' && found.id === e.id && found.time === e.time) return found;
    const { ref: _gone, ...stub } = e;
    return stub;
  };
  return matches.map((m) => ({ ...m, events: m.events.map(resolve) }));
}
