/** Internal types shared by the Sigma compiler and engine. */
import type { DetectionEvent, Level, LogSource } from './event.js';

/** Why a rule (or a whole file) could not be compiled. */
export interface CompileError {
  file: string;
  ruleId?: string;
  reason: string;
}

/** What compiling a rule set produced: how many detectors compiled and what failed, with reasons. */
export interface CompileReport {
  compiled: number;
  /** Detection rules, correlations and filters, by kind. */
  rules: number;
  correlations: number;
  filters: number;
  errors: CompileError[];
}

/** A compile-time failure of one rule; carries the reason shown to the user. */
export class SigmaError extends Error {}

/**
 * Per-event evaluation state. One instance is reused for every event (no allocation per event):
 * the engine resets it before each event.
 */
export interface EvalContext {
  event: DetectionEvent;
  fields: Record<string, unknown>;
  /** Sigma field name -> event field name for the log source the rule is evaluated under. */
  renames: ReadonlyMap<string, string> | null;
  /** Lower-cased string values by event field name, filled lazily. */
  lower: Map<string, string>;
  /** Every string value of the event, lower-cased, for keyword searches; filled lazily. */
  allStrings: string[] | null;
}

/** A compiled predicate over one event. */
export type Matcher = (ctx: EvalContext) => boolean;

/**
 * Where a literal must stand in the (lower-cased) field value: anywhere, at its start, at its end,
 * or be the whole value.
 */
export type AtomKind = 'contains' | 'prefix' | 'suffix' | 'exact';

/**
 * A literal that must occur (lower-cased) in a field for a predicate to be true. `field` null
 * means any string value of the event (keyword searches). `kind` (default contains) says where.
 */
export interface Atom {
  field: string | null;
  literal: string;
  kind?: AtomKind;
}

/**
 * A necessary condition: at least one of the atoms occurs. `null` means no literal is required
 * (the predicate must be evaluated on every event of its log source).
 */
export type AtomSet = Atom[] | null;

/** A compiled predicate with its prefilter condition. */
export interface CompiledPredicate {
  match: Matcher;
  /** Prefilter condition in conjunctive normal form (atoms.ts): every clause has an atom present. */
  clauses: Atom[][];
}

/** Common metadata of rules, correlations and filters. */
export interface RuleMeta {
  file: string;
  id?: string;
  name?: string;
  title: string;
  level?: Level;
  tags: string[];
  status?: string;
}

/** A detection rule, compiled. */
export interface CompiledRule extends RuleMeta {
  key: string;
  logsource: LogSource;
  detection: CompiledPredicate;
}

/** Options that change how values compile. */
export interface CompileOptions {
  /** Values for `|expand` placeholders, by name without the percent signs. */
  placeholders: Record<string, string[]>;
  /** Longest value a regular expression is run on with the backtracking engine. */
  maxRegexSubject: number;
}
