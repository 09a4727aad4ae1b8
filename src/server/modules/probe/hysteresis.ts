/**
 * Probe state with hysteresis, and a service's health from its probes' states (pure functions).
 * - A failed check counts toward `failuresToDown` consecutive failures; reaching it makes the probe down.
 * - A successful check (up, or degraded when slower than maxLatencyMs) counts toward `successesToUp`
 *   consecutive successes; a down probe comes back after that many. A probe that was up or degraded
 *   follows each success at once (up <-> degraded), and a new probe (unknown) takes its first success.
 * - A check the outbound guard refused says nothing about the service: the probe is `unknown` again and
 *   both streaks start over (so it can never go down, nor raise an alert, for a refusal).
 */
import type { HealthState, ProbeOutcome } from '../../../shared/probe-schemas.js';

export interface Streaks {
  state: HealthState;
  failStreak: number;
  okStreak: number;
}

export function nextState(
  cur: Streaks,
  outcome: ProbeOutcome,
  limits: { failuresToDown: number; successesToUp: number },
): Streaks {
  if (outcome === 'refused') return { state: 'unknown', failStreak: 0, okStreak: 0 };
  if (outcome === 'down') {
    const failStreak = cur.failStreak + 1;
    return { state: failStreak >= limits.failuresToDown ? 'down' : cur.state, failStreak, okStreak: 0 };
  }
  const okStreak = cur.okStreak + 1;
  const recovers = cur.state !== 'down' || okStreak >= limits.successesToUp;
  return { state: recovers ? outcome : cur.state, failStreak: 0, okStreak };
}

const RANK: Record<HealthState, number> = { unknown: 0, up: 1, degraded: 2, down: 3 };

/** The worst state among those known; `unknown` when none is known (no enabled probe, or none has run). */
export function worst(states: HealthState[]): HealthState {
  let w: HealthState = 'unknown';
  for (const s of states) if (RANK[s] > RANK[w]) w = s;
  return w;
}

/** The value below which `q` (0–1) of the sorted values lie (nearest rank). */
export function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}
