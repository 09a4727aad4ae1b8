/** Alert module: rule matches become alerts (deduplicated, held back, grouped into incidents); suppressions and maintenance windows. */
export { createAlertService, type AlertService, type AlertListQuery } from './alert.service.js';
export { createSuppressionService, type SuppressionService } from './suppression.service.js';
export { DETECTION_ACTOR, type IntakeOptions, type RaiseOutcome } from './intake.service.js';
export { extractEntities } from './entities.js';
export { suggestCategory, suggestGrade } from './triage.js';
