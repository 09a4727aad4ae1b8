/** Detection module: the contract between ingest, detectors and alerts. */
export * from './detection.types.js';
export { createDetectionPipeline, type DetectionPipeline, type PipelineStats, type RuleHits } from './pipeline.js';
export { createWorkerPipeline } from './worker-pipeline.js';
export { loadRuleSet, bundledPath, type RuleSetReport } from './rule-set.js';
export { compileSafeRegex, type SafeRegex } from '@tocsin/sigma';
export { createRuleService, type RuleService, type RuleServiceOptions } from './rule.service.js';
