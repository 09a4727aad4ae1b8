/** Investigation module (issue 15): ATT&CK mapping of incidents, the register of requests from outside. */
export { attackCatalog } from './attack-catalog.js';
export { createAttackService } from './attack.service.js';
export { createRequestService } from './request.service.js';
export { createRequestReminders } from './request-reminders.service.js';
export { investigationRoutes } from './investigation.routes.js';
