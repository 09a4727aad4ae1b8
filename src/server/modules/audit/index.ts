/** Audit module: the hash-chained audit log. */
export { createAuditService, hashRow, GENESIS_HASH, type Actor, type AuditService } from './audit.service.js';
