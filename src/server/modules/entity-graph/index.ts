/** The entity graph of an incident (issue 15, "Analysis"): who and what its alerts and the activity index name, and how they connect. */
export { entityGraphRoutes } from './entity-graph.routes.js';
export { createEntityGraph } from './entity-graph.service.js';
