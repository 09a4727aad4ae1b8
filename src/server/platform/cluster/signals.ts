/**
 * Signals between Tocsin processes: "something changed, read it again" (e.g. `rules` after a rule change
 * commits). Core NATS, subject `<prefix>.signal.<name>`: at most once, to the processes connected now —
 * a signal carries no data, the store holds the truth, and a process that starts reads it anyway.
 * Embedded mode has one process, which already acted: the local signals do nothing.
 */
import { randomBytes } from 'node:crypto';
import type { Nats } from './nats.js';

export interface Signals {
  /** Tells the other processes (fire and forget; this process is not told). */
  publishSignal(name: string): void;
  /** Calls `fn` when another process signals `name`; returns a function that stops it. */
  onSignal(name: string, fn: () => void): () => void;
}

export function createLocalSignals(): Signals {
  return { publishSignal: () => {}, onSignal: () => () => {} };
}

const SIGNAL_NAME = /^[a-z][a-z0-9_-]{0,63}$/;

export function createNatsSignals(nats: Pick<Nats, 'nc' | 'prefix'>): Signals {
  const self = randomBytes(8).toString('hex');
  const subject = (name: string) => {
    if (!SIGNAL_NAME.test(name)) throw new Error(`invalid signal name ${JSON.stringify(name)}`);
    return `${nats.prefix}.signal.${name}`;
  };
  return {
    publishSignal(name) {
      // Published while disconnected, the client sends it once it is back (its reconnect buffer).
      nats.nc.publish(subject(name), self);
    },
    onSignal(name, fn) {
      const sub = nats.nc.subscribe(subject(name), {
        callback: (err, msg) => {
          if (!err && msg.string() !== self) fn();
        },
      });
      return () => sub.unsubscribe();
    },
  };
}
