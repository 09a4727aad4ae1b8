/**
 * Who owns which correlation partition, in the NATS KV bucket `P_owners` (keys expire after `ttlMs`
 * unless renewed). Each worker:
 * - announces itself (`member.<id>`, put every round) and counts the live members;
 * - takes its fair share, ceil(partitions / members): free partitions (`part.<p>` absent, deleted or
 *   expired) are claimed with `kv.create`, which only one claimant wins;
 * - renews what it owns with `kv.update(key, id, revision)` every round: a renewal that fails because
 *   the revision changed or the key is gone means ownership is lost (`onLost` at once); one that cannot
 *   reach NATS keeps the partition only until its last renewal is `ttlMs` old (someone else may own it
 *   by then), so a worker cut off from NATS stops on its own;
 * - gives partitions back (deletes them) beyond its share when members joined, and all of them on a
 *   graceful stop. A worker that dies simply stops renewing: its keys expire after `ttlMs` and the
 *   others claim its partitions at their next round.
 */
import { Kvm, type KV } from '@nats-io/kv';
import type { Nats } from '../../../platform/cluster/nats.js';

export interface OwnershipOptions {
  nats: Nats;
  /** This worker's id (letters, digits, `-` and `_`). */
  id: string;
  partitions: number;
  /** Time to live of a key not renewed (default 6 s). */
  ttlMs?: number;
  /** Time between rounds (default 1.5 s; well below ttlMs). */
  renewMs?: number;
  /** Wall clock (epoch ms). */
  now: () => number;
  /** A partition became ours: start it (not awaited by the round). */
  onGained: (partition: number) => void;
  /** A partition is no longer ours (lost, given back or stopped): stop it at once. */
  onLost: (partition: number, why: 'lost' | 'released') => void;
  onError: (err: unknown, where: string) => void;
}

export const ownersBucket = (prefix: string): string => `${prefix}_owners`;
const partKey = (p: number) => `part.${p}`;
const memberKey = (id: string) => `member.${id}`;

/** A KV update that failed because someone else wrote the key (or it is gone), not because NATS is away. */
const isConflict = (err: unknown): boolean => /wrong last sequence|10071|10164|key not found/i.test(String(err));

export function createOwnership(o: OwnershipOptions) {
  const ttlMs = o.ttlMs ?? 6000;
  const renewMs = o.renewMs ?? 1500;
  /** Owned partitions: the revision of our last write and when it was made. */
  const owned = new Map<number, { revision: number; at: number }>();
  let kv: KV | null = null;
  let timer: NodeJS.Timeout | null = null;
  let round: Promise<void> | null = null;
  let stopped = false;
  let members = 1;

  async function bucket(): Promise<KV> {
    if (kv) return kv;
    const kvm = new Kvm(o.nats.js);
    const name = ownersBucket(o.nats.prefix);
    kv = await kvm.create(name, { ttl: ttlMs, history: 1 }).catch(() => kvm.open(name));
    return kv;
  }

  function lose(p: number, why: 'lost' | 'released'): void {
    if (!owned.delete(p)) return;
    o.onLost(p, why);
  }

  async function liveMembers(b: KV): Promise<number> {
    let n = 0;
    for await (const _ of await b.keys('member.>')) n++;
    return Math.max(1, n);
  }

  /** One round: announce, renew, give back beyond the share, claim up to it. */
  async function runRound(): Promise<void> {
    const b = await bucket();
    // Renewals first, each on its own: a partition whose last renewal is a TTL old may be someone else's.
    for (const [p, own] of [...owned]) {
      try {
        const revision = await b.update(partKey(p), o.id, own.revision, Math.max(500, Math.floor(ttlMs / 3)));
        owned.set(p, { revision, at: o.now() });
      } catch (err) {
        if (isConflict(err) || o.now() - own.at >= ttlMs) lose(p, 'lost');
        else o.onError(err, 'renew');
      }
    }
    await b.put(memberKey(o.id), String(o.now()));
    members = await liveMembers(b);
    const share = Math.ceil(o.partitions / members);
    // Over the share (members joined): give back the highest partitions first.
    for (const p of [...owned.keys()].sort((a, b) => b - a).slice(0, Math.max(0, owned.size - share))) {
      const own = owned.get(p)!;
      lose(p, 'released');
      await b.delete(partKey(p), { previousSeq: own.revision }).catch(() => {});
    }
    if (owned.size >= share || stopped) return;
    // Claim free partitions, starting at a place of our own so claimants spread over the partitions.
    const start = [...o.id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % o.partitions;
    for (let i = 0; i < o.partitions && owned.size < share && !stopped; i++) {
      const p = (start + i) % o.partitions;
      if (owned.has(p)) continue;
      const entry = await b.get(partKey(p));
      if (entry && entry.operation === 'PUT') continue;
      try {
        const revision = await b.create(partKey(p), o.id);
        if (stopped) {
          await b.delete(partKey(p), { previousSeq: revision }).catch(() => {});
          break;
        }
        owned.set(p, { revision, at: o.now() });
        o.onGained(p);
      } catch {
        // another worker claimed it first
      }
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      round = runRound()
        .catch((err) => o.onError(err, 'ownership'))
        .finally(() => {
          round = null;
          schedule();
        });
    }, renewMs);
    timer.unref();
  }

  return {
    /** Runs the first round (partitions claimed before it resolves), then one every renewMs. */
    async start(): Promise<void> {
      stopped = false;
      round = runRound().catch((err) => o.onError(err, 'ownership'));
      await round;
      round = null;
      schedule();
    },
    /** Graceful stop: every partition stopped and given back, the membership withdrawn. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await round;
      const b = kv;
      for (const [p, own] of [...owned]) {
        lose(p, 'released');
        await b?.delete(partKey(p), { previousSeq: own.revision }).catch(() => {});
      }
      await b?.delete(memberKey(o.id)).catch(() => {});
    },
    /** Death, for tests: no more renewals and nothing given back (the keys expire after ttlMs). */
    abandon(): void {
      stopped = true;
      if (timer) clearTimeout(timer);
      owned.clear();
    },
    /** A round now (tests; the timer runs them otherwise). */
    round: (): Promise<void> => runRound(),
    /** Ours, renewed less than ttlMs ago (past that, another worker may have claimed it). */
    holds(p: number): boolean {
      const own = owned.get(p);
      return own !== undefined && o.now() - own.at < ttlMs;
    },
    owned: (): number[] => [...owned.keys()].sort((a, b) => a - b),
    members: (): number => members,
  };
}
