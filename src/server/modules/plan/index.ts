/** Emergency plans (应急预案): checking plan documents, and activating plans on incidents (docs/plans.md). */
export { lintPlanFile } from './plan-lint.js';
export {
  createActivationService,
  type ActionAsk,
  type ActivationPorts,
  type ActivationService,
  type PageAsk,
  type RunnablePlan,
} from './plan-activation.service.js';
