/**
 * The entity graph of an incident (issue 15, "Analysis"): the accounts, addresses, devices, hosts, files,
 * domains, URLs, e-mail addresses and users its alerts' events, its IOCs and the account-activity index
 * name, linked by what connects them; expanded a hop at a time from one entity.
 */
import { z } from 'zod';
import { isoTime } from './api-schemas.js';

export const GRAPH_NODE_TYPES = ['account', 'ip', 'device', 'host', 'file', 'domain', 'url', 'email', 'user'] as const;
export type GraphNodeType = (typeof GRAPH_NODE_TYPES)[number];

/**
 * What links two entities: an account logged in (or acted) from an address, used a device; a device seen
 * at an address; an account, file or address on a host; a URL in a domain, a domain resolved to an
 * address; named in one event otherwise; named in one alert (expansion through other alerts).
 */
export const GRAPH_RELATIONS = [
  'logged_in_from',
  'acted_from',
  'used_device',
  'seen_at',
  'on_host',
  'in_domain',
  'resolved_to',
  'same_event',
  'same_alert',
] as const;
export type GraphRelation = (typeof GRAPH_RELATIONS)[number];

export const GraphNode = z.object({
  /** `type:value`. */
  id: z.string(),
  type: z.enum(GRAPH_NODE_TYPES),
  value: z.string(),
  /** The value shortened for the canvas. */
  label: z.string(),
  firstSeen: isoTime.nullable(),
  lastSeen: isoTime.nullable(),
  /** How many alerts (of the incident; of any visible incident in an expansion) name it. */
  alertCount: z.number().int(),
  /** The incident's IOC of this value, when there is one (not revoked). */
  ioc: z.object({ tlp: z.string(), confidence: z.number().int() }).optional(),
});
export type GraphNode = z.infer<typeof GraphNode>;

export const GraphEdge = z.object({
  /** `source|relation|target`. */
  id: z.string(),
  source: z.string(),
  target: z.string(),
  relation: z.enum(GRAPH_RELATIONS),
  /** How many events, activity rows or alerts show the link. */
  count: z.number().int(),
  firstSeen: isoTime.nullable(),
  lastSeen: isoTime.nullable(),
});
export type GraphEdge = z.infer<typeof GraphEdge>;

export const EntityGraph = z.object({
  incidentKey: z.string(),
  /** The time window the activity index was read over. */
  window: z.object({ from: isoTime, to: isoTime }),
  nodes: z.array(GraphNode),
  edges: z.array(GraphEdge),
  /** More entities or links than the caps (300 nodes, 1,000 edges) or more events than are read. */
  truncated: z.boolean(),
});
export type EntityGraph = z.infer<typeof EntityGraph>;

/** `TYPE:VALUE`, the type one of GRAPH_NODE_TYPES, the value 1–500 characters without control characters. */
export const GraphNodeRef = z
  .string()
  .max(520)
  .regex(
    new RegExp(`^(${GRAPH_NODE_TYPES.join('|')}):[^\\u0000-\\u001f\\u007f]{1,500}$`),
    `TYPE:VALUE, TYPE one of ${GRAPH_NODE_TYPES.join(', ')}, VALUE 1–500 characters`,
  );

export const GraphExpandQuery = z.strictObject({ node: GraphNodeRef });

export const GraphExpansion = z.object({
  /** The node expanded. */
  node: GraphNode,
  /** Its neighbours (at most 50) and the expanded node itself. */
  nodes: z.array(GraphNode),
  edges: z.array(GraphEdge),
  /** How many more neighbours there are beyond the cap. */
  more: z.number().int(),
  window: z.object({ from: isoTime, to: isoTime }),
});
export type GraphExpansion = z.infer<typeof GraphExpansion>;
