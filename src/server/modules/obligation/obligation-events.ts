/**
 * The domain events about regulatory obligations, published through the outbox (docs/ARCHITECTURE.md,
 * Durable jobs and the outbox). The report module publishes `obligation.report_submitted` when a report
 * is marked submitted; the obligation clocks subscribe (the stage is met, or met late; DORA's later stages
 * start from it).
 */
import type { ObligationStage } from '../../../shared/obligation-schemas.js';

export type ObligationEvents = {
  /** A regulator report of an incident was marked submitted (ms since epoch). */
  'obligation.report_submitted': {
    incidentId: string;
    obligation: string;
    stage: ObligationStage;
    submittedAt: number;
    reportId: string;
  };
};
