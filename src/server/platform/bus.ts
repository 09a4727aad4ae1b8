/**
 * The event bus port: what consoles hear after a commit. Embedded mode: in-process, with a bounded ring
 * of recent events so a console that reconnects gets what it missed (SSE `Last-Event-ID`). The at-scale
 * mode's bus is `cluster/nats-bus.ts` (JetStream). Events are published after their transaction commits.
 */
import { randomBytes } from 'node:crypto';
import type { Permission } from '../../shared/permissions.js';
import type { StreamEvent } from '../../shared/stream-schemas.js';
import { systemClock, type Clock } from './ids.js';

/** Who may receive an event: everyone with incident.read, or for a restricted incident its members and admins. */
export interface Audience {
  restricted: boolean;
  memberIds: string[];
  /** A permission the receiver needs besides incident.read (alert events: alert.read). */
  permission?: Permission;
}

export type BusEvent = StreamEvent & { audience: Audience };

export interface SubscribeOptions {
  /**
   * Deliver first the events after this id (in order), then live ones: no gap, no duplicate. When the
   * events after it are no longer kept (or the id is not this bus's), `onResync` is called instead.
   */
  after?: string;
  /**
   * Events the subscriber should have had cannot be given (those after `after` are no longer kept, or,
   * at scale, live ones were lost): it must refetch everything, and goes on after the id passed.
   */
  onResync?: (head: string) => void;
}

export interface BusSubscription {
  /** The id of the last event published before this subscription: every later one reaches it. */
  head: string;
  close(): void;
}

export interface Bus {
  /** Fire and forget (after the commit); every event gets an id that grows with each event. */
  publish(event: BusEvent): void;
  subscribe(handler: (event: BusEvent, id: string) => void, opts?: SubscribeOptions): BusSubscription;
}

/** Ids that may be echoed into the stream: short, and nothing that could break an SSE line. */
export const SAFE_EVENT_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface LocalBusOptions {
  clock?: Clock;
  /** Events kept for replay (default 10,000) ... */
  keep?: number;
  /** ... for at most this long (default 15 minutes). */
  keepMs?: number;
}

/**
 * The in-process bus. Ids are `<boot>-<n>`: `n` counts the events of this process, and `boot` names the
 * process, so an id from before a restart asks for a resync rather than a replay of other events.
 */
export function createLocalBus(opts: LocalBusOptions = {}): Bus {
  const clock = opts.clock ?? systemClock;
  const keep = opts.keep ?? 10_000;
  const keepMs = opts.keepMs ?? 15 * 60_000;
  const sliceAt = Math.min(1000, Math.ceil(keep / 10));
  const boot = randomBytes(4).toString('hex');
  const handlers = new Set<(event: BusEvent, id: string) => void>();
  /** Events kept, oldest first: ring[i] has number first + i. */
  let ring: { at: number; event: BusEvent }[] = [];
  let first = 1;
  let last = 0;
  const idOf = (n: number) => `${boot}-${n}`;

  function trim(now: number): void {
    let drop = Math.max(0, ring.length - keep);
    while (drop < ring.length && ring[drop]!.at < now - keepMs) drop += 1;
    // Dropping one at a time would move the whole array each time: drop in slices (the ring may hold
    // up to a tenth more than `keep` meanwhile, which replay still serves).
    if (drop > 0 && (drop >= sliceAt || drop === ring.length)) {
      ring = ring.slice(drop);
      first += drop;
    }
  }

  /** The kept events after `after`, or null when some of them are gone (or the id is not ours). */
  function since(after: string): { at: number; event: BusEvent }[] | null {
    const m = /^([0-9a-f]{8})-(\d{1,15})$/.exec(after);
    if (!m || m[1] !== boot) return null;
    const n = Number(m[2]);
    if (n > last) return null;
    // Gone from the ring, or past its time even if not yet trimmed.
    if (n + 1 < first) return null;
    const out = ring.slice(n + 1 - first);
    if (out.length && out[0]!.at < clock.now() - keepMs) return null;
    return out;
  }

  return {
    publish(event) {
      last += 1;
      const now = clock.now();
      ring.push({ at: now, event });
      trim(now);
      const id = idOf(last);
      for (const h of [...handlers]) h(event, id);
    },
    subscribe(handler, o = {}) {
      const head = idOf(last);
      if (o.after !== undefined) {
        const missed = since(o.after);
        if (missed) {
          let n = last - missed.length;
          for (const e of missed) handler(e.event, idOf(++n));
        } else o.onResync?.(head);
      }
      handlers.add(handler);
      return { head, close: () => handlers.delete(handler) };
    },
  };
}
