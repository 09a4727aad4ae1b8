/** The attack timeline of an incident (issue 15, "Analysis"): one time axis for the investigation, as JSON, CSV and a printable page. */
export { attackTimelineRoutes } from './attack-timeline.routes.js';
export { createAttackTimeline } from './attack-timeline.service.js';
