/**
 * Data for bench:detect, generated deterministically from a seed: events in our own log sources, derived
 * from the rules in rules/tocsin (their log sources, field names and test events). The Sysmon
 * process-creation events are the Sigma package's benchmark workload (packages/sigma/bench).
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { readJsonValues } from '@tocsin/sigma';
import { type EventSet, type Rng, rng, toEventSet } from '../packages/sigma/bench/event-set.js';

/** FNV-1a: a stable hash for partitioning events by a key. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
// ---------------------------------------------------------------- our own log sources (rules/tocsin)

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
type Ls = { product?: string; category?: string; service?: string };
const LS_KEYS = ['product', 'category', 'service'] as const;
const lsKey = (ls: Ls) => LS_KEYS.map((k) => ls[k] ?? '').join('|');
const lsOf = (v: unknown): Ls => {
  const out: Ls = {};
  if (isMap(v)) for (const k of LS_KEYS) if (typeof v[k] === 'string' && v[k]) out[k] = (v[k] as string).toLowerCase();
  return out;
};
/** A rule's log source applies to an event's when every field the rule names is equal. */
const covers = (rule: Ls, ev: Ls) => LS_KEYS.every((k) => rule[k] === undefined || rule[k] === ev[k]);

/** The log source an event names; an evtx_dump event is `windows` and its channel's service. */
export function eventLogsource(v: Record<string, unknown>): Ls {
  const sys = isMap(v.Event) && isMap(v.Event.System) ? v.Event.System : null;
  if (sys)
    return typeof sys.Channel === 'string' && /^(security|system|application)$/i.test(sys.Channel)
      ? { product: 'windows', service: sys.Channel.toLowerCase() }
      : { product: 'windows' };
  return lsOf(v.logsource);
}

export interface TestEvent {
  value: Record<string, unknown>;
  /** From a file named positive*. */
  positive: boolean;
  /** Its log source's partition group, if a rule applies to it. */
  group: string | null;
}

/** Log sources that correlations tie together: their events must meet on one worker, or be split by `split`. */
export interface PartitionGroup {
  sources: string[];
  /** A field every correlation of the group groups by (events hashed on it); `*` when it has no correlation; null: not splittable. */
  split: string | null;
  why: string;
}

export interface OwnRuleInfo {
  files: number;
  detectionRules: number;
  correlations: number;
  /** Log sources of the detection rules, with the fields their detections name and the literal values they use. */
  logsources: { ls: Ls; fields: Map<string, Set<string | number>> }[];
  /** JSON test events found beside the rules (`*.json`, `*.ndjson`, `*.jsonl`). */
  testEvents: TestEvent[];
  groups: Map<string, PartitionGroup>;
  /** The partition group of an event's log source (the first rule log source that applies), or null. */
  groupOf(ls: Ls): string | null;
}

/** Reads rule files and test events under `dir`: what events our rules expect, and how they may be partitioned. */
export async function inspectOwnRules(dir: string): Promise<OwnRuleInfo> {
  const walk = (d: string): string[] =>
    fs
      .readdirSync(d, { withFileTypes: true })
      .flatMap((e) =>
        e.name.startsWith('.') ? [] : e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)],
      );
  const byLs = new Map<string, OwnRuleInfo['logsources'][number]>();
  const ruleLs = new Map<string, string>(); // rule id or name -> lsKey
  const corrs: { refs: string[]; names: string[]; groupBy: string[]; aliased: boolean }[] = [];
  let files = 0;
  let detectionRules = 0;
  const collect = (det: Record<string, unknown>, into: Map<string, Set<string | number>>) => {
    const visit = (v: unknown) => {
      if (Array.isArray(v)) return v.forEach(visit);
      if (!isMap(v)) return;
      for (const [k, x] of Object.entries(v)) {
        const field = k.split('|')[0]!;
        if (!field) continue;
        const set = into.get(field) ?? new Set();
        into.set(field, set);
        for (const y of Array.isArray(x) ? x : [x]) if (typeof y === 'string' || typeof y === 'number') set.add(y);
      }
    };
    for (const [k, v] of Object.entries(det)) if (k !== 'condition' && k !== 'timeframe') visit(v);
  };
  const raw: { file: string; value: Record<string, unknown> }[] = [];
  for (const f of walk(dir).sort()) {
    if (/\.ya?ml$/i.test(f)) {
      files++;
      let docs: YAML.Document[];
      try {
        docs = YAML.parseAllDocuments(fs.readFileSync(f, 'utf8')) as YAML.Document[];
      } catch {
        continue;
      }
      for (const d of docs) {
        const v: unknown = d.toJS({ maxAliasCount: 50 });
        if (!isMap(v)) continue;
        const names = [v.id, v.name].filter((x): x is string => typeof x === 'string');
        if (isMap(v.correlation)) {
          const c = v.correlation;
          const refs = (Array.isArray(c.rules) ? c.rules : [c.rules]).filter((x): x is string => typeof x === 'string');
          corrs.push({
            refs,
            names,
            groupBy: (Array.isArray(c['group-by']) ? c['group-by'] : []).map(String),
            aliased: isMap(c.aliases) && Object.keys(c.aliases).length > 0,
          });
        } else if (isMap(v.detection) && isMap(v.logsource)) {
          detectionRules++;
          const ls = lsOf(v.logsource);
          const key = lsKey(ls);
          for (const n of names) ruleLs.set(n, key);
          const entry = byLs.get(key) ?? { ls, fields: new Map() };
          byLs.set(key, entry);
          collect(v.detection, entry.fields);
        }
      }
    } else if (/\.(json|ndjson|jsonl)$/i.test(f)) {
      for await (const v of readJsonValues([fs.readFileSync(f, 'utf8')]))
        if ('value' in v && isMap(v.value)) raw.push({ file: f, value: v.value });
    }
  }

  // Union-find over log sources: a correlation ties the log sources of the rules it reads (through chains too).
  const parent = new Map<string, string>([...byLs.keys()].map((k) => [k, k]));
  const find = (k: string): string => (parent.get(k) === k ? k : find(parent.get(k)!));
  const union = (a: string, b: string) => parent.set(find(a), find(b));
  const corrByName = new Map<string, (typeof corrs)[number]>();
  for (const c of corrs) for (const n of c.names) corrByName.set(n, c);
  const basesOf = (c: (typeof corrs)[number], seen = new Set<unknown>()): string[] => {
    if (seen.has(c)) return [];
    seen.add(c);
    return c.refs.flatMap((r) =>
      ruleLs.has(r) ? [ruleLs.get(r)!] : corrByName.has(r) ? basesOf(corrByName.get(r)!, seen) : [],
    );
  };
  const corrBases = corrs.map((c) => basesOf(c));
  for (const b of corrBases) for (const k of b.slice(1)) union(b[0]!, k);
  const sorted = [...byLs.values()].sort((a, b) => Object.keys(b.ls).length - Object.keys(a.ls).length);
  const groupOf = (ls: Ls): string | null => {
    const hit = sorted.find((e) => covers(e.ls, ls));
    return hit ? find(lsKey(hit.ls)) : null;
  };
  // An event that two groups' rules apply to ties them too.
  for (const t of raw) {
    const ls = eventLogsource(t.value);
    const hits = sorted.filter((e) => covers(e.ls, ls)).map((e) => lsKey(e.ls));
    for (const k of hits.slice(1)) union(hits[0]!, k);
  }
  const groups = new Map<string, PartitionGroup>();
  for (const k of byLs.keys()) {
    const g = find(k);
    const entry = groups.get(g) ?? { sources: [], split: '*', why: 'no correlation' };
    entry.sources.push(k.replace(/^\||\|$/g, '').replace(/\|+/g, '/'));
    groups.set(g, entry);
  }
  for (const [g, entry] of groups) {
    const mine = corrs.filter((_, i) => corrBases[i]!.some((k) => find(k) === g));
    if (!mine.length) continue;
    const common = mine.reduce<string[]>(
      (acc, c) => acc.filter((f) => !c.aliased && c.groupBy.includes(f)),
      mine[0]!.aliased ? [] : mine[0]!.groupBy,
    );
    entry.split = common[0] ?? null;
    const fields = [
      ...new Set(mine.flatMap((c) => (c.aliased ? ['(aliases)'] : c.groupBy.length ? c.groupBy : ['(nothing)']))),
    ];
    entry.why = `${mine.length} correlation${mine.length > 1 ? 's' : ''} grouping by ${fields.join(', ')}`;
  }
  return {
    files,
    detectionRules,
    correlations: corrs.length,
    logsources: [...byLs.values()],
    testEvents: raw.map((t) => ({
      value: t.value,
      positive: /positive/i.test(path.basename(t.file)),
      group: groupOf(eventLogsource(t.value)),
    })),
    groups,
    groupOf,
  };
}

function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
}

const ipOf = (r: Rng) => `${r.pick([36, 58, 101, 117, 183, 223])}.${r.int(256)}.${r.int(256)}.${1 + r.int(254)}`;
const ENTITY_FIELDS: Record<string, (r: Rng) => string> = {
  user: (r) => String(3_100_000_000 + r.int(2_000_000)),
  src_ip: ipOf,
  device_id: (r) => `dev-${r.hex(8).toLowerCase()}`,
};

/** A benign-looking value for a field: rarely one the rules look for, usually something else of its kind. */
function fillValue(r: Rng, field: string, seen: Set<string | number>): unknown {
  const vals = [...seen];
  if (vals.length && r.next() < 0.02) {
    const v = r.pick(vals);
    return typeof v === 'string' ? v.replace(/\*/g, r.hex(4).toLowerCase()).replace(/\?/g, 'x') : v;
  }
  if (ENTITY_FIELDS[field]) return ENTITY_FIELDS[field]!(r);
  if (/(^|_)ip$|addr/i.test(field)) return ipOf(r);
  if (vals.length && vals.every((v) => typeof v === 'number')) return r.int(Math.max(2, ...(vals as number[])) / 2 + 1);
  return `${
    field
      .toLowerCase()
      .replace(/[^a-z]/g, '')
      .slice(0, 6) || 'v'
  }-${r.int(5000)}`;
}

/** Relative volume of a log source at a brokerage (network flows and orders dominate; complaints are rare). */
const VOLUMES: Record<string, number> = {
  network_connection: 30,
  firewall: 30,
  trading_gateway: 20,
  trading_login: 8,
  file_event: 5,
  file_rename: 5,
  security: 5,
  market_data: 2,
  customer_db: 2,
  account_change: 1,
  bank_transfer: 1,
  crm: 1,
  iam: 0.2,
  complaints: 0.05,
};
const volume = (ls: Ls) => VOLUMES[ls.service ?? ''] ?? VOLUMES[ls.category ?? ''] ?? 1;

/** Sets an event's time, in whichever time field it has (evtx: TimeCreated), else `@timestamp`. */
function retime(ev: Record<string, unknown>, t: number): void {
  const iso = new Date(t).toISOString();
  const sys = isMap(ev.Event) && isMap(ev.Event.System) ? ev.Event.System : null;
  if (sys) {
    sys.TimeCreated = { '#attributes': { SystemTime: iso } };
    return;
  }
  let set = false;
  for (const k of ['@timestamp', 'timestamp', 'time']) {
    if (ev[k] !== undefined) {
      ev[k] = iso;
      set = true;
    }
  }
  if (!set) ev['@timestamp'] = iso;
}

/**
 * `n` events in the log sources our rules use, 10,000 a second of event time from 09:30 CST:
 * `plantedPct` percent copies of the rules' positive test events (a partition group picked at random,
 * then one of its events, accounts and addresses kept, so correlations can build up); the rest
 * background traffic: a log source picked by its usual volume (VOLUMES), then one of its negative test
 * events (user, src_ip and device_id varied) — or, for a rule log source no test event falls in,
 * an event synthesized from the fields the rules read (rarely with a value a rule looks for).
 * A line's key says how it may be partitioned: `h:<value>` (hash it) or `g:<group>` (keep the group together).
 */
export function ownEvents(
  info: OwnRuleInfo,
  opts: { n: number; seed: number; plantedPct: number; start?: number },
): EventSet {
  const r = rng(opts.seed);
  const start = opts.start ?? Date.UTC(2026, 0, 5, 1, 30);
  const positives = [
    ...groupBy(
      info.testEvents.filter((t) => t.positive),
      (t) => t.group ?? '',
    ).values(),
  ];
  // Background traffic: log sources weighted by their usual volume, each its negative test events
  // or, for a rule log source no test event falls in, synthesized events.
  const pools: { weight: number; events: TestEvent[] | null; ls: OwnRuleInfo['logsources'][number] | null }[] = [];
  for (const [k, evs] of groupBy(
    info.testEvents.filter((t) => !t.positive),
    (t) => JSON.stringify(eventLogsource(t.value)),
  ))
    pools.push({ weight: volume(JSON.parse(k) as Ls), events: evs, ls: null });
  const seenLs = info.testEvents.map((t) => eventLogsource(t.value));
  for (const l of info.logsources)
    if (!seenLs.some((e) => covers(l.ls, e))) pools.push({ weight: volume(l.ls), events: null, ls: l });
  const totalWeight = pools.reduce((a, p) => a + p.weight, 0);
  const pickPool = () => {
    let x = r.next() * totalWeight;
    for (const p of pools) {
      x -= p.weight;
      if (x < 0) return p;
    }
    return pools[pools.length - 1]!;
  };
  const lines: string[] = [];
  const keys: string[] = [];
  let planted = 0;
  for (let i = 0; i < opts.n; i++) {
    let ev: Record<string, unknown>;
    if (positives.length && r.next() * 100 < opts.plantedPct) {
      ev = structuredClone(r.pick(r.pick(positives)).value);
      planted++;
    } else {
      const pool = pools.length ? pickPool() : null;
      if (pool?.events) {
        ev = structuredClone(r.pick(pool.events).value);
        for (const k of Object.keys(ENTITY_FIELDS)) if (typeof ev[k] === 'string') ev[k] = ENTITY_FIELDS[k]!(r);
      } else {
        const l = pool?.ls ?? {
          ls: { product: 'tocsin', service: 'app' },
          fields: new Map<string, Set<string | number>>(),
        };
        ev = { logsource: { ...l.ls } };
        for (const [field, seen] of l.fields)
          if (!field.includes('.') && !field.startsWith('@')) ev[field] = fillValue(r, field, seen);
        for (const k of Object.keys(ENTITY_FIELDS)) ev[k] ??= ENTITY_FIELDS[k]!(r);
      }
    }
    delete ev.id;
    retime(ev, start + Math.floor(i / 10));
    lines.push(JSON.stringify(ev));
    const group = info.groupOf(eventLogsource(ev));
    const split = group ? info.groups.get(group)!.split : '*';
    keys.push(
      split === '*' ? `h:${i}` : split === null ? `g:${group}` : `h:${group}\u0000${JSON.stringify(ev[split] ?? null)}`,
    );
  }
  return toEventSet(lines, keys, planted);
}
