/** Emergency plans (应急预案): checking plan documents, storing their versions, review, CACAO (docs/plans.md). */
export { lintPlanFile } from './plan-lint.js';
export { createPlanService } from './plan.service.js';
/** @public The activation engine's entry points: the active plans (`plans.activePlans()`) and whether one applies. */
export type { ActivePlan, PlanCaller, PlanService } from './plan.service.js';
/** @public */
export { triggerMatches, type TriggerFacts } from './plan-triggers.js';
