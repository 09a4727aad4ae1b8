/** The event bus port. Embedded mode: in-process. Events are published after their transaction commits. */
import { EventEmitter } from 'node:events';
import type { Permission } from '../../shared/permissions.js';
import type { StreamEvent } from '../../shared/stream-schemas.js';

/** Who may receive an event: everyone with incident.read, or for a restricted incident its members and admins. */
export interface Audience {
  restricted: boolean;
  memberIds: string[];
  /** A permission the receiver needs besides incident.read (alert events: alert.read). */
  permission?: Permission;
}

export type BusEvent = StreamEvent & { audience: Audience };

export interface Bus {
  publish(event: BusEvent): void;
  /** Returns an unsubscribe function. */
  subscribe(handler: (event: BusEvent) => void): () => void;
}

export function createLocalBus(): Bus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish: (event) => emitter.emit('event', event),
    subscribe: (handler) => {
      emitter.on('event', handler);
      return () => emitter.off('event', handler);
    },
  };
}
