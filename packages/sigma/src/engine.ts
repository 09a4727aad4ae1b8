/**
 * The Sigma engine: rules indexed by log source, events routed to the rules of their log sources
 * (through the mapping), a literal prefilter per route, correlations fed by rule hits.
 */
import type { DetectionEvent, LogSource, SigmaMatch } from './event.js';
import { compileRuleSet, type CompiledSet, type EngineRule, type RuleSource } from './compile.js';
import type { CorrelationLimits, Hit } from './correlation.js';
import { makeFeed, planFeeds, type CorrelationFeed, type FeedPlan } from './correlation-feeds.js';
import { CorrelationRuntime, ruleId, type CorrelationStats } from './correlation-runtime.js';
import { readField, readKey } from './field-access.js';
import {
  EMPTY_MAPPING,
  parseMapping,
  resolveSources,
  routeSignature,
  type DerivedSource,
  type LogsourceMapping,
} from './mapping.js';
import { Route, type RouteRule } from './route.js';
import type { CompileReport, EvalContext } from './types.js';
import { DEFAULT_YAML_LIMITS, type YamlLimits } from './yaml-load.js';

export interface SigmaEngineOptions {
  /** Rule files: detection rules, correlation rules and filters, together. */
  rules: RuleSource[];
  /** Log-source mapping (thor.yml format), compiled or as a parsed object. Default: none. */
  mapping?: LogsourceMapping | Record<string, unknown>;
  /** Values of `|expand` placeholders, by name (without `%`). */
  placeholders?: Record<string, string[]>;
  /** Longest value a regular expression looks at (characters). Default 32768. */
  maxRegexSubject?: number;
  correlation?: Partial<CorrelationLimits>;
  yaml?: Partial<YamlLimits>;
  /** The literal prefilter (default on); off, every rule of a route is evaluated on every event (tests compare the two). */
  prefilter?: boolean;
  /**
   * Allowance for late events, in ms (default 5,000): `tick(now)` closes a correlation window only
   * once event time, carried on by the wall clock while input is idle, is this far past its end.
   */
  latenessMs?: number;
  /** Wall clock (epoch ms) read when event time advances, for `tick`. Default Date.now. */
  clock?: () => number;
}

export type { CorrelationStats };

/** A compiled rule set. `flush` judges open correlation windows at the end of input. */
export interface SigmaEngine {
  readonly report: CompileReport;
  /** Matches of these events, in order (synchronous; correlation state is kept between calls). */
  process(events: DetectionEvent[]): SigmaMatch[];
  flush(): SigmaMatch[];
  /**
   * Stage one of two-stage evaluation: the matches of emitting detection rules, and the feeds for
   * correlations (one per correlation a hit feeds; a `Correlator` consumes them); `maxTime` is the
   * latest event time (-Infinity for no events). Touches no correlation state.
   */
  evaluate(events: DetectionEvent[]): { matches: SigmaMatch[]; feeds: CorrelationFeed[]; maxTime: number };
  /**
   * Wall clock `now` (epoch ms): when input has been idle, event time is taken to have gone on with
   * the wall clock since it last advanced, less `latenessMs`; correlation windows that ended before
   * that are judged (matches as from `process`). A no-op while events keep event time moving.
   */
  tick(now: number): SigmaMatch[];
  /** Number of correlation groups held (bounded state). */
  correlationState(): number;
  correlationStats(): CorrelationStats;
}

/** Defaults: 100,000 groups per correlation, 10,000 values per group, 20 events per match, 64 MiB of state in all. */
export const DEFAULT_CORRELATION_LIMITS: CorrelationLimits = {
  maxGroups: 100_000,
  maxPerGroup: 10_000,
  maxEventsInMatch: 20,
  maxStateBytes: 64 * 1024 * 1024,
};
export const DEFAULT_LATENESS_MS = 5_000;

const lsKey = (p: string, c: string, s: string) => `${p}|${c}|${s}`;

/** The rule set of `options`, compiled, and its correlations' run time (an engine's or a correlator's). */
export function compileForRun(
  options: SigmaEngineOptions,
  scope: 'all' | 'correlations' = 'all',
): { set: CompiledSet; runtime: CorrelationRuntime } {
  const limits: CorrelationLimits = { ...DEFAULT_CORRELATION_LIMITS, ...options.correlation };
  const set = compileRuleSet(
    options.rules,
    { placeholders: options.placeholders ?? {}, maxRegexSubject: options.maxRegexSubject ?? 32_768 },
    limits,
    { ...DEFAULT_YAML_LIMITS, ...options.yaml },
    scope,
  );
  const runtime = new CorrelationRuntime(
    set.correlations,
    limits,
    options.latenessMs ?? DEFAULT_LATENESS_MS,
    options.clock ?? Date.now,
  );
  return { set, runtime };
}

export function createSigmaEngine(options: SigmaEngineOptions): SigmaEngine {
  const { set, runtime: rt } = compileForRun(options);
  const mapping: LogsourceMapping =
    options.mapping === undefined
      ? EMPTY_MAPPING
      : 'entries' in options.mapping
        ? (options.mapping as LogsourceMapping)
        : parseMapping(options.mapping);

  const index = new Map<string, EngineRule[]>();
  for (const r of set.rules) {
    const k = lsKey(r.logsource.product ?? '', r.logsource.category ?? '', r.logsource.service ?? '');
    index.set(k, [...(index.get(k) ?? []), r]);
  }
  const rulesFor = (ls: LogSource): EngineRule[] => {
    const out: EngineRule[] = [];
    for (const p of ls.product ? [ls.product, ''] : [''])
      for (const c of ls.category ? [ls.category, ''] : [''])
        for (const s of ls.service ? [ls.service, ''] : ['']) out.push(...(index.get(lsKey(p, c, s)) ?? []));
    return out;
  };

  // Routes, cached by the event values that decide them, and shared by equal sets of log sources.
  const renameIds = new Map<ReadonlyMap<string, string>, number>();
  const routeBySources = new Map<string, Route>();
  const routeBySignature = new Map<string, Route>();
  const buildRoute = (derived: DerivedSource[]): Route => {
    const key = derived
      .map(
        (d) =>
          `${lsKey(d.ls.product ?? '', d.ls.category ?? '', d.ls.service ?? '')}#${d.renames ? (renameIds.get(d.renames) ?? renameIds.set(d.renames, renameIds.size).size - 1) : -1}`,
      )
      .join(',');
    let route = routeBySources.get(key);
    if (route) return route;
    const seen = new Set<EngineRule>();
    const rrs: RouteRule[] = [];
    for (const d of derived)
      for (const rule of rulesFor(d.ls)) {
        if (seen.has(rule)) continue;
        seen.add(rule);
        rrs.push({ rule, renames: d.renames });
      }
    rrs.sort((a, b) => Number(a.rule.key) - Number(b.rule.key));
    route = new Route(rrs, { prefilter: options.prefilter ?? true });
    routeBySources.set(key, route);
    return route;
  };
  // The previous event's route and the values that decided it: consecutive events of one source
  // mostly share them, and comparing a few values is cheaper than building the signature.
  const keyFields = mapping.keyFields;
  const lastKey: unknown[] = [];
  let lastRoute: Route | null = null;
  const sameAsLast = (e: DetectionEvent): boolean => {
    if (
      lastRoute === null ||
      lastKey[0] !== e.logsource.product ||
      lastKey[1] !== e.logsource.category ||
      lastKey[2] !== e.logsource.service ||
      lastKey[3] !== e.source
    )
      return false;
    for (let i = 0; i < keyFields.length; i++) if (readKey(e.fields, keyFields[i]!) !== lastKey[4 + i]) return false;
    return true;
  };
  const routeOf = (e: DetectionEvent): Route => {
    if (sameAsLast(e)) return lastRoute!;
    const sig = routeSignature(mapping, e);
    let r = routeBySignature.get(sig);
    if (!r) {
      if (routeBySignature.size > 4096) routeBySignature.clear();
      r = buildRoute(resolveSources(mapping, e));
      routeBySignature.set(sig, r);
    }
    lastKey.length = 0;
    lastKey.push(e.logsource.product, e.logsource.category, e.logsource.service, e.source);
    for (const f of keyFields) lastKey.push(readKey(e.fields, f));
    lastRoute = r;
    return r;
  };

  const ctx: EvalContext = {
    event: undefined as unknown as DetectionEvent,
    fields: {},
    renames: null,
    lower: new Map(),
    allStrings: null,
  };
  const nodes = rt.nodes;
  let plans: Map<EngineRule, FeedPlan[]> | null = null;

  /** Routes `e` and evaluates its candidate rules: matches of emitting rules to `out`, feeding rules to `feeding`. */
  const detect = (e: DetectionEvent, out: SigmaMatch[], feeding: (rule: EngineRule, e: DetectionEvent) => void) => {
    ctx.event = e;
    ctx.fields = e.fields;
    ctx.lower.clear();
    ctx.allStrings = null;
    ctx.renames = null;
    const route = routeOf(e);
    const slots = route.candidates(ctx);
    for (let i = 0; i < slots.length; i++) {
      const rr = route.rules[slots[i]!]!;
      ctx.renames = rr.renames;
      if (!rr.rule.detection.match(ctx)) continue;
      const rule = rr.rule;
      if (rule.emits)
        out.push({
          ruleId: ruleId(rule),
          ruleTitle: rule.title,
          level: rule.level ?? 'medium',
          tags: rule.tags,
          kind: 'detection',
          events: [e],
          time: e.time,
        });
      if (rule.feeds.length) feeding(rule, e);
    }
  };
  const read = (f: string) => readField(ctx, f);

  /** `process`: a rule's hit goes straight to the correlations it feeds (matches to `processOut`). */
  let processOut: SigmaMatch[] = [];
  const feedNow = (rule: EngineRule, e: DetectionEvent) => {
    const hit: Hit = { time: e.time, events: [e], get: read };
    for (const feed of rule.feeds) rt.hit(feed.node, feed.indices, hit, processOut);
  };

  return {
    report: set.report,
    process(events) {
      const out: SigmaMatch[] = [];
      const before = rt.watermark;
      processOut = out;
      for (const e of events) {
        detect(e, out, feedNow);
        if (nodes.length && e.time > rt.watermark) rt.advance(e.time, out);
      }
      processOut = [];
      if (rt.watermark > before) rt.touched();
      return out;
    },
    evaluate(events) {
      const matches: SigmaMatch[] = [];
      const feeds: CorrelationFeed[] = [];
      let maxTime = -Infinity;
      plans ??= planFeeds(set.rules, nodes);
      const feeding = (rule: EngineRule, e: DetectionEvent) => {
        const ps = plans!.get(rule)!;
        for (let i = 0; i < ps.length; i++) feeds.push(makeFeed(ps[i]!, rule.feeds[i]!.indices, e, read));
      };
      for (const e of events) {
        detect(e, matches, feeding);
        if (e.time > maxTime) maxTime = e.time;
      }
      return { matches, feeds, maxTime };
    },
    tick: (now) => rt.tick(now),
    flush: () => rt.flush(),
    correlationState: () => rt.state(),
    correlationStats: () => rt.stats(),
  };
}
