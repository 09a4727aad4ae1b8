/** Emergency plans (应急预案): checking plan documents, storing their versions, review, CACAO, and activating plans on incidents (docs/plans.md). */
export { lintPlanFile } from './plan-lint.js';
export { createPlanService } from './plan.service.js';
export type { ActivePlan, PlanCaller, PlanService } from './plan.service.js';
export {
  createActivationService,
  type ActionAsk,
  type ActivationPorts,
  type ActivationService,
  type PageAsk,
} from './plan-activation.service.js';
