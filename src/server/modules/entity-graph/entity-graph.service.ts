/**
 * The entity graph of an incident (issue 15, docs/entity-graph.md): the entities its alerts' kept events
 * name (at most 5,000 events), its IOCs, and the account-activity index rows of its accounts, addresses
 * and devices in the incident's window (24 h before its first event to 24 h after it ended, or now),
 * linked by what connects them; at most 300 nodes and 1,000 edges (`truncated` says when more exist).
 * Expansion a hop at a time: the neighbours of one entity in the activity index over a longer window
 * (30 days before the incident's) and in the kept events of other alerts naming it (of incidents the
 * reader may see), at most 50, with how many more exist.
 */
import type { EntityGraph, GraphExpansion, GraphNodeType } from '../../../shared/entity-graph-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { AppError } from '../../platform/errors.js';
import { type Clock, iso } from '../../platform/ids.js';
import { assertCan, type Principal } from '../auth/index.js';
import type { IncidentService } from '../incident/index.js';
import { ipKey } from '../scoping/index.js';
import { addEvent } from './event-entities.js';
import { activityGroups, alertTimesOfIncident, eventsNaming, liveIocsOfIncident } from './entity-graph.repository.js';
import { GraphBuilder, nodeId, normalizeValue } from './graph-builder.js';

export const GRAPH_LIMITS = {
  events: 5000,
  nodes: 300,
  edges: 1000,
  /** Grouped activity rows read for the graph and for an expansion. */
  activityGroups: 2000,
  neighbours: 50,
  /** Kept events of other alerts read for an expansion. */
  namingEvents: 200,
} as const;
const HOUR = 3_600_000;
const MARGIN_MS = 24 * HOUR;
const EXPAND_BACK_MS = 30 * 24 * HOUR;

const IOC_NODE: Record<string, GraphNodeType> = {
  ipv4: 'ip',
  ipv6: 'ip',
  domain: 'domain',
  url: 'url',
  email: 'email',
  account: 'account',
  sha256: 'file',
  sha1: 'file',
  md5: 'file',
};

export interface GraphEvent {
  alertId: string;
  time: number;
  fields: Record<string, unknown>;
}

function parseFields(s: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const badNode = (message: string) =>
  new AppError(400, 'validation', 'Invalid request', `the request query is invalid: query.node: ${message}`, [
    { path: 'query.node', message },
  ]);

export function createEntityGraph(deps: {
  store: Store;
  clock: Clock;
  incidents: IncidentService;
  /** The kept events of an incident's alerts (the alert module's `eventsOfIncident`). */
  alertEvents: (db: Db, incidentId: string, limit: number) => Promise<GraphEvent[]>;
}) {
  const { store, clock, incidents } = deps;

  /** The incident, its events and its window. */
  async function load(p: Principal, key: string) {
    assertCan(p, 'evidence.read');
    const db = store.db;
    const incident = await incidents.loadVisible(db, p, key);
    const [events, alerts] = await Promise.all([
      deps.alertEvents(db, incident.id, GRAPH_LIMITS.events + 1),
      alertTimesOfIncident(db, incident.id),
    ]);
    const times = [
      ...events.map((e) => e.time),
      ...alerts.flatMap((a) => [Number(a.first_seen), Number(a.last_seen)]),
      Date.parse(incident.milestones.detectedAt),
    ];
    const ended = incident.milestones.closedAt ?? incident.milestones.falsePositiveAt;
    const to = Math.max(...times, ended ? Date.parse(ended) + MARGIN_MS : clock.now());
    const from = Math.min(...times) - MARGIN_MS;
    return { db, incident, events, from, to };
  }

  /** Adds the activity groups of the accounts, addresses and devices to `g`. */
  async function addActivity(
    db: Db,
    g: GraphBuilder,
    m: { from: number; to: number; accounts: string[]; ips: string[]; devices: string[] },
  ) {
    const ipKeys = m.ips.map(ipKey).filter((k): k is string => k !== null);
    const groups = await activityGroups(
      db,
      { from: m.from, to: m.to, accounts: m.accounts, ipKeys, devices: m.devices },
      GRAPH_LIMITS.activityGroups + 1,
    );
    for (const r of groups.slice(0, GRAPH_LIMITS.activityGroups)) {
      const seen = { first: Number(r.first_at), last: Number(r.last_at), count: Number(r.n) };
      const asUser = g.nodes.has(nodeId('user', r.account_no));
      const account = g.node(asUser ? 'user' : 'account', r.account_no, seen);
      const ip = r.ip ? g.node('ip', r.ip, seen) : null;
      const device = r.device ? g.node('device', r.device, seen) : null;
      if (account && ip) g.edge(account, ip, r.action === 'login' ? 'logged_in_from' : 'acted_from', seen);
      if (account && device) g.edge(account, device, 'used_device', seen);
      if (device && ip) g.edge(device, ip, 'seen_at', seen);
    }
    return groups.length > GRAPH_LIMITS.activityGroups;
  }

  const valuesOf = (g: GraphBuilder, ...types: GraphNodeType[]) =>
    [...g.nodes.values()]
      .filter((n) => types.includes(n.type))
      .map((n) => n.value)
      .slice(0, 500);

  return {
    async build(p: Principal, key: string): Promise<EntityGraph> {
      const { db, incident, events, from, to } = await load(p, key);
      const g = new GraphBuilder();
      for (const e of events.slice(0, GRAPH_LIMITS.events)) addEvent(g, e);
      for (const ioc of await liveIocsOfIncident(db, incident.id)) {
        const type = IOC_NODE[ioc.type];
        if (!type) continue;
        const asUser = type === 'account' && g.nodes.has(nodeId('user', ioc.value));
        const id = g.node(asUser ? 'user' : type, ioc.value, {
          first: Number(ioc.first_seen),
          last: Number(ioc.last_seen),
        });
        if (id) g.setIoc(id, { tlp: ioc.tlp, confidence: ioc.confidence });
      }
      const moreActivity = await addActivity(db, g, {
        from,
        to,
        accounts: valuesOf(g, 'account', 'user'),
        ips: valuesOf(g, 'ip'),
        devices: valuesOf(g, 'device'),
      });
      const out = g.output(GRAPH_LIMITS.nodes, GRAPH_LIMITS.edges);
      return {
        incidentKey: incident.key,
        window: { from: iso(from), to: iso(to) },
        ...out,
        truncated: out.truncated || moreActivity || events.length > GRAPH_LIMITS.events,
      };
    },

    /** The neighbours of `ref` (`TYPE:VALUE`, validated by the route's schema) outside the incident too. */
    async expand(p: Principal, key: string, ref: string): Promise<GraphExpansion> {
      const colon = ref.indexOf(':');
      const type = ref.slice(0, colon) as GraphNodeType;
      const value = normalizeValue(type, ref.slice(colon + 1));
      if (value === null) throw badNode(`"${ref.slice(colon + 1).slice(0, 60)}" is not a ${type}`);
      const { db, to, from: incidentFrom } = await load(p, key);
      const from = incidentFrom - EXPAND_BACK_MS;
      const center = nodeId(type, value);
      const g = new GraphBuilder();
      g.node(type, value, { first: null });

      if (type === 'account' || type === 'user' || type === 'ip' || type === 'device')
        await addActivity(db, g, {
          from,
          to,
          accounts: type === 'account' || type === 'user' ? [value] : [],
          ips: type === 'ip' ? [value] : [],
          devices: type === 'device' ? [value] : [],
        });
      const needle = JSON.stringify(value).slice(1, -1);
      const rows = await eventsNaming(
        db,
        needle,
        from,
        p.user.role === 'admin' ? undefined : p.user.id,
        GRAPH_LIMITS.namingEvents,
      );
      for (const r of rows) {
        if (r.truncated) continue;
        const fields = parseFields(r.fields);
        if (!fields) continue;
        // Read the event apart first: only an event that names the entity (not a longer value) counts.
        const probe = new GraphBuilder();
        const named = addEvent(probe, { time: Number(r.time), fields });
        if (!named.includes(center)) continue;
        const ids = addEvent(g, { alertId: r.alert_id, time: Number(r.time), fields });
        for (const id of ids)
          if (id !== center && !g.linked(center, id)) g.edge(center, id, 'same_alert', { first: Number(r.time) });
      }

      // Only the entity's own links: the neighbours, most seen first.
      const edges = [...g.edges.entries()].filter(([, e]) => e.source === center || e.target === center);
      const weight = new Map<string, number>();
      for (const [, e] of edges) {
        const other = e.source === center ? e.target : e.source;
        weight.set(other, (weight.get(other) ?? 0) + e.count);
      }
      const neighbours = [...weight.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
      const kept = new Set([center, ...neighbours.slice(0, GRAPH_LIMITS.neighbours)]);
      return {
        node: g.view(center),
        nodes: [...kept].map((id) => g.view(id)),
        edges: edges.filter(([, e]) => kept.has(e.source) && kept.has(e.target)).map(([id]) => g.edgeView(id)),
        more: Math.max(0, neighbours.length - GRAPH_LIMITS.neighbours),
        window: { from: iso(from), to: iso(to) },
      };
    },
  };
}

export type EntityGraphService = ReturnType<typeof createEntityGraph>;
