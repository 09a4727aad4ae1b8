/** Owner module: a dedicated owner for every affected customer (专人负责) — pools, assignment, worklists, SLA. */
export { createOwners } from './owner.service.js';
export type { AudiencePort } from './owner-context.js';
