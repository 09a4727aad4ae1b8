/**
 * The attack timeline of an incident (issue 15): the stored events of its alerts (at most 5,000, oldest
 * first), the alerts, the response actions, the incident's own timeline (notes, decisions, status
 * changes) and its evidence items (when preserved, with their SHA-256) on one axis, with the milestones; filtered by an entity when asked — the items that name it
 * (an event's account, IP or host fields, an alert's entities, an action's parameters) or whose words
 * contain it. The marks: first compromise (the earliest event), detection, containment, recovery.
 */
import type { AttackTimeline, AttackTimelineItem } from '../../../shared/attack-timeline-schemas.js';
import { ACCOUNT_FIELDS, fieldValue, HOST_FIELDS, IP_FIELDS, MESSAGE_FIELDS } from '../../../shared/event-fields.js';
import type { Store } from '../../platform/db/connect.js';
import { iso } from '../../platform/ids.js';
import { assertCan, type Principal } from '../auth/index.js';
import type { IncidentService } from '../incident/index.js';
import {
  actionRunsOfIncident,
  alertsOfIncident,
  eventsOfAlerts,
  evidenceOfIncident,
  timelineOfIncident,
} from './attack-timeline.repository.js';

export const EVENTS_READ = 5000;
type Kind = 'account' | 'ip' | 'host';

const text = (v: unknown): string | null =>
  typeof v === 'string' ? v.trim().slice(0, 200) || null : typeof v === 'number' ? String(v) : null;

/** The accounts, IPs and hosts an event's fields name. */
function eventEntities(fields: Record<string, unknown>): [string, Kind][] {
  const out: [string, Kind][] = [];
  const take = (names: readonly string[], kind: Kind) => {
    for (const n of names) {
      const v = text(fieldValue(fields, n));
      if (v && !out.some(([x]) => x === v)) out.push([v, kind]);
    }
  };
  take(ACCOUNT_FIELDS, 'account');
  take(IP_FIELDS, 'ip');
  take(HOST_FIELDS, 'host');
  return out;
}

const NAMED = new Set([...ACCOUNT_FIELDS, ...IP_FIELDS, ...HOST_FIELDS, '@timestamp', 'timestamp', 'time', 'ts']);

/** `event=login outcome=failure device_id=emu-0` — the event's short top-level fields an entity column does not show. */
function fieldSummary(fields: Record<string, unknown>): string {
  const parts = Object.entries(fields)
    .filter(([k, v]) => !NAMED.has(k) && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'))
    .map(([k, v]) => `${k}=${String(v).slice(0, 60)}`);
  const text = parts.join(' ');
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function parseJson(s: string | null): unknown {
  if (!s) return null;
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

const MARK_TITLES = {
  firstCompromise: 'First compromise / 首次入侵',
  detection: 'Detected / 发现',
  containment: 'Contained / 控制',
  recovery: 'Recovered / 恢复',
} as const;

export function createAttackTimeline(deps: { store: Store; incidents: IncidentService }) {
  const { store, incidents } = deps;

  return {
    async build(p: Principal, key: string, opts: { entity?: string } = {}): Promise<AttackTimeline> {
      assertCan(p, 'incident.read');
      const db = store.db;
      const incident = await incidents.loadVisible(db, p, key);
      const [alerts, actions, entries, evidence] = await Promise.all([
        alertsOfIncident(db, incident.id),
        actionRunsOfIncident(db, incident.id),
        timelineOfIncident(db, incident.id),
        evidenceOfIncident(db, incident.id),
      ]);
      const events = await eventsOfAlerts(
        db,
        alerts.map((a) => a.id),
        EVENTS_READ + 1,
      );
      const truncated = events.length > EVENTS_READ;
      const titleOf = new Map(alerts.map((a) => [a.id, a.rule_title]));
      const counts = new Map<string, { kind: Kind; count: number }>();
      const seen = (entities: [string, Kind][]) => {
        for (const [v, kind] of entities) {
          const c = counts.get(v);
          if (c) c.count++;
          else counts.set(v, { kind, count: 1 });
        }
        return entities.map(([v]) => v);
      };
      const items: AttackTimelineItem[] = [];

      for (const e of events.slice(0, EVENTS_READ)) {
        const fields = (parseJson(e.fields) ?? {}) as Record<string, unknown>;
        const message = MESSAGE_FIELDS.map((n) => text(fieldValue(fields, n))).find(Boolean) ?? null;
        items.push({
          at: iso(Number(e.time))!,
          kind: 'event',
          title: `${titleOf.get(e.alert_id) ?? 'event'} · ${e.source}`,
          detail: message ?? fieldSummary(fields),
          entities: seen(eventEntities(fields)),
          ref: { type: 'event', id: e.event_id },
        });
      }
      for (const a of alerts) {
        const ents = (parseJson(a.entities) ?? {}) as { accounts?: string[]; ips?: string[]; hosts?: string[] };
        const list: [string, Kind][] = [
          ...(ents.accounts ?? []).map((v): [string, Kind] => [v, 'account']),
          ...(ents.ips ?? []).map((v): [string, Kind] => [v, 'ip']),
          ...(ents.hosts ?? []).map((v): [string, Kind] => [v, 'host']),
        ];
        items.push({
          at: iso(Number(a.first_seen))!,
          kind: 'alert',
          title: a.rule_title_zh ? `${a.rule_title} / ${a.rule_title_zh}` : a.rule_title,
          detail: `${a.level}, ${a.count} match(es), last ${iso(Number(a.last_seen))}`,
          entities: list.map(([v]) => v),
          ref: { type: 'alert', id: a.id },
        });
      }
      for (const r of actions) {
        const params = (parseJson(r.parameters) ?? {}) as Record<string, unknown>;
        const values = Object.values(params)
          .flatMap((v) => (Array.isArray(v) ? v : [v]))
          .map(text)
          .filter((v): v is string => v !== null);
        items.push({
          at: iso(Number(r.created_at))!,
          kind: 'action',
          title: `${r.connector}.${r.action}`,
          detail: `${r.state}: ${JSON.stringify(params).slice(0, 300)}`,
          entities: [...new Set(values)],
          ref: { type: 'action_run', id: r.id },
        });
      }
      for (const t of entries)
        items.push({
          at: iso(Number(t.at))!,
          kind: t.kind === 'status_change' || t.kind === 'system' ? 'status' : 'note',
          title: t.kind,
          detail: t.text,
          entities: [],
          ref: { type: 'timeline_entry', id: t.id },
        });
      for (const e of evidence)
        items.push({
          at: iso(Number(e.created_at))!,
          kind: 'evidence',
          title: e.file_name,
          detail: `${e.kind}, ${Number(e.bytes)} bytes, SHA-256 ${e.sha256}${e.description ? ` — ${e.description.slice(0, 200)}` : ''}`,
          entities: [],
          ref: { type: 'evidence', id: e.id },
        });

      const firstEvent = events[0] ? Number(events[0].time) : null;
      const firstAlert = alerts[0] ? Number(alerts[0].first_seen) : null;
      const firstCompromise =
        firstEvent !== null && firstAlert !== null ? Math.min(firstEvent, firstAlert) : (firstEvent ?? firstAlert);
      const marks = {
        firstCompromise: iso(firstCompromise),
        detection: incident.milestones.detectedAt,
        containment: incident.milestones.containedAt,
        recovery: incident.milestones.recoveredAt,
      };
      for (const [k, at] of Object.entries(marks))
        if (at)
          items.push({
            at,
            kind: 'milestone',
            title: MARK_TITLES[k as keyof typeof MARK_TITLES],
            detail: null,
            entities: [],
            ref: null,
          });

      const needle = opts.entity?.toLowerCase();
      const shown = needle
        ? items.filter(
            (i) =>
              i.kind === 'milestone' ||
              i.entities.some((e) => e.toLowerCase() === needle) ||
              ((i.kind === 'note' || i.kind === 'evidence') &&
                `${i.title} ${i.detail ?? ''}`.toLowerCase().includes(needle)),
          )
        : items;
      const order = { milestone: 0, alert: 1, event: 2, action: 3, status: 4, note: 5, evidence: 6 } as const;
      shown.sort((a, b) => a.at.localeCompare(b.at) || order[a.kind] - order[b.kind]);
      return {
        incidentKey: incident.key,
        marks,
        entity: opts.entity ?? null,
        entities: [...counts]
          .map(([value, c]) => ({ value, kind: c.kind, count: c.count }))
          .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
          .slice(0, 200),
        items: shown,
        truncated,
      };
    },
  };
}

export type AttackTimelineService = ReturnType<typeof createAttackTimeline>;
