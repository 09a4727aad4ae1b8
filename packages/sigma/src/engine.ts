/**
 * The Sigma engine: rules indexed by log source, events routed to the rules of their log sources
 * (through the mapping), a literal prefilter per route, correlations fed by rule hits.
 */
import type { DetectionEvent, LogSource, SigmaMatch } from './event.js';
import { compileRuleSet, type EngineRule, type RuleSource } from './compile.js';
import type { CorrelationLimits, CorrelationNode, Fire, Hit } from './correlation.js';
import { StateBudget } from './correlation-state.js';
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

/** Correlation state, for memory checks. */
export interface CorrelationStats {
  /** Groups held across all correlations. */
  groups: number;
  /** Distinct events they keep as samples. */
  events: number;
  /** Approximate bytes they hold (events counted once), and the budget. */
  bytes: number;
  maxBytes: number;
  /** Sample events given up to stay within the byte budget (the groups' counts stay). */
  shedEvents: number;
  /** Groups dropped to stay within `maxGroups` or the byte budget (their counts are lost). */
  evictedGroups: number;
}

/** A compiled rule set. `flush` judges open correlation windows at the end of input. */
export interface SigmaEngine {
  readonly report: CompileReport;
  /** Matches of these events, in order (synchronous; correlation state is kept between calls). */
  process(events: DetectionEvent[]): SigmaMatch[];
  flush(): SigmaMatch[];
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
const ruleId = (r: { id?: string; name?: string; title: string; file: string }) =>
  r.id ?? r.name ?? `${r.file}:${r.title}`;

export function createSigmaEngine(options: SigmaEngineOptions): SigmaEngine {
  const limits: CorrelationLimits = { ...DEFAULT_CORRELATION_LIMITS, ...options.correlation };
  const set = compileRuleSet(
    options.rules,
    { placeholders: options.placeholders ?? {}, maxRegexSubject: options.maxRegexSubject ?? 32_768 },
    limits,
    { ...DEFAULT_YAML_LIMITS, ...options.yaml },
  );
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
  let watermark = -Infinity;

  const toMatch = (f: Fire): SigmaMatch => ({
    ruleId: ruleId(f.node.meta),
    ruleTitle: f.node.meta.title,
    level: f.node.meta.level ?? 'medium',
    tags: f.node.meta.tags,
    kind: 'correlation',
    events: f.events,
    group: f.group,
    time: f.time,
  });
  const fireHit = (f: Fire): Hit => {
    const last = f.events[f.events.length - 1];
    return {
      time: f.time,
      events: f.events,
      get: (field) => (field in f.group ? f.group[field] : last ? readKey(last.fields, field) : undefined),
    };
  };
  /** Reports firings and feeds them to the correlations that reference them, depth first. */
  const emit = (fires: Fire[], out: SigmaMatch[]) => {
    for (const f of fires) {
      if (f.node.emits) out.push(toMatch(f));
      for (const p of f.node.parents) {
        const next: Fire[] = [];
        p.node.onHit([p.index], fireHit(f), next);
        emit(next, out);
      }
    }
  };
  const nodes: CorrelationNode[] = set.correlations;
  const budget = new StateBudget(limits.maxStateBytes);
  for (const n of nodes) {
    n.budget = budget;
    budget.members.push(n);
  }
  const lateness = options.latenessMs ?? DEFAULT_LATENESS_MS;
  const clock = options.clock ?? Date.now;
  /** Wall time when event time (`watermark`) last advanced, and the event time `tick` carried it to. */
  let seenAt = 0;
  let ticked = -Infinity;
  const advanceAll = (t: number, out: SigmaMatch[]) => {
    for (const n of nodes) {
      const fires: Fire[] = [];
      n.advance(t, fires);
      emit(fires, out);
    }
  };

  const processOne = (e: DetectionEvent, out: SigmaMatch[]) => {
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
      if (rule.feeds.length) {
        const hit: Hit = { time: e.time, events: [e], get: (f) => readField(ctx, f) };
        for (const feed of rule.feeds) {
          const fires: Fire[] = [];
          feed.node.onHit(feed.indices, hit, fires);
          emit(fires, out);
        }
      }
    }
    if (nodes.length && e.time > watermark) {
      watermark = e.time;
      advanceAll(e.time, out);
    }
  };

  return {
    report: set.report,
    process(events) {
      const out: SigmaMatch[] = [];
      const before = watermark;
      for (const e of events) processOne(e, out);
      if (watermark > before) seenAt = clock();
      return out;
    },
    tick(now) {
      const out: SigmaMatch[] = [];
      if (!nodes.length || watermark === -Infinity) return out;
      const t = watermark + (now - seenAt) - lateness;
      if (t <= watermark || t <= ticked) return out;
      ticked = t;
      for (const n of nodes) {
        const fires: Fire[] = [];
        n.advance(t, fires, true);
        emit(fires, out);
      }
      return out;
    },
    flush() {
      const out: SigmaMatch[] = [];
      for (const n of nodes) {
        const fires: Fire[] = [];
        n.flush(fires);
        emit(fires, out);
      }
      return out;
    },
    correlationState: () => nodes.reduce((a, n) => a + n.size, 0),
    correlationStats: () => ({
      groups: nodes.reduce((a, n) => a + n.size, 0),
      events: budget.events,
      bytes: Math.max(0, Math.round(budget.bytes)),
      maxBytes: limits.maxStateBytes,
      shedEvents: budget.shed,
      evictedGroups: budget.evicted,
    }),
  };
}
