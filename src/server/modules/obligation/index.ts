/** Regulatory obligations (issue 13, docs/obligations.md): the catalog, business-day calendars, evaluation of facts. */
export { bundledObligationCatalog, CatalogError, loadObligationCatalog, type ObligationCatalog } from './catalog.js';
export { compareEvaluations, evaluate } from './evaluate.js';
export { parseFacts } from './facts.js';
export type { ObligationEvents } from './obligation-events.js';
