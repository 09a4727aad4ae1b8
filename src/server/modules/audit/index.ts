/** Audit module: the hash-chained audit log. */
export { createAuditService, hashRow, GENESIS_HASH, SYSTEM_ACTOR, type Actor, type AuditService, type VerifyResult } from './audit.service.js';
