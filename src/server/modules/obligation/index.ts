/** Regulatory obligations (issue 13, docs/obligations.md): the catalog, business-day calendars, evaluation of facts. */
export {
  bundledObligationCatalog,
  CatalogError,
  lazyBundledObligationCatalog,
  loadObligationCatalog,
  type ObligationCatalog,
} from './catalog.js';
export { compareEvaluations, evaluate } from './evaluate.js';
export { parseFacts } from './facts.js';
export { createObligations, type Obligations } from './obligations.js';
export type { ObligationPager } from './warnings.service.js';
export type { ObligationEvents } from './obligation-events.js';
export { createObligationKpi } from './obligation-kpi.repository.js';
