/**
 * Action items (issue 16, docs/reviews.md): generic items with owner, due date, priority and status tracked
 * to closure, created by reviews (and drills and the risk register), reminded and escalated when overdue.
 */
export { actionItemRoutes } from './action-item.routes.js';
export { createActionItemService, type ActionItemService } from './action-item.service.js';
export { createActionItemReminders } from './action-item-reminders.js';
export { createActionItemKpi } from './action-item-kpi.repository.js';
