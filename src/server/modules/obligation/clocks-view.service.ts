/** Reading the live clocks: an incident's (need-to-know as the incident), and the on-time record per obligation. */
import type {
  ClockStatus,
  IncidentObligations,
  ObligationClock,
  ObligationRecord,
} from '../../../shared/obligation-clock-schemas.js';
import type { Obligation, ObligationStage } from '../../../shared/obligation-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import type { Clock } from '../../platform/ids.js';
import { assertCan, type Principal } from '../auth/index.js';
import type { IncidentService } from '../incident/index.js';
import type { ObligationCatalog } from './catalog.js';
import { statusOf } from './clocks.service.js';
import { handlingEndedAt, warningInstants } from './live-facts.js';
import { clockCounts, clocksOf, warningsOf, type ClockRow, type WarningRow } from './obligation.repository.js';
import type { ProfileStore } from './profile.service.js';

const isoOf = (t: number | null) => (t === null ? null : new Date(t).toISOString());
const localized = (l: { 'zh-CN': string; en: string }) => ({ 'zh-CN': l['zh-CN'], en: l.en });

/** The catalog's stage of a clock (its names and warning points). */
export function stageOf(catalog: ObligationCatalog, obligation: string, stage: string) {
  const o = catalog.obligations.find((x) => x.id === obligation);
  return { obligation: o, stage: o?.stages.find((s) => s.stage === stage) };
}

function toClock(
  row: ClockRow,
  o: Obligation | undefined,
  warnings: WarningRow[],
  now: number,
  catalog: ObligationCatalog,
): ObligationClock {
  const { stage } = stageOf(catalog, row.obligation, row.stage);
  const status: ClockStatus = row.status === 'stopped' ? 'stopped' : statusOf(row, now);
  const next =
    status === 'running' && row.due_at !== null
      ? (warningInstants(stage?.warnings ?? [], row.starts_at ?? row.created_at, row.due_at).find((w) => w.at > now)
          ?.at ?? null)
      : null;
  const name = { 'zh-CN': row.obligation, en: row.obligation };
  return {
    id: row.id,
    obligation: row.obligation,
    stage: row.stage as ObligationStage,
    title: o ? localized(o.name) : name,
    stageTitle: stage ? localized(stage.name) : { 'zh-CN': row.stage, en: row.stage },
    regulator: o ? localized(o.regulator) : name,
    recipient: o ? localized(o.to) : name,
    applies: row.applies as 'yes' | 'unknown',
    startsAt: isoOf(row.starts_at),
    due: isoOf(row.due_at),
    status,
    why: { 'zh-CN': row.why_zh, en: row.why },
    nextWarningAt: isoOf(next),
    warnings: warnings
      .filter((w) => w.clock_id === row.id)
      .map((w) => ({ point: w.point, at: isoOf(w.at)!, firedAt: isoOf(w.fired_at)!, paged: w.page_id !== null })),
    submittedAt: isoOf(row.submitted_at),
  };
}

const ORDER: Record<ClockStatus, number> = { missed: 0, running: 1, met_late: 2, met: 3, stopped: 4 };

export function createClocksView(deps: {
  store: Store;
  clock: Clock;
  incidents: IncidentService;
  catalog: ObligationCatalog;
  profiles: ProfileStore;
}) {
  const { store, clock, incidents, catalog, profiles } = deps;
  return {
    async ofIncident(p: Principal, key: string): Promise<IncidentObligations> {
      assertCan(p, 'obligation.read');
      const db = store.db;
      const incident = await incidents.loadVisible(db, p, key);
      const [rows, firm, facts] = await Promise.all([
        clocksOf(db, incident.id),
        profiles.view(db),
        profiles.facts(db, incident.id),
      ]);
      const warnings = await warningsOf(
        db,
        rows.map((r) => r.id),
      );
      const now = clock.now();
      const clocks = rows
        .map((r) =>
          toClock(
            r,
            catalog.obligations.find((o) => o.id === r.obligation),
            warnings,
            now,
            catalog,
          ),
        )
        .sort(
          (a, b) =>
            ORDER[a.status] - ORDER[b.status] ||
            (a.due ?? '9999').localeCompare(b.due ?? '9999') ||
            a.obligation.localeCompare(b.obligation),
        );
      const m = incident.milestones;
      return {
        incidentKey: key,
        firm,
        facts,
        derived: {
          grade: incident.grade,
          discoveredAt: m.detectedAt,
          handlingEndedAt: handlingEndedAt({ recoveredAt: m.recoveredAt, closedAt: m.closedAt }),
          customersAffected: incident.impact.customersAffected,
          recordsExposed: incident.impact.recordsExposed,
        },
        clocks,
      };
    },

    /** Per obligation of the catalog: how many stages were met on time, late, missed, and are running. */
    async record(p: Principal): Promise<ObligationRecord> {
      assertCan(p, 'obligation.read');
      const counts = await clockCounts(store.db);
      const n = (o: string, s: string) => Number(counts.find((c) => c.obligation === o && c.status === s)?.n ?? 0);
      return {
        items: catalog.obligations.map((o) => ({
          obligation: o.id,
          title: localized(o.name),
          met: n(o.id, 'met'),
          metLate: n(o.id, 'met_late'),
          missed: n(o.id, 'missed'),
          running: n(o.id, 'running'),
        })),
      };
    },
  };
}
export type ClocksView = ReturnType<typeof createClocksView>;
