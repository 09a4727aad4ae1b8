/**
 * The compensation module (issue 14). `assessment/` is the assessment engine (docs/compensation.md):
 * exact money (integers, BigInt past 2^53), the methods `outage-price-diff`, `fraud-loss`,
 * `delayed-funds`, `fee-refund` and `fixed`, over typed rows (the store's orders) or CSV files (the CLI).
 *
 * For the store side:
 *   const { customers, summary, problems } = await assessOutagePriceDiff({ orders, prices, start, end, policy });
 *   // customers: sorted by id, each with lossFen / compensationFen (bigint fen) and basis
 *   const run = new ItemAssessment('fee-refund', { policy }, onProblem); run.row([...], line); run.results();
 */
export { CsvFileError, type CsvEncoding, readCsv } from './assessment/csv.js';
export { assessItemsCsv } from './assessment/item-csv.js';
export {
  AMOUNT_DECIMALS,
  ITEM_METHODS,
  ItemAssessment,
  type ItemMethodName,
  type ItemParams,
  type ItemSummary,
  METHODS,
  RATE_DECIMALS,
} from './assessment/item-methods.js';
export { customerLine, type MethodName, summaryLine } from './assessment/lines.js';
export { fenOf, instantOrReason, parseInstant, parseScaled, roundHalfUpToFen, yuan } from './assessment/numbers.js';
export { assessOutagePriceDiffCsv, type CsvProblem, ORDER_COLUMNS, PRICE_COLUMNS } from './assessment/outage-csv.js';
export {
  assessOutagePriceDiff,
  ORDER_STATUSES,
  type OrderRow,
  OUTAGE_UNITS_PER_FEN,
  OutagePriceDiff,
  type OutageParams,
  type OutageSummary,
  outageWindow,
  PriceLoader,
  type PriceRow,
  type Problem,
  QUANTITY_DECIMALS,
} from './assessment/outage-price-diff.js';
export {
  type AssessmentTotals,
  type Basis,
  type CompensationPolicy,
  type CustomerAssessment,
  decide,
  NO_POLICY,
} from './assessment/policy.js';
export { PRICE_DECIMALS } from './assessment/price-index.js';
