/** The NATS bus against a real NATS JetStream: ids, replay, and publishing through failures. */
import { randomBytes } from 'node:crypto';
import type { JetStreamClient } from '@nats-io/jetstream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dropNatsPrefix, NATS_URL } from '../../../../test/helpers/nats.js';
import type { BusEvent } from '../bus.js';
import { connectNats, type Nats } from './nats.js';
import { createNatsBus, type NatsBus } from './nats-bus.js';
import { createNatsSignals } from './signals.js';

const note = (n: number): BusEvent => ({
  event: 'timeline.appended',
  incidentKey: `INC-2026-${String(n).padStart(4, '0')}`,
  audience: { restricted: false, memberIds: [] },
});
const keys = (got: { event: BusEvent }[]) => got.map((g) => g.event.incidentKey);

/**
 * Polls until `check` holds (no fixed sleeps). 15 s: a met check returns at once, and on a loaded machine
 * (the suite under a profiler) the retries through a failing publish took longer than 5 s.
 */
async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe.skipIf(!NATS_URL)('NATS bus', () => {
  let nats: Nats;
  let prefix: string;
  const buses: NatsBus[] = [];

  beforeEach(async () => {
    prefix = `t${randomBytes(4).toString('hex')}`;
    nats = await connectNats({ servers: [NATS_URL!], prefix }, 'nats-bus test');
  });
  afterEach(async () => {
    for (const b of buses.splice(0)) await b.close();
    await nats.close();
    await dropNatsPrefix(prefix);
  });

  it('gives every event the stream sequence as its id, the same on two buses, and replays after an id', async () => {
    const one = await createNatsBus(nats);
    const two = await createNatsBus(nats);
    buses.push(one, two);
    const onTwo: { event: BusEvent; id: string }[] = [];
    two.subscribe((event, id) => onTwo.push({ event, id }));
    let onOne = 0;
    one.subscribe(() => onOne++);
    for (let i = 1; i <= 5; i++) one.publish(note(i));
    // Both buses read the stream on their own: the head `one` gives below is what it has seen.
    await until(() => onTwo.length === 5 && onOne === 5, 'five events on both buses');
    expect(keys(onTwo)).toEqual([1, 2, 3, 4, 5].map((n) => note(n).incidentKey));
    const ids = onTwo.map((g) => Number(g.id));
    expect(ids).toEqual([ids[0]!, ids[0]! + 1, ids[0]! + 2, ids[0]! + 3, ids[0]! + 4]);

    // Resuming after the second: the third to fifth from the stream, then live ones, none twice.
    const resumed: { event: BusEvent; id: string }[] = [];
    const sub = one.subscribe((event, id) => resumed.push({ event, id }), { after: onTwo[1]!.id });
    expect(sub.head).toBe(onTwo[4]!.id);
    one.publish(note(6));
    await until(() => resumed.length === 4, 'the missed three and the live one');
    expect(keys(resumed)).toEqual([3, 4, 5, 6].map((n) => note(n).incidentKey));
  });

  it('holds events while publishing fails, sends them in order once it works, each once, and says so once', async () => {
    let failures = 3;
    let landedButFailed = 1; // one that reaches the stream but whose acknowledgement is lost
    const js = nats.js;
    const flaky = Object.create(js) as JetStreamClient;
    flaky.publish = async (...args: Parameters<JetStreamClient['publish']>) => {
      if (failures > 0) {
        failures -= 1;
        throw new Error('connection lost');
      }
      if (landedButFailed > 0) {
        landedButFailed -= 1;
        await js.publish(...args);
        throw new Error('timeout waiting for the acknowledgement');
      }
      return js.publish(...args);
    };
    const notices: string[] = [];
    const bus = await createNatsBus({ ...nats, js: flaky }, { onNotice: (m) => notices.push(m) });
    buses.push(bus);
    const got: { event: BusEvent; id: string }[] = [];
    bus.subscribe((event, id) => got.push({ event, id }));
    bus.publish(note(1));
    bus.publish(note(2));
    await until(() => got.length >= 2 && failures === 0 && landedButFailed === 0, 'both delivered');
    bus.publish(note(3));
    await until(() => got.length >= 3, 'the third delivered');
    expect(keys(got)).toEqual([1, 2, 3].map((n) => note(n).incidentKey));
    expect(notices).toHaveLength(2);
    expect(notices[0]).toMatch(/cannot publish live updates to NATS \(connection lost\)/);
    expect(notices[1]).toMatch(/reach NATS again/);
  });

  it('tells other processes of a signal, not the one that sent it', async () => {
    const here = createNatsSignals(nats);
    const other = await connectNats({ servers: [NATS_URL!], prefix }, 'nats-bus test 2');
    try {
      const there = createNatsSignals(other);
      const heard: string[] = [];
      const stopHere = here.onSignal('rules', () => heard.push('here'));
      const stopThere = there.onSignal('rules', () => heard.push('there'));
      await other.nc.flush();
      here.publishSignal('rules');
      await until(() => heard.includes('there'), 'the other process hears it');
      await nats.nc.flush(); // our own echo, if any, would have arrived by now
      expect(heard).toEqual(['there']);
      stopHere();
      stopThere();
    } finally {
      await other.close();
    }
  });
});
