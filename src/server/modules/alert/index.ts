/** Alert module: rule matches become alerts (deduplicated, held back, grouped into incidents); suppressions and maintenance windows. */
export { createAlertService } from './alert.service.js';
export { createSuppressionService } from './suppression.service.js';
export type { RaiseOutcome } from './intake.service.js';
export type { FactsChoice, IncidentAlertFacts, IncidentEvent } from './incident-alerts.js';
export { incidentTag } from './alert-work.js';
