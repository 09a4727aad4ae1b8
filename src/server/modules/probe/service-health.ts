/** Reading each service's health: its state, its probes with their last results, latencies and outcomes, its history. */
import type { HealthState, Probe, ServiceHealth, ServiceHealthDetail } from '../../../shared/probe-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import type { ServicesTable } from '../../platform/db/types.js';
import { iso, type Clock } from '../../platform/ids.js';
import { toProbe, toProbeHealth } from './probe.mapper.js';
import {
  healthChanges,
  healthOf,
  lastResults,
  outcomeCounts,
  probesOfServices,
  successLatencies,
  type ProbeView,
} from './probe.repository.js';

const HOUR = 3600_000;

export function createHealthReader(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps;

  /** Probes as the API shows them, each with its last result. */
  async function withResults(rows: ProbeView[]): Promise<Probe[]> {
    const last = await lastResults(
      store.db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => toProbe(r, last.get(r.id)));
  }

  async function ofServices(svcs: ServicesTable[]): Promise<ServiceHealth[]> {
    const now = clock.now();
    const rows = await probesOfServices(
      store.db,
      svcs.map((s) => s.id),
    );
    const ids = rows.map((r) => r.id);
    const [probes, lat, counts, health] = await Promise.all([
      withResults(rows),
      successLatencies(store.db, ids, now - HOUR),
      outcomeCounts(store.db, ids, now - 24 * HOUR),
      healthOf(
        store.db,
        svcs.map((s) => s.id),
      ),
    ]);
    return svcs.map((s) => {
      const h = health.get(s.id);
      return {
        serviceKey: s.key,
        nameZh: s.name_zh,
        nameEn: s.name_en,
        state: (h?.state ?? 'unknown') as ServiceHealth['state'],
        since: iso(h?.since ?? s.created_at),
        probes: probes
          .filter((p) => p.serviceKey === s.key)
          .map((p) => toProbeHealth(p, lat.get(p.id), counts.get(p.id))),
      };
    });
  }

  /** One service's health with its latest 50 changes. */
  async function detail(svc: ServicesTable): Promise<ServiceHealthDetail> {
    const [health, changes] = await Promise.all([ofServices([svc]), healthChanges(store.db, svc.id, 50)]);
    return {
      ...health[0]!,
      changes: changes.map((c) => ({
        at: iso(c.at),
        probeId: c.probe_id,
        from: c.from_state as HealthState,
        to: c.to_state as HealthState,
        reason: c.reason,
      })),
    };
  }

  return { withResults, ofServices, detail };
}
