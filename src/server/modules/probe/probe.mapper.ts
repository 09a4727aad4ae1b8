/** Rows to the API's shapes: probes, results, health. */
import type {
  HealthState,
  Probe,
  ProbeExpect,
  ProbeHealth,
  ProbeKind,
  ProbeOutcome,
  ProbeResult,
} from '../../../shared/probe-schemas.js';
import { iso } from '../../platform/ids.js';
import { percentile } from './hysteresis.js';
import type { ProbeView, ResultRow } from './probe.repository.js';

export const toResult = (r: ResultRow): ProbeResult => ({
  at: iso(r.at),
  outcome: r.outcome as ProbeOutcome,
  latencyMs: Number(r.latency_ms),
  status: r.status_code ?? null,
  error: r.error,
});

export const toProbe = (r: ProbeView, last: ResultRow | undefined): Probe => ({
  id: r.id,
  serviceKey: r.service_key,
  name: r.name,
  kind: r.kind as ProbeKind,
  target: r.target,
  intervalS: Number(r.interval_s),
  timeoutMs: Number(r.timeout_ms),
  expect: JSON.parse(r.expect) as ProbeExpect,
  failuresToDown: Number(r.failures_to_down),
  successesToUp: Number(r.successes_to_up),
  enabled: Number(r.enabled) === 1,
  state: r.state as HealthState,
  stateSince: iso(r.state_since),
  lastResult: last ? toResult(last) : null,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

/** The probe's settings as audited (before/after). */
export const auditShape = (p: Probe) => ({
  serviceKey: p.serviceKey,
  name: p.name,
  kind: p.kind,
  target: p.target,
  intervalS: p.intervalS,
  timeoutMs: p.timeoutMs,
  expect: p.expect,
  failuresToDown: p.failuresToDown,
  successesToUp: p.successesToUp,
  enabled: p.enabled,
});

export function toProbeHealth(
  p: Probe,
  latencies: number[] | undefined,
  counts: { total: number; ok: number } | undefined,
): ProbeHealth {
  const sorted = [...(latencies ?? [])].sort((a, b) => a - b);
  return {
    ...p,
    latency: sorted.length
      ? { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), samples: sorted.length }
      : null,
    uptime24h: counts?.total ? Math.round((counts.ok / counts.total) * 10_000) / 100 : null,
  };
}
