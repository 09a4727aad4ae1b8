/** Training (issue 16, docs/training.md): records and imports, required courses, coverage, the on-call gate. */
import { createTrainingCoverage } from './training-coverage.service.js';
import { createTrainingRecords, type TrainingDeps } from './training-records.service.js';

export function createTrainingService(deps: TrainingDeps) {
  return { records: createTrainingRecords(deps), coverage: createTrainingCoverage(deps) };
}

export type TrainingService = ReturnType<typeof createTrainingService>;
