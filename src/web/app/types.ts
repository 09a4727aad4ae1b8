/** Response types of the HTTP API, derived from the shared zod schemas (types only: no zod in the bundle). */
import type { z } from 'zod';
import type {
  ApiToken as ApiTokenSchema,
  ApiTokenCreated as ApiTokenCreatedSchema,
  AuditVerifyResult as AuditVerifyResultSchema,
  MfaEnrolment as MfaEnrolmentSchema,
  Participant as ParticipantSchema,
  Problem as ProblemSchema,
} from '../../shared/schemas.js';

export type {
  Alert,
  AlertDetail,
  AlertEvent,
  Entities,
  EntityRef,
  MaintenanceWindow,
  Suppression,
  AuditEntry,
  Impact,
  Incident,
  IncidentCreate,
  IncidentUpdate,
  Service,
  SessionInfo,
  StreamEvent,
  Task,
  TimelineEntry,
  User,
} from '../../shared/schemas.js';

export type ApiToken = z.infer<typeof ApiTokenSchema>;
export type ApiTokenCreated = z.infer<typeof ApiTokenCreatedSchema>;
export type AuditVerifyResult = z.infer<typeof AuditVerifyResultSchema>;
export type MfaEnrolment = z.infer<typeof MfaEnrolmentSchema>;
export type Participant = z.infer<typeof ParticipantSchema>;
export type Problem = z.infer<typeof ProblemSchema>;

/** A page of a paginated list. */
export interface Page<T> {
  items: T[];
  next: string | null;
}
