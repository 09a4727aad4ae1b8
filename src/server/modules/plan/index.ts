/** Emergency plans (应急预案): checking plan documents, storing their versions, review, CACAO, and activating plans on incidents (docs/plans.md). */
export { lintPlanFile } from './plan-lint.js';
export { createPlanService } from './plan.service.js';
export { createActivationService, type ActivationPorts } from './plan-activation.service.js';
export type { ActivePlan } from './plan.service.js';
