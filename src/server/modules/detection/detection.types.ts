/**
 * The contract between ingest, detectors (Sigma rules, correlations, anomaly detectors) and alerts.
 * Ingest produces DetectionEvents; an engine turns them into RuleMatches; alerts turn matches into
 * alerts and incidents.
 */

/** Sigma log source of an event or a rule (https://sigmahq.io taxonomy). */
export interface LogSource {
  product?: string;
  category?: string;
  service?: string;
}

/** A normalized event, as every detector sees it. */
export interface DetectionEvent {
  /** The source's id when it gave one (re-sending is idempotent), else assigned at ingest (UUIDv7). */
  id: string;
  /** Event time, epoch ms UTC: from `@timestamp`, `timestamp` or `time` (ISO-8601 or epoch ms), else arrival. */
  time: number;
  /** Name of the ingest source that delivered it (`api`, `syslog`, `file`, a configured source name). */
  source: string;
  /** Sigma log source, from the source's configuration or the event's own `logsource` object. */
  logsource: LogSource;
  /** The event's fields (nested objects allowed), after the source's field-name mapping. */
  fields: Record<string, unknown>;
}

/**
 * Room held in detection for the events of one request, taken before the first of them is handed over:
 * a request admitted is never refused half-way (a sender would re-send what was already taken).
 */
export interface EventAdmission {
  /** Hands events over (in order), out of the room held. */
  sink(events: DetectionEvent[]): void;
  /** Gives back what was held and not used. */
  release(): void;
}

export const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

/** One firing of a rule or detector. */
export interface RuleMatch {
  ruleId: string;
  /** The title in English. */
  ruleTitle: string;
  /**
   * The title in Chinese, when the detector has its own (probes, anomaly detectors). Sigma matches
   * leave it out: alert intake looks it up in the rule catalogue (our rules' description starts with it).
   */
  ruleTitleZh?: string;
  level: Level;
  /** Sigma tags (e.g. attack.t1110.004), for grading and ATT&CK mapping. */
  tags: string[];
  kind: 'detection' | 'correlation' | 'anomaly';
  /** The event or events that made it fire (for a correlation: those in the window, bounded). */
  events: DetectionEvent[];
  /** For a correlation: the group-by field values. */
  group?: Record<string, unknown>;
  /** When it fired: the time of the last event that made it fire (epoch ms). */
  time: number;
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
}
