/**
 * Drills (定期演练, issue 16, docs/drills.md): tabletop and technical exercises on a drill incident, injects
 * released on schedule, scores against the plan's targets and the regulator clocks, calendar and coverage.
 */
export { createDrillService, type DrillService } from './drill.service.js';
export { drillRoutes } from './drill.routes.js';
export { bundledInjectScripts } from './drill-scripts.js';
