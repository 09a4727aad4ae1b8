/**
 * Alert work items for one intake batch: a rule match prepared (entities, fingerprint, triage,
 * correlation keys), a new alert built from it, or a repeat counted into an existing one.
 */
import { ALERT_LEVELS, type AlertLevel, type Category, type Grade } from '../../../shared/enums.js';
import type { Entities } from '../../../shared/alert-schemas.js';
import { stripBidiControls } from '../../../shared/text.js';
import { newId } from '../../platform/ids.js';
import type { DetectionEvent, RuleMatch } from '../detection/index.js';
import type { AlertEventRow, AlertRow, AlertView } from './alert.repository.js';
import { EntitySet } from './entities.js';
import type { Hold } from './holds.js';
import { correlationKeys, fingerprintOf, LEVEL_SEVERITY, suggestCategory, suggestGrade } from './triage.js';

export interface Prepared {
  match: RuleMatch;
  ruleId: string;
  ruleTitle: string;
  ruleTitleZh: string;
  tags: string[];
  level: AlertLevel;
  time: number;
  entities: Entities;
  services: string[];
  group: Record<string, unknown> | undefined;
  fingerprint: string;
  category: Category;
  grade: Grade;
  keys: string[];
}

export interface Work {
  view: AlertView;
  isNew: boolean;
  dirty: boolean;
  entities: EntitySet;
  services: Set<string>;
  eventIds: Set<string>;
  newEvents: AlertEventRow[];
  first: Prepared;
  /** A repeat named entities the alert did not name before. */
  grew?: boolean;
}

/** Text from a rule or an event, as stored: no NUL, no bidirectional controls (they could reverse a title in a list). */
const clean = (s: string, max: number) => stripBidiControls(s.replaceAll('\u0000', '')).slice(0, max);

/** A rule's tag naming a catalog service: `tocsin.service.online-trading` (underscores read as dashes). */
const SERVICE_TAG = /^tocsin\.service\.([a-z0-9][a-z0-9_-]{0,62})$/;
export const tagServices = (tags: string[]): string[] =>
  tags.flatMap((t) => SERVICE_TAG.exec(t.toLowerCase())?.[1]?.replace(/_/g, '-') ?? []);

/**
 * A rule's tag naming the incident whose indicators it matches (IOC rules, ioc/ioc-detection.ts):
 * `tocsin.incident.inc-2026-0001`. Intake puts the rule's new alerts into that incident while it is open.
 */
export const incidentTag = (key: string): string => `tocsin.incident.${key.toLowerCase()}`;
const INCIDENT_TAG = /^tocsin\.incident\.(inc-\d{4}-\d{4,})$/i;
/** The incident key a rule's tags name (INC-2026-0001), or null. */
export const taggedIncident = (tags: readonly string[]): string | null => {
  for (const t of tags) {
    const m = INCIDENT_TAG.exec(t);
    if (m) return m[1]!.toUpperCase();
  }
  return null;
};

/** What intake knows beside the match: the catalog's keys, rules' Chinese titles, sources' services. */
export interface PrepareContext {
  serviceKeys: ReadonlySet<string>;
  ruleTitleZh: (ruleId: string) => string | null | undefined;
  sourceServices: (source: string) => readonly string[] | undefined;
}

/** New events of matches kept beyond an alert's first `maxEvents` events. */
export const NEW_EVENTS_BEYOND = 500;

/** How many events an alert keeps at most: its first `maxEvents`, then what matches bring new (NEW_EVENTS_BEYOND more). */
export const eventCap = (maxEvents: number) => maxEvents + NEW_EVENTS_BEYOND;

/**
 * Builders of a batch's work items; `maxEvents` events kept per alert (then only what each match brings
 * new, up to `eventCap`), `maxChars` characters of each event's JSON.
 */
export function alertWork(opts: { maxEvents: number; maxChars: number }) {
  const { maxEvents, maxChars } = opts;
  const cap = eventCap(maxEvents);

  function prepare(m: RuleMatch, ctx: PrepareContext, now: number): Prepared {
    const keys = ctx.serviceKeys;
    const level: AlertLevel = (ALERT_LEVELS as readonly string[]).includes(m.level) ? m.level : 'medium';
    const ruleId = clean(String(m.ruleId), 200) || 'unknown';
    const ruleTitle = clean(String(m.ruleTitle), 500) || ruleId;
    const ruleTitleZh = clean(String(m.ruleTitleZh ?? ctx.ruleTitleZh(ruleId) ?? ''), 500) || ruleTitle;
    const tags = [...new Set((m.tags ?? []).map((t) => clean(String(t), 100)).filter(Boolean))].slice(0, 50);
    const set = new EntitySet();
    const groupSet = m.group ? new EntitySet().addFields(m.group, keys) : undefined;
    if (groupSet) set.addFields(m.group!, keys);
    for (const e of m.events ?? []) if (e?.fields && typeof e.fields === 'object') set.addFields(e.fields, keys);
    // Services: named by the events, by the sources that delivered them, and by the rule's tags.
    const named = [...set.services, ...(groupSet?.services ?? [])];
    for (const src of new Set((m.events ?? []).map((e) => String(e?.source ?? ''))))
      named.push(...(ctx.sourceServices(src) ?? []));
    named.push(...tagServices(tags));
    const entities = set.toEntities();
    const group = m.group && Object.keys(m.group).length ? m.group : undefined;
    const triage = {
      ruleId,
      ruleTitle,
      level,
      tags,
      kind: m.kind,
      logsources: (m.events ?? []).slice(0, 5).map((e) => e.logsource ?? {}),
    };
    const category = suggestCategory(triage);
    return {
      match: m,
      ruleId,
      ruleTitle,
      ruleTitleZh,
      tags,
      level,
      time: Number.isFinite(m.time) ? Math.trunc(m.time) : now,
      entities,
      services: named.filter((v, i, a) => keys.has(v) && a.indexOf(v) === i).slice(0, 20),
      group,
      fingerprint: fingerprintOf(ruleId, entities, group),
      category,
      grade: suggestGrade(triage),
      keys: correlationKeys(
        category,
        ruleId,
        entities,
        group && groupSet ? { entities: groupSet.toEntities(), raw: group } : undefined,
      ),
    };
  }

  function eventRow(alertId: string, seq: number, e: DetectionEvent): AlertEventRow {
    let json: string;
    try {
      json = JSON.stringify(e.fields ?? {});
    } catch {
      json = '"(fields could not be serialised)"';
    }
    const truncated = json.length > maxChars;
    return {
      alert_id: alertId,
      seq,
      event_id: clean(String(e.id), 200),
      time: Number.isFinite(e.time) ? Math.trunc(e.time) : 0,
      source: clean(String(e.source ?? ''), 200),
      logsource: JSON.stringify(e.logsource ?? {}),
      fields: truncated ? json.slice(0, maxChars) : json,
      truncated: truncated ? 1 : 0,
    };
  }

  /** Counts match `p` into `w`: count, event count, last/first seen, entities and the first events. */
  function merge(w: Work, p: Prepared): void {
    const r = w.view;
    const seen = r.last_seen;
    r.count = Number(r.count) + 1;
    r.event_count = Number(r.event_count) + (p.match.events?.length ?? 0);
    r.last_seen = Math.max(r.last_seen, p.time);
    r.first_seen = Math.min(r.first_seen, p.time);
    const before = w.entities.size + w.services.size;
    for (const k of ['accounts', 'hosts', 'ips'] as const) for (const v of p.entities[k]) w.entities.add(k, v);
    for (const s of p.services) w.services.add(s);
    if (w.entities.size + w.services.size !== before) {
      w.grew = true;
      r.entities = JSON.stringify(w.entities.toEntities());
      r.services = JSON.stringify([...w.services]);
    }
    addEvents(w, p.match.events ?? [], seen);
    w.dirty = true;
  }

  function keep(w: Work, e: DetectionEvent, upTo: number): void {
    if (w.view.events_stored >= upTo || w.eventIds.has(String(e.id))) return;
    w.eventIds.add(String(e.id));
    w.view.events_stored += 1;
    w.newEvents.push(eventRow(w.view.id, w.view.events_stored, e));
  }

  /**
   * Keeps a match's events while the alert has fewer than `maxEvents`. A full alert still keeps, up to the
   * cap, what a match brings that is new: for a repeat, its events from the alert's last sighting on
   * (`since`); for a first match, its latest event. A correlation's repeat ends with the new victims logged
   * into from the same source, and a plan's actions read their accounts from the kept events.
   */
  function addEvents(w: Work, events: DetectionEvent[], since?: number): void {
    let latest: DetectionEvent | undefined;
    for (const e of events) {
      if (!e) continue;
      if (!latest || e.time >= latest.time) latest = e;
      keep(w, e, since !== undefined && e.time >= since ? cap : maxEvents);
    }
    if (latest && since === undefined) keep(w, latest, cap);
  }

  function fresh(p: Prepared, hold: Hold | null, now: number): Work {
    const view: AlertView = {
      id: newId(),
      rule_id: p.ruleId,
      rule_title: p.ruleTitle,
      rule_title_zh: p.ruleTitleZh,
      level: p.level,
      severity: LEVEL_SEVERITY[p.level],
      kind: p.match.kind,
      tags: JSON.stringify(p.tags),
      entities: JSON.stringify(p.entities),
      services: JSON.stringify(p.services),
      group_json: p.group ? JSON.stringify(p.group) : null,
      fingerprint: p.fingerprint,
      count: 1,
      event_count: p.match.events?.length ?? 0,
      events_stored: 0,
      first_seen: p.time,
      last_seen: p.time,
      status: hold ? 'suppressed' : 'open',
      held_kind: hold?.kind ?? null,
      held_id: hold?.id ?? null,
      held_reason: hold?.reason ?? null,
      incident_id: null,
      suggested_category: p.category,
      suggested_grade: p.grade,
      acknowledged_by: null,
      acknowledged_at: null,
      fp_by: null,
      fp_at: null,
      fp_reason: null,
      created_at: now,
      updated_at: now,
      incident_key: null,
      incident_title: null,
      incident_title_i18n: null,
      ack_name: null,
      fp_name: null,
    };
    const w: Work = {
      view,
      isNew: true,
      dirty: true,
      entities: new EntitySet(p.entities),
      services: new Set(p.services),
      eventIds: new Set(),
      newEvents: [],
      first: p,
    };
    addEvents(w, p.match.events ?? []);
    return w;
  }

  return { prepare, merge, fresh };
}

/** The row to insert for a new alert. */
export const rowOf = (w: Work): AlertRow => {
  const { incident_key: _k, incident_title: _t, incident_title_i18n: _ti, ack_name: _a, fp_name: _f, ...row } = w.view;
  return row;
};
