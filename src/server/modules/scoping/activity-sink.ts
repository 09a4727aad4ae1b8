/**
 * Ingest's sink with the activity index behind it: once a batch is handed over (and stored, at scale),
 * its events that name an account are given to the index, which buffers them and writes them in bulk
 * (a crash loses at most the last 250 ms of index rows, never an event). Wraps the sink of either path
 * (the in-process detection pipeline, or the event stream of the at-scale mode), `admit` included.
 */
import type { DetectionEvent } from '../detection/index.js';
import type { EventSink } from '../ingest/index.js';
import type { ActivityService } from './activity.service.js';

export function indexingSink(sink: EventSink, activity: ActivityService): EventSink {
  const after = async (handed: void | Promise<void>, events: DetectionEvent[]) => {
    await handed;
    await activity.indexEvents(events);
  };
  const indexed = (events: DetectionEvent[]) => after(sink(events), events);
  const admit = sink.admit;
  if (!admit) return indexed;
  return Object.assign(indexed, {
    admit(n: number) {
      const held = admit(n);
      return { sink: (events: DetectionEvent[]) => after(held.sink(events), events), release: () => held.release() };
    },
  });
}
