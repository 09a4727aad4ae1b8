/**
 * Performance figures (issue 16, docs/kpi.md): MTTD/MTTA/MTTC/MTTR and the other figures of a period,
 * combined from the other modules' aggregate reads, and the incidents behind a figure. (The `metrics`
 * module is something else: metric samples of the firm's systems.)
 */
export { kpiRoutes } from './kpi.routes.js';
export { createKpiService } from './kpi.service.js';
