/** Detection module: the contract between ingest, detectors and alerts. */
export * from './detection.types.js';
export { createDetectionPipeline, type DetectionPipeline } from './pipeline.js';
export { createWorkerPipeline } from './worker-pipeline.js';
export type { RuleSetReport } from './rule-set.js';
export { compileSafeRegex } from '@tocsin/sigma';
export { createRuleService } from './rule.service.js';
// The at-scale mode's stages (./cluster/) are imported from their own files, and only where NATS is
// configured (compose-cluster.ts, serve-stage-two.ts): the NATS libraries stay unloaded otherwise.
export type { StageOneProgress } from './cluster/stage-one-progress.js';
