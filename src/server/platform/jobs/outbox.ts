/**
 * The outbox: typed domain events written in the transaction of the change that caused them, and
 * delivered by the job runner to every subscriber — one job per event and subscriber (kind
 * `event:<type>:<subscriber>`, keyed by the event's id), enqueued in that same transaction. So a reaction
 * is never lost when the process dies between the change and the reaction, publishers and subscribers
 * do not know each other, and one subscriber failing retries alone. Delivery is at least once: handlers
 * must be idempotent. Subscribe at wiring time, before anything publishes: an event reaches the
 * subscribers registered when it was published.
 */
import type { Db } from '../db/types.js';
import { newId, type Clock } from '../ids.js';
import type { JobRunner } from './job-runner.js';
import { insertOutboxEvent } from './jobs.repository.js';

/** An event of `Events` (a map from event type to its payload), as subscribers receive it. */
export interface DomainEvent<Events, T extends keyof Events = keyof Events> {
  id: string;
  type: T;
  payload: Events[T];
  publishedAt: number;
}

export interface Outbox<Events extends Record<string, unknown>> {
  /** `subscriber` names the reaction (stable: it is part of its jobs' kind). */
  subscribe<T extends keyof Events & string>(
    type: T,
    subscriber: string,
    handler: (event: DomainEvent<Events, T>) => Promise<void>,
    opts?: { maxAttempts?: number },
  ): void;
  /** Writes the event in the caller's transaction and enqueues its deliveries; the event's id. */
  publish<T extends keyof Events & string>(tx: Db, type: T, payload: Events[T]): Promise<string>;
}

export function createOutbox<Events extends Record<string, unknown>>(deps: {
  runner: JobRunner;
  clock: Clock;
}): Outbox<Events> {
  const subscribers = new Map<string, { kind: string; maxAttempts?: number }[]>();
  return {
    subscribe(type, subscriber, handler, opts) {
      const kind = `event:${type}:${subscriber}`;
      deps.runner.register<DomainEvent<Events, typeof type>>(kind, (job) => handler(job.payload));
      const list = subscribers.get(type) ?? [];
      list.push({ kind, maxAttempts: opts?.maxAttempts });
      subscribers.set(type, list);
    },
    async publish(tx, type, payload) {
      const event: DomainEvent<Events, typeof type> = { id: newId(), type, payload, publishedAt: deps.clock.now() };
      await insertOutboxEvent(tx, {
        id: event.id,
        type,
        payload: JSON.stringify(payload),
        published_at: event.publishedAt,
      });
      for (const s of subscribers.get(type) ?? [])
        await deps.runner.send(tx, { kind: s.kind, key: event.id, payload: event, maxAttempts: s.maxAttempts });
      return event.id;
    },
  };
}
