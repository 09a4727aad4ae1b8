/**
 * The contract between ingest, detectors (Sigma rules, correlations, anomaly detectors) and alerts.
 * Ingest produces DetectionEvents; an engine turns them into RuleMatches; alerts turn matches into
 * alerts and incidents.
 */
import type { CorrelationFeed, DetectionEvent, SigmaMatch } from '@tocsin/sigma';

/**
 * Events, log sources and levels are the Sigma engine's (`@tocsin/sigma`). Here an event's `id` is the
 * source's id when it gave one (re-sending is idempotent), else assigned at ingest (UUIDv7); `time`
 * comes from `@timestamp`, `timestamp` or `time` (ISO-8601 or epoch ms), else arrival; `source` names
 * the ingest source that delivered it (`api`, `syslog`, `file`, a configured source name); `logsource`
 * comes from the source's configuration or the event's own `logsource` object; `fields` are the event's
 * fields after the source's field-name mapping.
 */
export { LEVELS, type DetectionEvent, type Level, type LogSource } from '@tocsin/sigma';

/**
 * Room held in detection for the events of one request, taken before the first of them is handed over:
 * a request admitted is never refused half-way (a sender would re-send what was already taken).
 */
export interface EventAdmission {
  /** Hands events over (in order), out of the room held; a Promise resolves once they are stored (the event stream). */
  sink(events: DetectionEvent[]): void | Promise<void>;
  /** Gives back what was held and not used. */
  release(): void;
}

/**
 * One firing of a rule or detector: a Sigma match (rule id, English title, level, tags for grading and
 * ATT&CK mapping, the events that made it fire, a correlation's group-by values, the time), or an
 * anomaly detector's or a probe's, shaped alike.
 */
export interface RuleMatch extends Omit<SigmaMatch, 'kind'> {
  /**
   * The title in Chinese, when the detector has its own (probes, anomaly detectors). Sigma matches
   * leave it out: alert intake looks it up in the rule catalogue (our rules' description starts with it).
   */
  ruleTitleZh?: string;
  kind: SigmaMatch['kind'] | 'anomaly';
}

/** A compiled set of detectors. `process` is synchronous and keeps bounded state for correlations. */
export interface DetectionEngine {
  process(events: DetectionEvent[]): RuleMatch[];
  /**
   * Optional: the wall clock moved to `now` (epoch ms). Lets time close what only time closes (a
   * correlation window with an upper bound, such as "fewer than 5 heartbeats in 5 minutes") while no
   * events arrive. The live pipeline calls it every second.
   */
  tick?(now: number): RuleMatch[];
  /**
   * Optional: stage one of detection across processes (docs/ARCHITECTURE.md): detection matches of
   * these events and the hits that feed correlations, keeping no correlation state.
   */
  evaluate?(events: DetectionEvent[]): StageOneResult;
  /**
   * Optional: what the engine compiled. `correlations: 0` tells stage one that no correlation partition
   * needs its batches' event time (no watermarks); an engine that does not say is taken to have some.
   */
  readonly report?: { readonly correlations: number };
}

/** Stage one of a batch (detection across processes): detection matches only, the correlation feeds, the latest event time. */
export interface StageOneResult {
  matches: RuleMatch[];
  feeds: CorrelationFeed[];
  maxTime: number;
}
