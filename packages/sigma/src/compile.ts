/**
 * Compiles a set of rule files: detection rules, filters (applied to the rules they name) and
 * correlations (wired to the rules and correlations they reference). Every failure is collected
 * with its file and reason; one bad rule never stops the others.
 */
import { LEVELS, type Level, type LogSource } from './event.js';
import type { CorrelationLimits, CorrelationNode } from './correlation.js';
import { createCorrelationNode } from './correlation-modes.js';
import { compileDetection, compileFilterCondition, withFilters } from './detection.js';
import { parseDocument, type ParsedCorrelation, type ParsedFilter } from './rule-parse.js';
import {
  SigmaError,
  type CompileError,
  type CompileOptions,
  type CompileReport,
  type CompiledPredicate,
  type CompiledRule,
} from './types.js';
import { DEFAULT_YAML_LIMITS, parseRuleSource, type YamlLimits } from './yaml-load.js';

/** A rule file's content. */
export interface RuleSource {
  file: string;
  text: string | Buffer;
}

/** A detection rule with the correlations it feeds. */
export interface EngineRule extends CompiledRule {
  /** Reported on its own (false when only correlations use it and none asks to generate it). */
  emits: boolean;
  /** Correlations fed by this rule, with the reference indices it holds in each. */
  feeds: { node: CorrelationNode; indices: number[] }[];
}

export interface CompiledSet {
  rules: EngineRule[];
  /** Correlations, children before the correlations that reference them. */
  correlations: CorrelationNode[];
  report: CompileReport;
}

const reason = (e: unknown) =>
  e instanceof SigmaError ? e.message : `internal error: ${(e as Error)?.message ?? String(e)}`;
const levelRank = (l: Level | undefined) => (l ? LEVELS.indexOf(l) : -1);

/** Every logsource field the filter names equals the rule's. */
const lsCovers = (rule: LogSource, filter: LogSource) =>
  (['product', 'category', 'service'] as const).every((k) => filter[k] === undefined || filter[k] === rule[k]);

/** A detection never evaluated (a correlator's rules: stage one evaluates them). */
const NOT_EVALUATED: CompiledPredicate = { match: () => false, clauses: [] };

export function compileRuleSet(
  sources: RuleSource[],
  opts: CompileOptions,
  limits: CorrelationLimits,
  yamlLimits: YamlLimits = DEFAULT_YAML_LIMITS,
  /**
   * `correlations`: for a correlator, which never evaluates detections: only the rules correlations
   * refer to are compiled (to know whether they compile, as the correlations that read them depend on
   * it), filters are left out, and the report says nothing of the rest.
   */
  scope: 'all' | 'correlations' = 'all',
): CompiledSet {
  const errors: CompileError[] = [];
  const rules: EngineRule[] = [];
  const filters: { f: ParsedFilter; pred: CompiledPredicate }[] = [];
  const correlations: ParsedCorrelation[] = [];
  const byRef = new Map<string, EngineRule>();
  const seenIds = new Map<string, string>();
  let referenced: Set<string> | null = null;
  if (scope === 'correlations') {
    referenced = new Set();
    for (const src of sources)
      for (const doc of parseRuleSource(src, yamlLimits).docs) {
        const rs = (doc.value as { correlation?: { rules?: unknown } } | null)?.correlation?.rules;
        if (Array.isArray(rs)) for (const r of rs) referenced.add(String(r));
        else if (rs !== undefined) referenced.add(String(rs));
      }
  }
  const needed = (m: { id?: string; name?: string }) =>
    referenced === null ||
    (m.id !== undefined && referenced.has(m.id)) ||
    (m.name !== undefined && referenced.has(m.name));

  for (const src of sources) {
    const y = parseRuleSource(src, yamlLimits);
    for (const e of y.errors)
      errors.push({
        file: src.file,
        reason: e.index !== undefined && e.index > 0 ? `document ${e.index + 1}: ${e.reason}` : e.reason,
      });
    for (const doc of y.docs) {
      const rawId = (doc.value as { id?: unknown })?.id;
      const ruleId = typeof rawId === 'string' ? rawId : undefined;
      const where = y.docs.length > 1 ? `document ${doc.index + 1}: ` : '';
      try {
        const parsed = parseDocument(doc.value, src.file);
        const id = parsed.meta.id;
        if (id !== undefined) {
          const other = seenIds.get(id);
          if (other !== undefined) throw new SigmaError(`duplicate rule id ${id} (also in ${other})`);
          seenIds.set(id, src.file);
        }
        if (parsed.kind === 'rule') {
          const detection = needed(parsed.meta) ? compileDetection(parsed.detection, opts) : NOT_EVALUATED;
          const rule: EngineRule = {
            ...parsed.meta,
            key: String(rules.length),
            logsource: parsed.logsource,
            detection,
            emits: true,
            feeds: [],
          };
          rules.push(rule);
          if (rule.id) byRef.set(rule.id, rule);
          if (rule.name && !byRef.has(rule.name)) byRef.set(rule.name, rule);
        } else if (parsed.kind === 'filter') {
          if (referenced === null) filters.push({ f: parsed, pred: compileFilterCondition(parsed.filter, opts) });
        } else correlations.push(parsed);
      } catch (e) {
        errors.push({ file: src.file, ruleId, reason: where + reason(e) });
      }
    }
  }

  // Filters: AND their condition into every rule they name whose log source they cover.
  const applied = new Map<EngineRule, CompiledPredicate[]>();
  for (const { f, pred } of filters) {
    const targets =
      f.rules === 'any' ? rules : f.rules.map((r) => byRef.get(r)).filter((r): r is EngineRule => r !== undefined);
    if (f.rules !== 'any')
      for (const r of f.rules)
        if (!byRef.has(r))
          errors.push({
            file: f.meta.file,
            ruleId: f.meta.id,
            reason: `filter refers to rule ${r}, which is not loaded (the filter still applies to the others)`,
          });
    for (const rule of targets)
      if (lsCovers(rule.logsource, f.logsource)) applied.set(rule, [...(applied.get(rule) ?? []), pred]);
  }
  for (const [rule, preds] of applied) rule.detection = withFilters(rule.detection, preds);

  // Correlations: compile those whose references all resolve, children first.
  const nodes: CorrelationNode[] = [];
  const nodeByRef = new Map<string, CorrelationNode>();
  const pending = new Set(correlations);
  const failed = new Set<string>();
  const refsOf = (c: ParsedCorrelation) => c.rules;
  for (let progress = true; progress && pending.size; ) {
    progress = false;
    for (const c of [...pending]) {
      const missing: string[] = [];
      const blocked: string[] = [];
      for (const r of refsOf(c)) {
        if (byRef.has(r) || nodeByRef.has(r)) continue;
        if (failed.has(r)) blocked.push(r);
        else if (![...pending].some((p) => p.meta.id === r || p.meta.name === r)) missing.push(r);
        else blocked.push(r);
      }
      const fail = (why: string) => {
        errors.push({ file: c.meta.file, ruleId: c.meta.id, reason: why });
        pending.delete(c);
        if (c.meta.id) failed.add(c.meta.id);
        if (c.meta.name) failed.add(c.meta.name);
        progress = true;
      };
      if (missing.length) {
        fail(
          `correlation refers to ${missing.map((m) => `"${m}"`).join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not a loaded rule or correlation`,
        );
        continue;
      }
      if (blocked.some((b) => failed.has(b))) {
        fail(`correlation refers to ${blocked.filter((b) => failed.has(b)).join(', ')}, which did not compile`);
        continue;
      }
      if (blocked.length) continue; // waits for a correlation still pending
      const refNames = c.rules.map((r) => {
        const target = byRef.get(r) ?? nodeByRef.get(r)!.meta;
        return [r, ...(target.name ? [target.name] : []), ...(target.id ? [target.id] : [])];
      });
      const levels = c.rules.map((r) => (byRef.get(r) ?? nodeByRef.get(r)!.meta).level);
      const level =
        c.meta.level ?? levels.reduce<Level | undefined>((a, l) => (levelRank(l) > levelRank(a) ? l : a), undefined);
      const node = createCorrelationNode({ ...c.meta, level }, c, refNames, limits);
      c.rules.forEach((r, index) => {
        const rule = byRef.get(r);
        if (rule) {
          const feed = rule.feeds.find((f) => f.node === node);
          if (feed) feed.indices.push(index);
          else rule.feeds.push({ node, indices: [index] });
        } else nodeByRef.get(r)!.parents.push({ node, index });
      });
      nodes.push(node);
      if (c.meta.id) nodeByRef.set(c.meta.id, node);
      if (c.meta.name) nodeByRef.set(c.meta.name, node);
      pending.delete(c);
      progress = true;
    }
  }
  for (const c of pending)
    errors.push({ file: c.meta.file, ruleId: c.meta.id, reason: 'correlation is part of a reference cycle' });

  // `generate`: what correlations use is reported on its own only when one of them asks for it.
  for (const rule of rules) if (rule.feeds.length) rule.emits = rule.feeds.some((f) => f.node.spec.generate);
  for (const node of nodes) if (node.parents.length) node.emits = node.parents.some((p) => p.node.spec.generate);

  return {
    rules,
    correlations: nodes,
    report: {
      compiled: rules.length + filters.length + nodes.length,
      rules: rules.length,
      filters: filters.length,
      correlations: nodes.length,
      errors,
    },
  };
}
