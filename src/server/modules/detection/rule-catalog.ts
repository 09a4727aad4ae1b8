/**
 * The rule catalogue: every rule document of the rule folders and of the uploads, with the metadata the
 * API lists (title in both languages, level, kind, log source, tags, what it refers to), and the plan
 * that turns it plus the enabled/disabled state into the sources the Sigma engine compiles.
 *
 * Metadata is read leniently here (a document the engine will refuse is still listed when it has a
 * title); whether a rule compiles is the engine's word, reported with the build.
 */
import YAML from 'yaml';
import { LEVELS, type Level, type LogSource } from './detection.types.js';
import { DEFAULT_YAML_LIMITS, type RuleSource } from '@tocsin/sigma';
import type { RuleKind } from '../../../shared/rule-schemas.js';

export type RuleOrigin = 'file' | 'uploaded';

/** One rule document of the catalogue. */
export interface CatalogRule {
  /** The id matches carry (as the engine computes it): `id`, else `name`, else `file:title`. */
  id: string;
  /** The document's own `id` field. */
  sigmaId: string | null;
  name: string | null;
  title: string;
  /** zh-CN title: our rules start the description with it, then " — ". */
  titleZh: string | null;
  description: string | null;
  status: string | null;
  level: Level | null;
  kind: RuleKind;
  logsource: LogSource;
  tags: string[];
  /** A correlation's rules, a filter's rules (empty for a filter on any rule), as written (ids or names). */
  refs: string[];
  /** A correlation that asks for the rules it uses to be reported too. */
  generate: boolean;
  file: string;
  origin: RuleOrigin;
  /** The document's own YAML text. */
  yaml: string;
  /** Position in the catalogue (folders in reading order, then uploads oldest first). */
  sortKey: string;
}

/** A rule file as read: its documents (a document without a usable title has `rule` null). */
export interface CatalogFile {
  file: string;
  origin: RuleOrigin;
  text: string;
  /** The bytes as read from disk (the engine checks them for invalid UTF-8). */
  raw?: Buffer;
  /** False when the YAML itself is broken (the file then goes to the engine whole, which reports why). */
  parseable: boolean;
  docs: { yaml: string; rule: CatalogRule | null }[];
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
/** The engine's reading of an id, name or title: a non-blank string, or a number as text. */
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : undefined;
const strings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];

/** "网上交易撞库攻击（…） — failed trading logins …" -> the Chinese title before the dash. */
export function zhTitleOf(description: string | null): string | null {
  if (!description) return null;
  const m = /^\s*([^\n]+?)\s+—\s/.exec(description);
  const head = m?.[1]?.trim();
  return head && head.length <= 200 && /[\u3400-\u9fff]/.test(head) ? head : null;
}

function logsourceOf(v: unknown): LogSource {
  const ls: LogSource = {};
  if (!isMap(v)) return ls;
  for (const k of ['product', 'category', 'service'] as const)
    if (typeof v[k] === 'string') ls[k] = (v[k] as string).toLowerCase();
  return ls;
}

/** The catalogue entry of one parsed document, or null when it has no title (the engine says why it fails). */
function ruleOf(value: unknown, yaml: string, file: string, origin: RuleOrigin, sortKey: string): CatalogRule | null {
  if (!isMap(value)) return null;
  const title = str(value.title);
  if (!title) return null;
  const sigmaId = str(value.id) ?? null;
  const name = str(value.name) ?? null;
  const lv = typeof value.level === 'string' ? value.level.toLowerCase() : '';
  const description = typeof value.description === 'string' ? value.description : null;
  const corr = isMap(value.correlation) ? value.correlation : null;
  const filter =
    value.filter !== undefined && value.detection === undefined && isMap(value.filter) ? value.filter : null;
  const kind: RuleKind = value.correlation !== undefined ? 'correlation' : filter ? 'filter' : 'detection';
  let refs: string[] = [];
  if (corr) refs = strings(corr.rules);
  else if (filter)
    refs =
      typeof filter.rules === 'string' && ['any', 'all'].includes(filter.rules.toLowerCase())
        ? []
        : strings(filter.rules);
  return {
    id: sigmaId ?? name ?? `${file}:${title}`,
    sigmaId,
    name,
    title,
    titleZh: zhTitleOf(description),
    description,
    status: str(value.status) ?? null,
    level: (LEVELS as readonly string[]).includes(lv) ? (lv as Level) : null,
    kind,
    logsource: logsourceOf(value.logsource),
    tags: strings(value.tags),
    refs,
    generate: corr?.generate === true || value.generate === true,
    file,
    origin,
    yaml,
    sortKey,
  };
}

/** Reads one rule file (one or more YAML documents) into the catalogue's terms, within the engine's YAML limits. */
export function readCatalogFile(
  file: string,
  text: string,
  origin: RuleOrigin,
  sortKey: (docIndex: number) => string,
): CatalogFile {
  const limits = DEFAULT_YAML_LIMITS;
  const out: CatalogFile = { file, origin, text, parseable: true, docs: [] };
  if (Buffer.byteLength(text) > limits.maxFileBytes) return { ...out, parseable: false };
  let all: YAML.Document.Parsed[];
  try {
    all = YAML.parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false }) as YAML.Document.Parsed[];
  } catch {
    return { ...out, parseable: false };
  }
  if (!Array.isArray(all) || all.length > limits.maxDocuments) return { ...out, parseable: false };
  all.forEach((doc, index) => {
    if (doc.errors.length) {
      out.parseable = false;
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch {
      out.parseable = false;
      return;
    }
    if (value === null || value === undefined) return; // an empty document (a trailing `---`)
    const [start, , end] = doc.range;
    const yaml = `${text
      .slice(start, end)
      .replace(/^---[ \t]*(#[^\n]*)?\r?\n/, '')
      .replace(/\s+$/, '')}\n`;
    out.docs.push({ yaml, rule: ruleOf(value, yaml, file, origin, sortKey(index)) });
  });
  return out;
}

export interface Catalog {
  files: CatalogFile[];
  /** One entry per rule id, first come first served (a later duplicate is the engine's compile error). */
  rules: CatalogRule[];
  byId: Map<string, CatalogRule>;
  /** Ids, then names not already taken, as correlations and filters refer to rules. */
  byRef: Map<string, CatalogRule>;
  /** Rules whose matches become alerts (not only feeding correlations that do not `generate` them). */
  reported: Set<CatalogRule>;
  /** Correlations and filters that refer to each rule. */
  usedBy: Map<CatalogRule, CatalogRule[]>;
}

export function buildCatalog(files: CatalogFile[]): Catalog {
  const rules: CatalogRule[] = [];
  const byId = new Map<string, CatalogRule>();
  for (const f of files) {
    for (const d of f.docs) {
      if (!d.rule || byId.has(d.rule.id)) continue;
      byId.set(d.rule.id, d.rule);
      rules.push(d.rule);
    }
  }
  const byRef = new Map<string, CatalogRule>();
  for (const r of rules) if (r.sigmaId) byRef.set(r.sigmaId, r);
  for (const r of rules) if (r.name && !byRef.has(r.name)) byRef.set(r.name, r);
  const usedBy = new Map<CatalogRule, CatalogRule[]>();
  const quietOnly = new Map<CatalogRule, boolean>();
  for (const c of rules) {
    for (const ref of c.refs) {
      const target = byRef.get(ref);
      if (!target) continue;
      const users = usedBy.get(target) ?? [];
      if (!users.includes(c)) users.push(c);
      usedBy.set(target, users);
      if (c.kind === 'correlation') quietOnly.set(target, (quietOnly.get(target) ?? true) && !c.generate);
    }
  }
  const reported = new Set(rules.filter((r) => !quietOnly.get(r)));
  return { files, rules, byId, byRef, reported, usedBy };
}

/** What to compile: the rule sources, and the rule ids whose matches must not become alerts. */
export interface RuleSetPlan {
  sources: RuleSource[];
  muted: Set<string>;
  /** Rules compiled into the engine (enabled ones and those enabled rules need). */
  included: Set<CatalogRule>;
}

/**
 * Enabled rules that are reported, enabled filters, and everything those refer to (transitively) are
 * compiled. A disabled rule that an enabled correlation uses is compiled so it still feeds the
 * correlation, but its own matches are muted; so are the matches of a rule that, in the whole set,
 * only feeds correlations (it must not start alerting on its own when its correlation is disabled).
 * Documents the catalogue could not read (no title, broken YAML) always go to the engine, which
 * reports why they fail.
 */
export function planRuleSet(cat: Catalog, disabled: ReadonlySet<string>): RuleSetPlan {
  const included = new Set<CatalogRule>();
  const include = (r: CatalogRule) => {
    if (included.has(r)) return;
    included.add(r);
    for (const ref of r.refs) {
      const t = cat.byRef.get(ref);
      if (t) include(t);
    }
  };
  for (const r of cat.rules) if (!disabled.has(r.id) && (r.kind === 'filter' || cat.reported.has(r))) include(r);

  const sources: RuleSource[] = [];
  for (const f of cat.files) {
    if (!f.parseable) {
      sources.push({ file: f.file, text: f.raw ?? f.text });
      continue;
    }
    const keep = f.docs.filter((d) => !d.rule || cat.byId.get(d.rule.id) !== d.rule || included.has(d.rule));
    if (keep.length === 0) continue;
    sources.push({
      file: f.file,
      text: keep.length === f.docs.length ? (f.raw ?? f.text) : keep.map((d) => d.yaml).join('---\n'),
    });
  }
  const muted = new Set<string>();
  for (const r of included) if (disabled.has(r.id) || !cat.reported.has(r)) muted.add(r.id);
  return { sources, muted, included };
}

/** The rules a set of rules refers to, transitively (for compiling an upload with only what it needs). */
export function referencedClosure(cat: Catalog, refs: string[]): CatalogRule[] {
  const out = new Set<CatalogRule>();
  const visit = (ref: string) => {
    const r = cat.byRef.get(ref);
    if (!r || out.has(r)) return;
    out.add(r);
    r.refs.forEach(visit);
  };
  refs.forEach(visit);
  return [...out];
}
