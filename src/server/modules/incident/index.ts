/** Incident module: incidents, lifecycle, participants, timeline and tasks. */
export {
  createIncidentService,
  type DetectedIncident,
  type IncidentRef,
  type IncidentService,
  type ListQuery,
} from './incident.service.js';
export { createTimelineService, type TimelineService } from './timeline.service.js';
export { canSee } from './incident.policy.js';
export { localizedOf } from './incident.mapper.js';
