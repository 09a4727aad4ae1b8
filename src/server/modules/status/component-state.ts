/** A service's public state now, and the history its uptime bars are drawn from (the rules are uptime.ts's). */
import type { ComponentState } from '../../../shared/status-site.js';
import type { StatusMaintenancesTable, StatusOverridesTable } from '../../platform/db/types.js';
import type { ComponentRow } from './status.repository.js';
import { parseList } from './status.mapper.js';
import { combine, fromHealth, type ServiceHistory } from './uptime.js';

export interface LiveState {
  state: ComponentState;
  source: 'probe' | 'manual';
  since: number;
}

/**
 * The probes' verdict as a public state: the service's health (its worst probe), except that some
 * probes down while others still answer is a partial outage, not a major one.
 */
export function probeVerdict(
  row: Pick<ComponentRow, 'health_state' | 'probes_down' | 'probes_up'>,
): ComponentState | null {
  const state = fromHealth(row.health_state);
  return state === 'major_outage' && Number(row.probes_down) > 0 && Number(row.probes_up) > 0
    ? 'partial_outage'
    : state;
}

/** Maintenance windows by service key. */
export function maintenancesByService(rows: StatusMaintenancesTable[]): Map<string, StatusMaintenancesTable[]> {
  const out = new Map<string, StatusMaintenancesTable[]>();
  for (const m of rows) for (const k of parseList<string>(m.services)) out.set(k, [...(out.get(k) ?? []), m]);
  return out;
}

/** The state shown now: the override in force wins over the probes; maintenance under way unless worse. */
export function liveState(
  row: ComponentRow,
  override: StatusOverridesTable | undefined,
  maintenances: StatusMaintenancesTable[],
  now: number,
): LiveState {
  const probe = probeVerdict(row);
  const active = maintenances.filter((m) => Number(m.starts_at) <= now && now < Number(m.ends_at));
  const state =
    combine(probe, (override?.state as ComponentState | undefined) ?? null, active.length > 0) ?? 'operational';
  if (override) {
    const since =
      state === 'maintenance' && override.state !== 'maintenance'
        ? Math.min(...active.map((m) => Number(m.starts_at)))
        : Number(override.started_at);
    return { state, source: 'manual', since };
  }
  if (state === 'maintenance')
    return { state, source: 'probe', since: Math.min(...active.map((m) => Number(m.starts_at))) };
  return { state, source: 'probe', since: Number(row.health_since ?? row.service_created_at) };
}

/** The history of one service for its bars (changes of the window, overrides and maintenance touching it). */
export function historyOf(
  row: ComponentRow,
  changes: { at: number; probe_id: string | null; from_state: string; to_state: string }[],
  overrides: StatusOverridesTable[],
  maintenances: StatusMaintenancesTable[],
): ServiceHistory {
  return {
    current: probeVerdict(row),
    changes: changes
      .filter((c) => c.probe_id === null)
      .map((c) => ({ at: Number(c.at), from: c.from_state, to: c.to_state })),
    probeChanges: changes.flatMap((c) =>
      c.probe_id === null ? [] : [{ probeId: c.probe_id, at: Number(c.at), from: c.from_state, to: c.to_state }],
    ),
    overrides: overrides.map((o) => ({
      from: Number(o.started_at),
      to: o.ended_at === null ? null : Number(o.ended_at),
      state: o.state as ComponentState,
    })),
    maintenances: maintenances.map((m) => ({ from: Number(m.starts_at), to: Number(m.ends_at) })),
  };
}
