/** Stage two's sample events read back from the event stream before a correlation's alert is raised. */
import { describe, expect, it } from 'vitest';
import type { Nats } from '../../../platform/cluster/nats.js';
import type { DetectionEvent, RuleMatch } from '../detection.types.js';
import { resolveSampleEvents } from './sample-events.js';

const full = (id: string, time: number): DetectionEvent => ({
  id,
  time,
  source: 'trading_login',
  logsource: { product: 'tocsin' },
  fields: { user: id.toUpperCase(), device: `dev-${id}`, user_agent: 'okhttp/4.9.3' },
});
const stub = (e: DetectionEvent, seq: number, index: number) => ({
  id: e.id,
  time: e.time,
  source: e.source,
  logsource: e.logsource,
  fields: { user: e.fields.user },
  ref: { seq, index },
});

/** The event stream as `getMessage` answers: message 7 holds two events; message 8 is gone. */
function streamOf(messages: Record<number, DetectionEvent[]>) {
  const asked: number[] = [];
  const nats = {
    prefix: 'p',
    jsm: {
      streams: {
        async getMessage(stream: string, q: { seq: number }) {
          expect(stream).toBe('p_events');
          asked.push(q.seq);
          const events = messages[q.seq];
          if (!events) throw new Error('no message found');
          return { data: new TextEncoder().encode(JSON.stringify(events)) };
        },
      },
    },
  } as unknown as Nats;
  return { nats, asked };
}

const match = (events: DetectionEvent[]): RuleMatch => ({
  ruleId: 'c',
  ruleTitle: 'c',
  level: 'high',
  tags: [],
  kind: 'correlation',
  time: 1,
  events,
});

describe('sample events of stage two', () => {
  it('reads each referenced message once and puts the whole events back; a gone one stays a stub without its place', async () => {
    const [a, b, c] = [full('a', 1), full('b', 2), full('c', 3)];
    const { nats, asked } = streamOf({ 7: [a, b] });
    const [m1, m2] = await resolveSampleEvents(nats, [
      match([stub(a, 7, 0), stub(b, 7, 1)]),
      match([stub(b, 7, 1), stub(c, 8, 0), full('d', 4)]),
    ]);
    expect(asked.sort()).toEqual([7, 8]);
    expect(m1!.events).toEqual([a, b]);
    expect(m2!.events).toEqual([
      b,
      { id: 'c', time: 3, source: 'trading_login', logsource: { product: 'tocsin' }, fields: { user: 'C' } },
      full('d', 4),
    ]);
  });

  it('keeps the stub when the place holds another event, and asks nothing when no event is a reference', async () => {
    const { nats, asked } = streamOf({ 7: [full('x', 9)] });
    const [m] = await resolveSampleEvents(nats, [match([stub(full('a', 1), 7, 0)])]);
    expect(m!.events[0]).not.toHaveProperty('ref');
    expect(m!.events[0]!.fields).toEqual({ user: 'A' });
    const plain = [match([full('a', 1)])];
    expect(await resolveSampleEvents(nats, plain)).toBe(plain);
    expect(asked).toEqual([7]);
  });
});
