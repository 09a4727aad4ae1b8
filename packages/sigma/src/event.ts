/**
 * What the engine reads and what it reports: events with their Sigma log source, rule levels, and
 * matches. The engine never changes an event; a match carries the events that made it fire by reference.
 */

/** Sigma log source of an event or a rule (https://sigmahq.io taxonomy). */
export interface LogSource {
  product?: string;
  category?: string;
  service?: string;
}

/** An event, as the engine sees it. */
export interface DetectionEvent {
  /** The event's id (carried into matches; the engine does not deduplicate). */
  id: string;
  /** Event time, epoch ms UTC: correlation windows run on it. */
  time: number;
  /** Name of what delivered it (a source name); the log-source mapping may route on it. */
  source: string;
  /** Sigma log source, if the event names one; the mapping may add others. */
  logsource: LogSource;
  /** The event's fields (nested objects allowed; `a.b` reaches into them). */
  fields: Record<string, unknown>;
}

/** Sigma rule levels, least to most severe. */
export const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

/** One firing of a detection rule or a correlation rule. */
export interface SigmaMatch {
  /** The rule's id, else its name, else `file:title`. */
  ruleId: string;
  ruleTitle: string;
  /** The rule's level (a correlation without one: the highest of the rules it reads), default medium. */
  level: Level;
  /** Sigma tags (e.g. attack.t1110.004). */
  tags: string[];
  kind: 'detection' | 'correlation';
  /** The event that matched; for a correlation those of its window, bounded (`maxEventsInMatch`). */
  events: DetectionEvent[];
  /** For a correlation: the group-by field values. */
  group?: Record<string, unknown>;
  /** When it fired: the time of the last event that made it fire (epoch ms). */
  time: number;
}
