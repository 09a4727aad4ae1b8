/**
 * The domain events the incident module publishes through the outbox, in the transaction of the change
 * (docs/ARCHITECTURE.md, Durable jobs and the outbox). Payloads name the incident only: a subscriber
 * reads the incident as it is when it runs, so a late or repeated delivery acts on the current facts.
 */
import type { Db } from '../../platform/db/types.js';

/** What changed on an incident that may make another plan's triggers match. */
export type IncidentChange = 'grade' | 'category' | 'services' | 'alerts';

export type IncidentEvents = {
  /** An incident was declared (by a person or by detection). */
  'incident.declared': { incidentId: string; key: string };
  /** Its grade, category or services changed, or alerts joined it. */
  'incident.changed': { incidentId: string; key: string; changes: IncidentChange[] };
};

/** Where the incident module writes its events (the outbox; tests may pass their own). */
export interface IncidentEventSink {
  publish<T extends keyof IncidentEvents & string>(tx: Db, type: T, payload: IncidentEvents[T]): Promise<string>;
}
