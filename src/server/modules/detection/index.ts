/** Detection module: the contract between ingest, detectors and alerts. */
export * from './detection.types.js';
