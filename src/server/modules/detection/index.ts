/** Detection module: the contract between ingest, detectors and alerts. */
export * from './detection.types.js';
export { createDetectionPipeline, type DetectionPipeline } from './pipeline.js';
export { createWorkerPipeline } from './worker-pipeline.js';
export type { RuleSetReport } from './rule-set.js';
export { compileSafeRegex } from '@tocsin/sigma';
export { createRuleService } from './rule.service.js';
export { createEventStreamSink } from './cluster/event-sink.js';
export { createStageOne, type StageOne } from './cluster/stage-one.js';
export { stageOneCaughtUp, type StageOneProgress } from './cluster/stage-one-progress.js';
export { createStageTwo, type StageTwo } from './cluster/stage-two.js';
