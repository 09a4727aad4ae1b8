/**
 * Log-source mapping: which Sigma log sources an event belongs to, and how Sigma field names map
 * to its fields there. The format is that of SigmaHQ's tests/thor.yml:
 *
 *   logsources:
 *     process_creation_2:                      # a name
 *       category: process_creation             # the Sigma log source of rules it serves
 *       product: windows
 *       conditions: { EventID: 4688 }          # event fields that must hold (a list = any of)
 *       rewrite: { product: windows, service: security }   # ...within this log source
 *       fieldmappings: { Image: NewProcessName }           # Sigma name: event field
 *     windows-security:
 *       product: windows
 *       service: security
 *       sources: ['WinEventLog:Security']      # Channel of a Windows event; other prefixes: the event's source name (glob)
 *   fieldmappings: { ... }                     # optional, for every log source (a firm's own schema)
 */
import YAML from 'yaml';
import type { DetectionEvent, LogSource } from './event.js';
import { readKey } from './field-access.js';
import { SigmaError } from './types.js';

interface Entry {
  name: string;
  ls: LogSource;
  conditions: [string, Set<string>][];
  channels: Set<string>;
  globs: RegExp[];
  rewrite: LogSource | null;
  renames: ReadonlyMap<string, string> | null;
}

/** A compiled mapping. */
export interface LogsourceMapping {
  entries: Entry[];
  global: ReadonlyMap<string, string> | null;
  /** Event fields the resolution reads: the route cache is keyed on their values. */
  keyFields: string[];
  usesSourceName: boolean;
}

/** One log source an event belongs to, with the field renames that apply there. */
export interface DerivedSource {
  ls: LogSource;
  renames: ReadonlyMap<string, string> | null;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const lsKey = (ls: LogSource) => `${ls.product ?? ''}|${ls.category ?? ''}|${ls.service ?? ''}`;
const lower = (v: unknown) => String(v).toLowerCase();

function renamesOf(v: unknown, where: string): Map<string, string> {
  const out = new Map<string, string>();
  if (v === undefined || v === null) return out;
  if (!isMap(v)) throw new SigmaError(`${where}: fieldmappings must be a map of Sigma field: event field`);
  for (const [k, x] of Object.entries(v)) {
    const target = Array.isArray(x) && x.length === 1 ? x[0] : x;
    if (typeof target !== 'string') throw new SigmaError(`${where}: fieldmappings.${k} must name one event field`);
    out.set(k, target);
  }
  return out;
}

function lsOf(v: Record<string, unknown>): LogSource {
  const ls: LogSource = {};
  for (const k of ['product', 'category', 'service'] as const)
    if (typeof v[k] === 'string') ls[k] = (v[k] as string).toLowerCase();
  return ls;
}

const globRegex = (g: string) =>
  new RegExp(
    `^${g
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );

/** Compiles a mapping object (the parsed YAML/JSON shown above). */
export function parseMapping(config: unknown): LogsourceMapping {
  if (!isMap(config)) throw new SigmaError('a log-source mapping must be a map with `logsources`');
  const global = renamesOf(config.fieldmappings, 'mapping');
  const entries: Entry[] = [];
  const keyFields = new Set<string>();
  let usesSourceName = false;
  const sources = config.logsources ?? {};
  if (!isMap(sources)) throw new SigmaError('mapping logsources must be a map');
  for (const [name, raw] of Object.entries(sources)) {
    if (!isMap(raw)) throw new SigmaError(`mapping ${name} must be a map`);
    const conditions: [string, Set<string>][] = [];
    if (raw.conditions !== undefined && raw.conditions !== null) {
      if (!isMap(raw.conditions)) throw new SigmaError(`mapping ${name}: conditions must be a map`);
      for (const [field, want] of Object.entries(raw.conditions)) {
        conditions.push([field, new Set((Array.isArray(want) ? want : [want]).map(lower))]);
        keyFields.add(field);
      }
    }
    const channels = new Set<string>();
    const globs: RegExp[] = [];
    for (const s of Array.isArray(raw.sources) ? raw.sources : []) {
      const src = String(s);
      const m = /^WinEventLog:(.*)$/i.exec(src);
      if (m) {
        channels.add(m[1]!.toLowerCase());
        keyFields.add('Channel');
      } else {
        globs.push(globRegex(src.replace(/^[A-Za-z]+:/, '')));
        usesSourceName = true;
      }
    }
    const entryRenames = renamesOf(raw.fieldmappings, `mapping ${name}`);
    const merged = new Map([...global, ...entryRenames]);
    entries.push({
      name,
      ls: lsOf(raw),
      conditions,
      channels,
      globs,
      rewrite: isMap(raw.rewrite) ? lsOf(raw.rewrite) : null,
      renames: merged.size ? merged : null,
    });
  }
  return { entries, global: global.size ? global : null, keyFields: [...keyFields], usesSourceName };
}

/** Parses mapping YAML (thor.yml format) or JSON text. */
export function parseMappingText(text: string): LogsourceMapping {
  let value: unknown;
  try {
    value = YAML.parse(text, { maxAliasCount: 50 });
  } catch (e) {
    throw new SigmaError(`mapping: ${(e as Error).message.split('\n')[0]}`);
  }
  return parseMapping(value);
}

/** A mapping that maps nothing: events are matched by their own log source and field names. */
export const EMPTY_MAPPING: LogsourceMapping = { entries: [], global: null, keyFields: [], usesSourceName: false };

/** The values the resolution of an event depends on, as one string (the route cache key). */
export function routeSignature(m: LogsourceMapping, e: DetectionEvent): string {
  let sig = `${e.logsource.product ?? ''}|${e.logsource.category ?? ''}|${e.logsource.service ?? ''}`;
  for (const f of m.keyFields) {
    const v = readKey(e.fields, f);
    sig +=
      v === undefined || v === null || typeof v === 'object'
        ? '\u0001'
        : `\u0000${typeof v === 'string' ? v : String(v)}`;
  }
  if (m.usesSourceName) sig += `\u0002${e.source}`;
  return sig;
}

const covers = (outer: LogSource, inner: LogSource) =>
  (inner.product === undefined || inner.product === outer.product) &&
  (inner.category === undefined || inner.category === outer.category) &&
  (inner.service === undefined || inner.service === outer.service);

/** Every log source the event belongs to: its own first, then the mapping's, in file order. */
export function resolveSources(m: LogsourceMapping, e: DetectionEvent): DerivedSource[] {
  const own: LogSource = {};
  for (const k of ['product', 'category', 'service'] as const) {
    const v = e.logsource[k];
    if (typeof v === 'string' && v !== '') own[k] = v.toLowerCase();
  }
  const out: DerivedSource[] = [];
  if (Object.keys(own).length) out.push({ ls: own, renames: m.global });
  const condOk = (en: Entry) =>
    en.conditions.every(([f, want]) => {
      const v = readKey(e.fields, f);
      return v !== undefined && v !== null && typeof v !== 'object' && want.has(lower(v));
    });
  const channel = readKey(e.fields, 'Channel');
  const ch = typeof channel === 'string' ? channel.toLowerCase() : undefined;
  const sourceOk = (en: Entry) => (ch !== undefined && en.channels.has(ch)) || en.globs.some((g) => g.test(e.source));
  const declared = new Map<string, boolean>(); // log source with sources -> does the event come from it
  for (const en of m.entries) {
    if (en.channels.size || en.globs.length) {
      const k = lsKey(en.ls);
      declared.set(k, (declared.get(k) ?? false) || (sourceOk(en) && condOk(en)));
    }
  }
  for (const en of m.entries) {
    if (en.channels.size || en.globs.length) {
      if (sourceOk(en) && condOk(en)) out.push({ ls: en.ls, renames: en.renames });
    } else if (en.rewrite) {
      if (!condOk(en)) continue;
      const target = declared.get(lsKey(en.rewrite));
      if (target === false && !(Object.keys(own).length && covers(own, en.rewrite))) continue;
      out.push({ ls: en.ls, renames: en.renames });
    } else if (en.conditions.length && condOk(en)) out.push({ ls: en.ls, renames: en.renames });
  }
  return out;
}
