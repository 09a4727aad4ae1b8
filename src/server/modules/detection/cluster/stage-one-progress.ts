/**
 * How far stage one (stage-one.ts) has got through the event stream, read from NATS: for any process,
 * a web process too (it asks the consumer, not a local stage one).
 */
import { JetStreamApiError } from '@nats-io/jetstream';
import type { Nats } from '../../../platform/cluster/nats.js';
import { eventsStream } from '../../../platform/cluster/streams.js';
import { STAGE_ONE_CONSUMER } from './stage-one.js';

/** Whether stage one has finished every message of the event stream stored before a call began. */
export type StageOneProgress =
  | { caughtUp: true }
  /** `upTo`: when the last message it finished in order was stored (null: none yet). */
  | { caughtUp: false; upTo: number | null };

/**
 * Waits, at most `timeoutMs`, until the stage-one consumer's ack floor reaches the last message the
 * event stream held when called: every event accepted before then (by any web process) has been
 * through stage one — raised, published and, with its `index`, in the activity index. Polls the
 * consumer every `pollMs` (default 20). For a web process too: it asks NATS, not a local stage one.
 */
export async function stageOneCaughtUp(
  nats: Nats,
  o: { timeoutMs: number; pollMs?: number },
): Promise<StageOneProgress> {
  const stream = eventsStream(nats.prefix);
  const target = (await nats.jsm.streams.info(stream)).state.last_seq;
  if (target === 0) return { caughtUp: true };
  const deadline = Date.now() + o.timeoutMs;
  let floor = 0;
  for (;;) {
    try {
      floor = (await nats.jsm.consumers.info(stream, STAGE_ONE_CONSUMER)).ack_floor.stream_seq;
    } catch (err) {
      // No worker has made the consumer yet: nothing is through stage one.
      if (!(err instanceof JetStreamApiError && err.status === 404)) throw err;
    }
    if (floor >= target) return { caughtUp: true };
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, o.pollMs ?? 20));
  }
  const upTo =
    floor > 0
      ? await nats.jsm.streams
          .getMessage(stream, { seq: floor })
          .then((m) => m?.time.getTime() ?? null)
          .catch(() => null)
      : null;
  return { caughtUp: false, upTo };
}
