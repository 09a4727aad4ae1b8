/**
 * The compensation module (issue 14): assessment runs and claims in the store — negotiation, approval
 * tiers, mediation, ledger (compensation.module.ts) — and `assessment/`, the assessment engine (docs/compensation.md):
 * exact money (integers, BigInt past 2^53), the methods `outage-price-diff`, `fraud-loss`,
 * `delayed-funds`, `fee-refund` and `fixed`, over typed rows (the store's orders) or CSV files (the CLI).
 *
 * For the store side:
 *   const { customers, summary, problems } = await assessOutagePriceDiff({ orders, prices, start, end, policy });
 *   // customers: sorted by id, each with lossFen / compensationFen (bigint fen) and basis
 *   const run = new ItemAssessment('fee-refund', { policy }, onProblem); run.row([...], line); run.results();
 */
export { createCompensation } from './compensation.module.js';
export { compensationPortalRoutes } from './portal.routes.js';
export { filingPortalRoutes } from './filing.routes.js';
export type { CustomerSender, NoticeContact } from './notice.service.js';
export { assessFiles, OptionError } from './assessment/assess-files.js';
export type { AssessFiles, AssessOptions } from './assessment/assess-files.js';
export { customerLine, summaryLine } from './assessment/lines.js';
export { assessOutagePriceDiffCsv } from './assessment/outage-csv.js';
export { readCsv } from './assessment/csv.js';
export { outageWindow } from './assessment/outage-price-diff.js';
export { NO_POLICY } from './assessment/policy.js';
/** @public the engine over typed rows, for the claims side (assessment runs of an incident's affected set) */
export { assessOutagePriceDiff, OutagePriceDiff, PriceLoader } from './assessment/outage-price-diff.js';
/** @public */
export { ItemAssessment } from './assessment/item-methods.js';
/** @public */
export { yuan } from './assessment/numbers.js';
/** @public the engine's types */
export type {
  OrderRow,
  OutageParams,
  OutageSummary,
  PriceRow,
  Problem,
} from './assessment/outage-price-diff.js';
/** @public */
export type { ItemMethodName, ItemParams, ItemSummary } from './assessment/item-methods.js';
/** @public */
export type { AssessmentTotals, Basis, CompensationPolicy, CustomerAssessment } from './assessment/policy.js';
/** @public */
export type { CsvEncoding } from './assessment/csv.js';
/** @public */
export type { CsvProblem } from './assessment/outage-csv.js';
/** @public */
export type { MethodName } from './assessment/lines.js';
export { createCompensationKpi } from './compensation-kpi.repository.js';
