/** Classifies a YAML document as a detection rule, a correlation rule or a filter, and checks its shape. */
import { LEVELS, type Level, type LogSource } from './event.js';
import { SigmaError, type RuleMeta } from './types.js';

export const CORRELATION_TYPES = [
  'event_count',
  'value_count',
  'temporal',
  'temporal_ordered',
  'value_sum',
  'value_avg',
  'value_percentile',
] as const;
export type CorrelationType = (typeof CORRELATION_TYPES)[number];
export const COND_OPS = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'] as const;
export type CondOp = (typeof COND_OPS)[number];

export interface ParsedRule {
  kind: 'rule';
  meta: RuleMeta;
  logsource: LogSource;
  detection: unknown;
}
export interface ParsedCorrelation {
  kind: 'correlation';
  meta: RuleMeta;
  type: CorrelationType;
  rules: string[];
  groupBy: string[];
  timespanMs: number;
  condition: { op: CondOp; value: number }[];
  field: string[];
  aliases: Record<string, Record<string, string>>;
  generate: boolean;
}
export interface ParsedFilter {
  kind: 'filter';
  meta: RuleMeta;
  logsource: LogSource;
  rules: string[] | 'any';
  filter: Record<string, unknown>;
}
export type ParsedDoc = ParsedRule | ParsedCorrelation | ParsedFilter;

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : undefined;

function meta(doc: Record<string, unknown>, file: string): RuleMeta {
  const title = str(doc.title);
  if (!title) throw new SigmaError('rule has no title');
  let level: Level | undefined;
  if (doc.level !== undefined && doc.level !== null) {
    const l = String(doc.level).toLowerCase();
    if (!(LEVELS as readonly string[]).includes(l))
      throw new SigmaError(`unknown level "${String(doc.level)}" (one of ${LEVELS.join(', ')})`);
    level = l as Level;
  }
  const tags = Array.isArray(doc.tags) ? doc.tags.filter((t): t is string => typeof t === 'string') : [];
  return { file, id: str(doc.id), name: str(doc.name), title, level, tags, status: str(doc.status) };
}

export function parseLogsource(v: unknown): LogSource {
  if (!isMap(v)) throw new SigmaError('logsource must be a map');
  const ls: LogSource = {};
  for (const k of ['product', 'category', 'service'] as const) {
    const x = v[k];
    if (x === undefined || x === null) continue;
    if (typeof x !== 'string') throw new SigmaError(`logsource ${k} must be a string`);
    ls[k] = x.toLowerCase();
  }
  return ls;
}

/** `90m` -> milliseconds. */
export function parseTimespan(v: unknown): number {
  const m = typeof v === 'string' ? /^\s*(\d+)\s*([smhdw])\s*$/.exec(v) : null;
  if (!m) throw new SigmaError(`timespan ${JSON.stringify(v)} is not a number followed by s, m, h, d or w`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as 's'];
  const ms = Number(m[1]) * unit;
  if (ms <= 0) throw new SigmaError('timespan must be positive');
  return ms;
}

const stringList = (v: unknown, what: string): string[] => {
  const list = typeof v === 'string' ? [v] : Array.isArray(v) ? v : null;
  if (!list || list.some((x) => typeof x !== 'string' || x === ''))
    throw new SigmaError(`${what} must be a string or a list of strings`);
  return list as string[];
};

function parseCorrelation(doc: Record<string, unknown>, m: RuleMeta): ParsedCorrelation {
  const c = doc.correlation;
  if (!isMap(c)) throw new SigmaError('correlation must be a map');
  const type = String(c.type) as CorrelationType;
  if (!CORRELATION_TYPES.includes(type))
    throw new SigmaError(`unknown correlation type "${String(c.type)}" (one of ${CORRELATION_TYPES.join(', ')})`);
  const rules = stringList(c.rules, 'correlation rules');
  if (rules.length === 0) throw new SigmaError('correlation refers to no rules');
  const groupBy = c['group-by'] === undefined || c['group-by'] === null ? [] : stringList(c['group-by'], 'group-by');
  const timespanMs = parseTimespan(c.timespan ?? c.timeframe);
  const condition: { op: CondOp; value: number }[] = [];
  let field: string[] = [];
  const temporal = type === 'temporal' || type === 'temporal_ordered';
  if (c.condition !== undefined && c.condition !== null) {
    if (!isMap(c.condition)) throw new SigmaError('correlation condition must be a map such as {gte: 10}');
    for (const [k, v] of Object.entries(c.condition)) {
      if (k === 'field') field = stringList(v, 'condition field');
      else if ((COND_OPS as readonly string[]).includes(k)) {
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new SigmaError(`condition ${k} must be a number`);
        condition.push({ op: k as CondOp, value: v });
      } else throw new SigmaError(`unknown correlation condition "${k}" (one of ${COND_OPS.join(', ')}, field)`);
    }
  }
  if (!temporal && condition.length === 0)
    throw new SigmaError(`${type} correlation needs a condition such as {gte: 10}`);
  if (['value_count', 'value_sum', 'value_avg', 'value_percentile'].includes(type) && field.length === 0)
    throw new SigmaError(`${type} correlation needs condition.field`);
  const aliases: Record<string, Record<string, string>> = {};
  if (c.aliases !== undefined && c.aliases !== null) {
    if (!isMap(c.aliases)) throw new SigmaError('aliases must be a map');
    for (const [alias, per] of Object.entries(c.aliases)) {
      if (!isMap(per) || Object.values(per).some((x) => typeof x !== 'string'))
        throw new SigmaError(`alias ${alias} must map rule names to field names`);
      aliases[alias] = per as Record<string, string>;
    }
  }
  const generate = c.generate === true || doc.generate === true;
  return { kind: 'correlation', meta: m, type, rules, groupBy, timespanMs, condition, field, aliases, generate };
}

function parseFilter(doc: Record<string, unknown>, m: RuleMeta): ParsedFilter {
  const f = doc.filter;
  if (!isMap(f)) throw new SigmaError('filter must be a map');
  if (doc.logsource === undefined) throw new SigmaError('filter has no logsource');
  const logsource = parseLogsource(doc.logsource);
  let rules: string[] | 'any';
  if (typeof f.rules === 'string' && ['any', 'all'].includes(f.rules.toLowerCase())) rules = 'any';
  else if (Array.isArray(f.rules) && f.rules.length === 0) rules = 'any';
  else if (f.rules === undefined) throw new SigmaError("filter has no rules (a list of rule ids or names, or 'any')");
  else rules = stringList(f.rules, 'filter rules');
  return { kind: 'filter', meta: m, logsource, rules, filter: f };
}

/** Reads one YAML document of a rule file, or throws SigmaError with the reason. */
export function parseDocument(value: unknown, file: string): ParsedDoc {
  if (!isMap(value)) throw new SigmaError('a rule must be a YAML map');
  if (value.action !== undefined)
    throw new SigmaError(
      `"action: ${String(value.action)}" rule collections (Sigma 1.0) are not supported; write each rule out in full`,
    );
  const m = meta(value, file);
  if (value.correlation !== undefined) return parseCorrelation(value, m);
  if (value.filter !== undefined && value.detection === undefined) return parseFilter(value, m);
  if (value.detection === undefined) throw new SigmaError('rule has no detection, correlation or filter section');
  if (value.logsource === undefined) throw new SigmaError('rule has no logsource');
  return { kind: 'rule', meta: m, logsource: parseLogsource(value.logsource), detection: value.detection };
}
