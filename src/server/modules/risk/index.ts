/** The risk register (issue 16, docs/risk.md): risks, their scores and history, the heat map. */
export { riskRoutes } from './risk.routes.js';
export { createRiskService } from './risk.service.js';
