/**
 * The at-scale bus: console events go through the JetStream stream `<P>_live` (subject `<P>.live`, 15
 * minutes or 100,000 events kept), so a console connected to any web process hears a change made
 * through any other. Each process reads the stream with one ordered consumer from where it stood when
 * it started, and hands events to its local subscribers (the SSE streams). An event's id is its stream
 * sequence, the same on every process: a console that reconnects elsewhere with `Last-Event-ID` gets
 * the events after it from the stream (an ordered consumer from that sequence + 1), then live ones.
 */
import { randomUUID } from 'node:crypto';
import {
  DeliverPolicy,
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type ConsumerMessages,
  type JsMsg,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { Bus, BusEvent, BusSubscription, SubscribeOptions } from '../bus.js';
import type { Nats } from './nats.js';

export interface NatsBusOptions {
  /** Told once when publishing starts failing (NATS away) and once when it works again, or drops. */
  onNotice?: (message: string) => void;
  /** A replay from the stream that takes longer ends in a resync (default 5 s). */
  replayTimeoutMs?: number;
  /** Events waiting for NATS at most; older ones are dropped beyond it, with a notice (default 100,000). */
  maxQueued?: number;
}

export type NatsBus = Bus & { close(): Promise<void> };

const KEEP_MS = 15 * 60_000;
const KEEP_EVENTS = 100_000;
const PUBLISH_BATCH = 256;

/** Creates (or brings up to date) the stream `<P>_live`; idempotent. */
async function ensureLiveStream(nats: Nats, name: string, subject: string): Promise<void> {
  const config: Partial<StreamConfig> & { name: string } = {
    name,
    subjects: [subject],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    num_replicas: 1,
    max_age: nanos(KEEP_MS),
    max_msgs: KEEP_EVENTS,
    discard: DiscardPolicy.Old,
    duplicate_window: nanos(2 * 60_000),
  };
  try {
    await nats.jsm.streams.add(config);
  } catch {
    await nats.jsm.streams.update(name, config); // made before with other limits
  }
}

interface Sub {
  handler: (event: BusEvent, id: string) => void;
  /** The last sequence handed to the handler (or that the subscriber is known to hold). */
  sent: number;
  /** Live events held while a replay runs. */
  buffer: { event: BusEvent; seq: number }[] | null;
  closed: boolean;
  onResync?: (head: string) => void;
}

export async function createNatsBus(nats: Nats, opts: NatsBusOptions = {}): Promise<NatsBus> {
  const name = `${nats.prefix}_live`;
  const subject = `${nats.prefix}.live`;
  const notice = opts.onNotice ?? ((m: string) => process.stderr.write(`tocsin: ${m}\n`));
  const replayTimeoutMs = opts.replayTimeoutMs ?? 5000;
  const maxQueued = opts.maxQueued ?? 100_000;
  await ensureLiveStream(nats, name, subject);

  const subs = new Set<Sub>();
  let lastSeen = (await nats.jsm.streams.info(name)).state.last_seq;

  function give(sub: Sub, event: BusEvent, seq: number): void {
    if (sub.closed || seq <= sub.sent) return;
    sub.sent = seq;
    try {
      sub.handler(event, String(seq));
    } catch (err) {
      // One subscriber's failure is its own: the others still get the event.
      notice(`a live update subscriber failed: ${(err as Error).message}`);
    }
  }

  // The fan-out: every event of the stream from now on, in order, to the local subscribers.
  const fanOut: ConsumerMessages = await (
    await nats.js.consumers.get(name, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: lastSeen + 1,
    })
  ).consume({
    callback: (m: JsMsg) => {
      if (m.seq <= lastSeen) return;
      if (m.seq > lastSeen + 1) {
        notice(`live updates ${lastSeen + 1}..${m.seq - 1} were gone before this process read them`);
        // Its consoles missed them too: they refetch, and go on from here.
        for (const sub of subs)
          if (!sub.buffer && !sub.closed) {
            sub.sent = Math.max(sub.sent, m.seq - 1);
            sub.onResync?.(String(m.seq - 1));
          }
      }
      lastSeen = m.seq;
      let event: BusEvent;
      try {
        event = m.json<BusEvent>();
      } catch {
        return; // not ours
      }
      for (const sub of subs) {
        if (sub.buffer) sub.buffer.push({ event, seq: m.seq });
        else give(sub, event, m.seq);
      }
    },
  });

  /** Hands `sub` the stored events from..to (inclusive); false when some are gone or it took too long. */
  async function readRange(sub: Sub, from: number, to: number): Promise<boolean> {
    const consumer = await nats.js.consumers.get(name, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: from,
    });
    const msgs = await consumer.consume({ max_messages: Math.min(1000, to - from + 1) });
    let next = from;
    const timer = setTimeout(() => void msgs.close(), replayTimeoutMs);
    try {
      for await (const m of msgs) {
        if (sub.closed || m.seq !== next) break; // a gap: the oldest were dropped meanwhile
        next = m.seq + 1;
        give(sub, m.json<BusEvent>(), m.seq);
        if (m.seq >= to) break;
      }
    } finally {
      clearTimeout(timer);
      await msgs.close();
    }
    return next > to;
  }

  /** Replays to `sub` the events after `after` up to `head`, then flushes what arrived meanwhile. */
  async function replay(sub: Sub, after: number | null, head: number) {
    let ok = false;
    if (after !== null) {
      try {
        const { first_seq, last_seq } = (await nats.jsm.streams.info(name)).state;
        // Past the end: an id of another stream (reset since); before the start: no longer kept.
        if (after <= last_seq && after + 1 >= first_seq) {
          sub.sent = after;
          ok = after >= head || (await readRange(sub, after + 1, head));
        }
      } catch {
        ok = false;
      }
    }
    if (sub.closed) return;
    if (!ok) {
      sub.sent = Math.max(sub.sent, head);
      sub.onResync?.(String(sub.sent));
    }
    const held = sub.buffer ?? [];
    sub.buffer = null;
    for (const b of held) give(sub, b.event, b.seq);
  }

  // Publishing: fire and forget for the caller, in order, retried while NATS is away (the message id
  // lets JetStream drop a retry of one that did arrive).
  const queue: { data: string; msgID: string }[] = [];
  let pumping: Promise<void> | null = null;
  let failing = false;
  let dropped = 0;
  let stopping = false;

  async function pump(): Promise<void> {
    let backoff = 100;
    while (queue.length) {
      if (queue.length > maxQueued) {
        const n = queue.length - maxQueued;
        queue.splice(0, n);
        if (!dropped) notice('NATS has been away too long: dropping the oldest live updates (consoles miss them)');
        dropped += n;
      }
      // While NATS is away, one at a time: a retried event never lands after one published after it
      // (in a batch, the one that failed could; that is only possible as NATS goes away).
      const batch = queue.slice(0, failing ? 1 : PUBLISH_BATCH);
      const results = await Promise.allSettled(
        batch.map((b) => nats.js.publish(subject, b.data, { msgID: b.msgID, timeout: 5000 })),
      );
      const failed = batch.filter((_, i) => results[i]!.status === 'rejected');
      queue.splice(0, batch.length, ...failed);
      if (failed.length) {
        if (!failing) {
          failing = true;
          const why = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as Error;
          notice(`cannot publish live updates to NATS (${why.message}); holding them and retrying`);
        }
        if (stopping) return;
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 5000);
      } else if (failing) {
        failing = false;
        backoff = 100;
        notice(`live updates reach NATS again${dropped ? ` (${dropped} were dropped meanwhile)` : ''}`);
        dropped = 0;
      }
    }
  }

  function kick(): void {
    if (pumping || stopping) return;
    pumping = pump().finally(() => {
      pumping = null;
      if (queue.length) kick(); // published while the last round ended
    });
  }

  return {
    publish(event) {
      queue.push({ data: JSON.stringify(event), msgID: randomUUID() });
      kick();
    },

    subscribe(handler, o: SubscribeOptions = {}): BusSubscription {
      const head = lastSeen;
      const sub: Sub = { handler, sent: head, buffer: null, closed: false, onResync: o.onResync };
      subs.add(sub);
      if (o.after !== undefined) {
        sub.buffer = [];
        const after = /^\d{1,15}$/.test(o.after) ? Number(o.after) : null;
        void replay(sub, after, head);
      }
      return {
        head: String(head),
        close: () => {
          sub.closed = true;
          subs.delete(sub);
        },
      };
    },

    async close() {
      // What callers published is sent first (a few seconds at most when NATS is away).
      const drained = pumping ?? Promise.resolve();
      await Promise.race([drained, new Promise((r) => setTimeout(r, 5000).unref())]);
      stopping = true;
      await fanOut.close();
      subs.clear();
    },
  };
}
