/** Audit module: the hash-chained audit log. */
export {
  auditViewerOf,
  createAuditService,
  hashRow,
  GENESIS_HASH,
  SYSTEM_ACTOR,
  type Actor,
  type AuditRecord,
  type AuditService,
  type AuditViewer,
  type VerifyResult,
  type WithheldAuditEntry,
} from './audit.service.js';
