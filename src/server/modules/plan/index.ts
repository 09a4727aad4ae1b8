/** Emergency plans (应急预案): checking plan documents (docs/plans.md). */
export { lintPlanFile } from './plan-lint.js';
