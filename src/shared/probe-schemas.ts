/** Request and response schemas of probes (HTTP and TCP checks of the firm's services) and service health. */
import { z } from 'zod';
import { label } from './text.js';

export const PROBE_KINDS = ['http', 'tcp'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

/** A probe's and a service's health. `unknown`: no verdict yet (new, disabled, or no probes). */
export const HEALTH_STATES = ['up', 'degraded', 'down', 'unknown'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

/**
 * What one check found: `degraded` is a success slower than `maxLatencyMs`; `refused`: not checked,
 * the outbound guard refused the target (the reason is in `error`); it never counts as down.
 */
export const PROBE_OUTCOMES = ['up', 'degraded', 'down', 'refused'] as const;
export type ProbeOutcome = (typeof PROBE_OUTCOMES)[number];

const code = z.int().min(100).max(599);
/** A status code, or an inclusive range `[200, 299]`. */
export const StatusMatcher = z.union([
  code,
  z.tuple([code, code]).refine(([a, b]) => a <= b, 'a range [low, high] with low ≤ high'),
]);

export const ProbeExpect = z.strictObject({
  /** Accepted HTTP status codes and ranges; default `[[200, 399]]` (redirects are not followed). */
  status: z.array(StatusMatcher).min(1).max(50).optional(),
  /** The body (first 64 KiB) must contain this text. */
  bodyContains: z.string().min(1).max(1000).optional(),
  /** The body (first 64 KiB) must match this regular expression (catastrophic patterns are refused). */
  bodyRegex: z.string().min(1).max(1000).optional(),
  /** A success slower than this is `degraded`. */
  maxLatencyMs: z.int().min(1).max(600_000).optional(),
});
export type ProbeExpect = z.infer<typeof ProbeExpect>;

const fields = {
  name: label(120),
  kind: z.enum(PROBE_KINDS),
  /** A URL (http, https) for `http`; `host:port` (`[v6]:port`) for `tcp`. */
  target: z.string().trim().min(1).max(2048),
  intervalS: z.int().min(5).max(86_400),
  timeoutMs: z.int().min(100).max(60_000),
  expect: ProbeExpect,
  failuresToDown: z.int().min(1).max(100),
  successesToUp: z.int().min(1).max(100),
  enabled: z.boolean(),
};

export const ProbeCreate = z.strictObject({
  ...fields,
  intervalS: fields.intervalS.default(60),
  /** Default: 5 s, or half the interval when that is shorter. */
  timeoutMs: fields.timeoutMs.optional(),
  expect: fields.expect.default({}),
  failuresToDown: fields.failuresToDown.default(3),
  successesToUp: fields.successesToUp.default(2),
  enabled: fields.enabled.default(true),
});
export type ProbeCreate = z.infer<typeof ProbeCreate>;

export const ProbeUpdate = z
  .strictObject({
    name: fields.name.optional(),
    target: fields.target.optional(),
    intervalS: fields.intervalS.optional(),
    timeoutMs: fields.timeoutMs.optional(),
    expect: fields.expect.optional(),
    failuresToDown: fields.failuresToDown.optional(),
    successesToUp: fields.successesToUp.optional(),
    enabled: fields.enabled.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'change at least one field');
export type ProbeUpdate = z.infer<typeof ProbeUpdate>;

export const ProbeResult = z.object({
  at: z.iso.datetime({ offset: true }),
  outcome: z.enum(PROBE_OUTCOMES),
  latencyMs: z.number().int(),
  /** The HTTP status, when a response arrived. */
  status: z.number().int().nullable(),
  /** Why it failed (or was degraded); null when up. */
  error: z.string().nullable(),
});
export type ProbeResult = z.infer<typeof ProbeResult>;

export const Probe = z.object({
  id: z.string(),
  serviceKey: z.string(),
  name: z.string(),
  kind: z.enum(PROBE_KINDS),
  target: z.string(),
  intervalS: z.number().int(),
  timeoutMs: z.number().int(),
  expect: ProbeExpect,
  failuresToDown: z.number().int(),
  successesToUp: z.number().int(),
  enabled: z.boolean(),
  state: z.enum(HEALTH_STATES),
  stateSince: z.iso.datetime({ offset: true }),
  lastResult: ProbeResult.nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type Probe = z.infer<typeof Probe>;

export const ProbeHealth = Probe.extend({
  /** Latency of successful checks over the last hour (ms); null without any. */
  latency: z.object({ p50: z.number().int(), p95: z.number().int(), samples: z.number().int() }).nullable(),
  /** Share of checks that succeeded over the last 24 hours, 0–100; null without any. */
  uptime24h: z.number().nullable(),
});
export type ProbeHealth = z.infer<typeof ProbeHealth>;

export const ServiceHealth = z.object({
  serviceKey: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  /** The worst state among enabled probes that have one; `unknown` when none has. */
  state: z.enum(HEALTH_STATES),
  since: z.iso.datetime({ offset: true }),
  probes: z.array(ProbeHealth),
});
export type ServiceHealth = z.infer<typeof ServiceHealth>;

export const ServiceHealthList = z.object({ items: z.array(ServiceHealth) });

/** One change of a service's or a probe's state: outages and recoveries, kept. */
export const HealthChange = z.object({
  at: z.iso.datetime({ offset: true }),
  /** null: the service's own state. */
  probeId: z.string().nullable(),
  from: z.enum(HEALTH_STATES),
  to: z.enum(HEALTH_STATES),
  reason: z.string().nullable(),
});
export type HealthChange = z.infer<typeof HealthChange>;

/** One service's health with its latest changes (newest first). */
export const ServiceHealthDetail = ServiceHealth.extend({ changes: z.array(HealthChange) });
export type ServiceHealthDetail = z.infer<typeof ServiceHealthDetail>;

/** What the stream carries on `service.health`: a service's new state and its probes' states. */
export interface ServiceHealthChange {
  serviceKey: string;
  state: HealthState;
  since: string;
  previous: HealthState;
  probes: { id: string; state: HealthState; since: string }[];
}
