/**
 * The domain event the connector module publishes through the outbox when an action run ends (in the
 * transaction that records it): what waits on the action (a plan's next step) reacts to it.
 */
import type { Db } from '../../platform/db/types.js';

export type ActionEvents = {
  /** A run reached `succeeded` or `failed`. */
  'action.settled': {
    runId: string;
    /** The run's idempotency key (a plan's runs: `<activation id>:<step id>`). */
    key: string;
    state: 'succeeded' | 'failed';
    incidentId: string | null;
    stepId: string | null;
  };
};

export interface ActionEventSink {
  publish<T extends keyof ActionEvents & string>(tx: Db, type: T, payload: ActionEvents[T]): Promise<string>;
}
