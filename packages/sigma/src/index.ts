/** @tocsin/sigma: Sigma detection rules, correlations and filters over a stream of events. The public API. */
export {
  createSigmaEngine,
  DEFAULT_CORRELATION_LIMITS,
  DEFAULT_LATENESS_MS,
  type CorrelationStats,
  type SigmaEngine,
  type SigmaEngineOptions,
} from './engine.js';
export type { CorrelationLimits } from './correlation.js';
export { partitionOf, type CorrelationFeed } from './correlation-feeds.js';
export { createCorrelator, type Correlator } from './correlator.js';
export { LEVELS, type DetectionEvent, type Level, type LogSource, type SigmaMatch } from './event.js';
export { compileRuleSet, type RuleSource } from './compile.js';
export { readRuleSources } from './rule-files.js';
export { parseMapping, parseMappingText, EMPTY_MAPPING, type LogsourceMapping } from './mapping.js';
export { flattenEvtx, evtxToDetectionEvent, isEvtxJson } from './evtx.js';
export { readEventFile, readJsonValues, toDetectionEvent, type EventValue } from './event-files.js';
export { runRegression, regressionFolders, type RegressResult, type RegressFailure } from './regress.js';
export { DEFAULT_YAML_LIMITS, type YamlLimits } from './yaml-load.js';
export { compileSafeRegex, type SafeRegex } from './safe-regex.js';
export type { CompileError, CompileReport } from './types.js';
