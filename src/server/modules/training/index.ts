/** Training records (issue 16, docs/training.md): records, CSV imports, phishing results, coverage, the on-call gate. */
export { trainingRoutes } from './training.routes.js';
export { createTrainingService } from './training.service.js';
