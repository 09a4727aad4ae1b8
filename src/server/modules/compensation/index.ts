/** Compensation module (issue 14): assessment runs and claims in the store — negotiation, approval tiers, mediation, ledger. */
export { createCompensation } from './compensation.module.js';
