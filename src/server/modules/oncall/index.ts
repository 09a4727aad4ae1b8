/** On-call module: schedules, overrides, escalation policies (domain + storage), their routes. */
export { createOncallService, type OncallService } from './oncall.service.js';
export {
  escalationPlan,
  nextStep,
  recipients,
  type EscalationPolicy,
  type EscalationStep,
} from './escalation.js';
export type { Schedule } from './schedule.types.js';
export { createOncallAdmin } from './oncall-admin.service.js';
