/**
 * Leases in the store: a named claim one process holds at a time, until its time runs out unless the
 * holder renews it. Each operation is one atomic statement (leases.repository.ts), so two processes
 * racing for a lease never both get it, on SQLite or PostgreSQL. Time is the Clock's.
 */
import os from 'node:os';
import type { Store } from '../db/connect.js';
import { newId, type Clock } from '../ids.js';
import { acquireLease, leaseByName, releaseLease, renewLease, takeLeaseFrom } from './leases.repository.js';

/** A lease as it stands in the store. */
export interface Lease {
  name: string;
  holder: string;
  /** Parsed from the holder's name (`host:pid:random`). */
  host: string;
  pid: number;
  /** Epoch ms: it ends then unless renewed. */
  until: number;
  /** Epoch ms: when its holder took it. */
  acquiredAt: number;
}

export interface Leases {
  /** This process's name in `holder`. */
  readonly holder: string;
  /** Takes `name` for `ttlMs` when it is free or has ended (or renews it when this holder has it); true when held now. */
  tryAcquire(name: string, ttlMs: number): Promise<boolean>;
  /** Extends this holder's lease for `ttlMs` from now; false when it is not this holder's (any more). */
  renew(name: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up (when this holder has it), so another may take it at once. */
  release(name: string): Promise<void>;
  /** Takes `name` from `from`, a holder known to be gone, whatever time it has left; false when `from` no longer has it. */
  takeFrom(name: string, from: string, ttlMs: number): Promise<boolean>;
  /** Who holds `name` (even if its time has run out), or undefined. */
  current(name: string): Promise<Lease | undefined>;
}

/** A process's holder name: host, pid and a random part (one process may hold several holders in tests). */
export const holderName = (): string => `${os.hostname()}:${process.pid}:${newId().slice(-8)}`;

/** Host and pid of a holder name made by `holderName` (host names have no colon). */
export function parseHolder(holder: string): { host: string; pid: number } {
  const parts = holder.split(':');
  if (parts.length < 3) return { host: holder, pid: 0 };
  return { host: parts.slice(0, -2).join(':'), pid: Number(parts[parts.length - 2]) || 0 };
}

export function createLeases(deps: { store: Store; clock: Clock; holder?: string }): Leases {
  const { store, clock } = deps;
  const holder = deps.holder ?? holderName();
  const db = () => store.db;
  return {
    holder,
    async tryAcquire(name, ttlMs) {
      return (await acquireLease(db(), { name, holder, now: clock.now(), ttlMs })) !== undefined;
    },
    renew: (name, ttlMs) => renewLease(db(), { name, holder, now: clock.now(), ttlMs }),
    async release(name) {
      await releaseLease(db(), { name, holder });
    },
    takeFrom: (name, from, ttlMs) => takeLeaseFrom(db(), { name, from, holder, now: clock.now(), ttlMs }),
    async current(name) {
      const r = await leaseByName(db(), name);
      if (!r) return undefined;
      return {
        name: r.name,
        holder: r.holder,
        ...parseHolder(r.holder),
        until: Number(r.until_ms),
        acquiredAt: Number(r.acquired_at_ms),
      };
    },
  };
}
