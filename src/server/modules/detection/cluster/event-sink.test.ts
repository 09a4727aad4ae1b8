/** The event stream's messages of one ingest slice: one when it fits, else split in order under the limit. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors.js';
import type { DetectionEvent } from '../detection.types.js';
import { sliceMessages, slicePartition } from './event-sink.js';

const ev = (id: string, note = ''): DetectionEvent => ({ id, time: 0, source: 'api', logsource: {}, fields: { note } });
const events = Array.from({ length: 50 }, (_, i) => ev(`e${i}`, 'x'.repeat(100)));
const parse = (b: Buffer) => JSON.parse(b.toString('utf8')) as DetectionEvent[];

describe('sliceMessages', () => {
  it('a slice that fits is one message holding every event', () => {
    const out = sliceMessages(events, 1024 * 1024);
    expect(out).toHaveLength(1);
    expect(out[0]!.count).toBe(50);
    expect(parse(out[0]!.body).map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  it('a slice larger than the limit goes as several messages under it, in order, none lost', () => {
    const limit = 1500;
    const out = sliceMessages(events, limit);
    expect(out.length).toBeGreaterThan(1);
    for (const m of out) {
      expect(m.body.length).toBeLessThanOrEqual(limit);
      expect(parse(m.body)).toHaveLength(m.count);
      expect(m.first.id).toBe(parse(m.body)[0]!.id);
    }
    expect(out.flatMap((m) => parse(m.body).map((e) => e.id))).toEqual(events.map((e) => e.id));
  });

  it('an event that alone exceeds the limit is refused with a 413 naming the limit', () => {
    let err: unknown;
    try {
      sliceMessages([ev('a'), ev('big', 'y'.repeat(5000))], 2000);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(413);
    expect((err as AppError).message).toMatch(
      /does not fit in a message of the event stream .*max_payload leaves 2,000/,
    );
  });

  it("a slice's partition is stable for the same first event", () => {
    expect(slicePartition(events, 16)).toBe(slicePartition([events[0]!], 16));
    expect(slicePartition(events, 16)).toBeGreaterThanOrEqual(0);
    expect(slicePartition(events, 16)).toBeLessThan(16);
  });
});
