/** Response types of the HTTP API, derived from the shared zod schemas (types only: no zod in the bundle). */
import type { z } from 'zod';
import type { Problem as ProblemSchema } from '../../shared/api-schemas.js';
import type { AuditVerifyResult as AuditVerifyResultSchema } from '../../shared/audit-schemas.js';
import type {
  ApiToken as ApiTokenSchema,
  ApiTokenCreated as ApiTokenCreatedSchema,
  MfaEnrolment as MfaEnrolmentSchema,
} from '../../shared/session-schemas.js';

export type {
  Alert,
  AlertDetail,
  AlertEvent,
  Entities,
  MaintenanceWindow,
  Suppression,
} from '../../shared/alert-schemas.js';
export type { PlanActivation } from '../../shared/activation-schemas.js';
export type { ActionRun } from '../../shared/connector-schemas.js';
export type { AuditEntry } from '../../shared/audit-schemas.js';
export type {
  Impact,
  Incident,
  IncidentCreate,
  IncidentUpdate,
  Task,
  TimelineEntry,
} from '../../shared/incident-schemas.js';
export type { Service } from '../../shared/service-schemas.js';
export type { SessionInfo } from '../../shared/session-schemas.js';
export type { StreamEvent } from '../../shared/stream-schemas.js';
export type { User } from '../../shared/user-schemas.js';

export type ApiToken = z.infer<typeof ApiTokenSchema>;
export type ApiTokenCreated = z.infer<typeof ApiTokenCreatedSchema>;
export type AuditVerifyResult = z.infer<typeof AuditVerifyResultSchema>;
export type MfaEnrolment = z.infer<typeof MfaEnrolmentSchema>;
export type Problem = z.infer<typeof ProblemSchema>;

/** A page of a paginated list. */
export interface Page<T> {
  items: T[];
  next: string | null;
}
