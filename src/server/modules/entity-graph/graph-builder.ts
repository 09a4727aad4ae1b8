/**
 * Nodes and edges gathered from events, IOCs and activity rows: one node per (type, normalized value),
 * one edge per (source, relation, target) with how often it was seen and when; the output capped.
 */
import ipaddr from 'ipaddr.js';
import type {
  EntityGraph,
  GraphEdge,
  GraphNode,
  GraphNodeType,
  GraphRelation,
} from '../../../shared/entity-graph-schemas.js';
import { iso } from '../../platform/ids.js';

/** Placeholders logs use for "no value". */
const EMPTY = new Set(['', '-', '--', 'n/a', 'na', 'null', 'none', 'unknown', '(null)', '?', 'nil']);
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A canonical IP address (IPv4-mapped IPv6 as IPv4, a port dropped), or null; unspecified and loopback are not entities. */
export function canonicalIp(raw: string): string | null {
  let v = raw.trim();
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(v);
  if (v4port) v = v4port[1]!;
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(v);
  if (bracketed) v = bracketed[1]!;
  v = v.replace(/%.*$/, '');
  if (!ipaddr.IPv4.isValidFourPartDecimal(v) && !(v.includes(':') && ipaddr.IPv6.isValid(v))) return null;
  const addr = ipaddr.process(v);
  const range = addr.range();
  return range === 'unspecified' || range === 'loopback' ? null : addr.toString();
}

/** The value a node of `type` is known by, or null when `raw` is no such entity. */
export function normalizeValue(type: GraphNodeType, raw: string): string | null {
  const v = raw.trim();
  if (EMPTY.has(v.toLowerCase()) || CONTROL.test(v) || v.length > 500) return null;
  switch (type) {
    case 'ip':
      return canonicalIp(v);
    case 'host':
    case 'domain':
    case 'email':
      return v.toLowerCase().replace(/\.$/, '') || null;
    case 'file':
      return /^[0-9a-fA-F]{32,64}$/.test(v) ? v.toLowerCase() : v;
    default:
      return v;
  }
}

export const nodeId = (type: GraphNodeType, value: string) => `${type}:${value}`;

function labelOf(type: GraphNodeType, value: string): string {
  if (type === 'file' && /^[0-9a-f]{32,64}$/.test(value)) return `${value.slice(0, 12)}…`;
  if (type === 'file') {
    const base = value.split(/[\\/]/).pop() ?? value;
    return base.length > 40 ? `${base.slice(0, 39)}…` : base;
  }
  return value.length > 40 ? `${value.slice(0, 39)}…` : value;
}

interface NodeAcc {
  type: GraphNodeType;
  value: string;
  first: number | null;
  last: number | null;
  alerts: Set<string>;
  ioc?: { tlp: string; confidence: number };
}
interface EdgeAcc {
  source: string;
  target: string;
  relation: GraphRelation;
  count: number;
  first: number | null;
  last: number | null;
}

const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

export class GraphBuilder {
  readonly nodes = new Map<string, NodeAcc>();
  readonly edges = new Map<string, EdgeAcc>();
  private readonly adjacent = new Map<string, Set<string>>();

  /** Adds (or updates) a node seen from `first` to `last`; the id, or null when the value is no entity. */
  node(type: GraphNodeType, raw: string, seen: { first: number | null; last?: number | null; alertId?: string }) {
    const value = normalizeValue(type, raw);
    if (value === null) return null;
    const id = nodeId(type, value);
    let n = this.nodes.get(id);
    if (!n) {
      n = { type, value, first: null, last: null, alerts: new Set() };
      this.nodes.set(id, n);
    }
    n.first = minOf(n.first, seen.first);
    n.last = maxOf(n.last, seen.last ?? seen.first);
    if (seen.alertId) n.alerts.add(seen.alertId);
    return id;
  }

  setIoc(id: string, ioc: { tlp: string; confidence: number }) {
    const n = this.nodes.get(id);
    if (n && (!n.ioc || n.ioc.confidence < ioc.confidence)) n.ioc = ioc;
  }

  edge(
    source: string,
    target: string,
    relation: GraphRelation,
    seen: { first: number | null; last?: number | null; count?: number },
  ) {
    if (source === target) return;
    const id = `${source}|${relation}|${target}`;
    let e = this.edges.get(id);
    if (!e) {
      e = { source, target, relation, count: 0, first: null, last: null };
      this.edges.set(id, e);
      for (const [a, b] of [
        [source, target],
        [target, source],
      ] as const) {
        const set = this.adjacent.get(a) ?? new Set<string>();
        set.add(b);
        this.adjacent.set(a, set);
      }
    }
    e.count += seen.count ?? 1;
    e.first = minOf(e.first, seen.first);
    e.last = maxOf(e.last, seen.last ?? seen.first);
  }

  /** Whether the nodes are linked by any edge, either way. */
  linked(a: string, b: string): boolean {
    return this.adjacent.get(a)?.has(b) ?? false;
  }

  view(id: string): GraphNode {
    const n = this.nodes.get(id)!;
    return {
      id,
      type: n.type,
      value: n.value,
      label: labelOf(n.type, n.value),
      firstSeen: iso(n.first),
      lastSeen: iso(n.last),
      alertCount: n.alerts.size,
      ...(n.ioc ? { ioc: n.ioc } : {}),
    };
  }

  edgeView(id: string): GraphEdge {
    const e = this.edges.get(id)!;
    return {
      id,
      source: e.source,
      target: e.target,
      relation: e.relation,
      count: e.count,
      firstSeen: iso(e.first),
      lastSeen: iso(e.last),
    };
  }

  /**
   * At most `maxNodes` nodes in the order they were added (the incident's own events and IOCs come first,
   * the activity index after), and at most `maxEdges` edges among them, most seen first.
   */
  output(maxNodes: number, maxEdges: number): Pick<EntityGraph, 'nodes' | 'edges' | 'truncated'> {
    const ids = [...this.nodes.keys()];
    const kept = new Set(ids.slice(0, maxNodes));
    const edges = [...this.edges.entries()]
      .filter(([, e]) => kept.has(e.source) && kept.has(e.target))
      .sort(([, a], [, b]) => b.count - a.count);
    return {
      nodes: [...kept].map((id) => this.view(id)),
      edges: edges.slice(0, maxEdges).map(([id]) => this.edgeView(id)),
      truncated: ids.length > maxNodes || edges.length > maxEdges,
    };
  }
}
