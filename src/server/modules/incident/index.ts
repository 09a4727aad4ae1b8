/** Incident module: incidents, lifecycle, participants, timeline and tasks. */
export { createIncidentService, type IncidentService } from './incident.service.js';
export type { IncidentRef } from './detection-incident.service.js';
export { createTimelineService } from './timeline.service.js';
export { canSee } from './incident.policy.js';
export { visibleTo } from './need-to-know.repository.js';
export { localizedOf } from './incident.mapper.js';
export type { IncidentEvents } from './incident-events.js';
export type { PlanTaskInput } from './response-records.service.js';
export {
  createIncidentKpi,
  type IncidentFacts,
  type IncidentKpi,
  type IncidentScope,
} from './incident-kpi.service.js';
export { inIncidentScope } from './kpi-facts.repository.js';
