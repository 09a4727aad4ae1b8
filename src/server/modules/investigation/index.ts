/** Investigation module (issue 15): ATT&CK mapping of incidents, the register of requests from outside. */
export { attackCatalog, attackTags, ATTACK_VERSION, type AttackCatalog } from './attack-catalog.js';
export { createAttackService, type AttackService, type RuleTags } from './attack.service.js';
export { createRequestService, type RequestService } from './request.service.js';
export { createRequestReminders, type RequestPager, type RequestReminders } from './request-reminders.service.js';
export { investigationRoutes } from './investigation.routes.js';
