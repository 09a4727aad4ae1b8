/**
 * The live clocks of an incident (docs/obligations.md, Live clocks): re-evaluated inside the transaction
 * of every change of the incident, its regulatory facts or the firm's profile (so the very next read
 * shows them), compared with what the clocks said before (`compareEvaluations`): what started, stopped
 * or moved goes on the incident's timeline and out on the live stream after the commit.
 */
import type { ObligationStage } from '../../../shared/obligation-schemas.js';
import { afterCommit, type Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import type { Bus } from '../../platform/bus.js';
import { newId, type Clock } from '../../platform/ids.js';
import type { IncidentService } from '../incident/index.js';
import type { ObligationCatalog } from './catalog.js';
import { compareEvaluations, evaluate, type Evaluation } from './evaluate.js';
import { firmCatalog, liveFacts, type IncidentSide } from './live-facts.js';
import { clockOf, clocksOf, insertClock, updateClock, type ClockRow } from './obligation.repository.js';
import type { ProfileStore } from './profile.service.js';

export interface ClockDeps {
  store: Store;
  bus: Bus;
  clock: Clock;
  incidents: IncidentService;
  catalog: ObligationCatalog;
  profiles: ProfileStore;
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString().replace('.000Z', 'Z'));
const at = (s: string | null) => (s === null ? null : Date.parse(s));
const label = (e: { obligation: string; stage: string }) => `${e.obligation} (${e.stage})`;

/** The status a clock has for its deadline and submission at `now`. */
export function statusOf(
  row: Pick<ClockRow, 'due_at' | 'submitted_at'>,
  now: number,
): 'running' | 'met' | 'met_late' | 'missed' {
  if (row.submitted_at !== null) return row.due_at === null || row.submitted_at <= row.due_at ? 'met' : 'met_late';
  return row.due_at !== null && row.due_at < now ? 'missed' : 'running';
}

export function createClockService(deps: ClockDeps) {
  const { bus, clock, incidents, catalog, profiles } = deps;

  /** The incident as the evaluation reads it. */
  async function sideOf(db: Db, incidentId: string): Promise<IncidentSide & { key: string; falsePositive: boolean }> {
    const i = await incidents.current(db, incidentId);
    return {
      key: i.key,
      falsePositive: i.status === 'false_positive',
      grade: i.grade,
      detectedAt: i.milestones.detectedAt,
      recoveredAt: i.milestones.recoveredAt,
      closedAt: i.milestones.closedAt,
      customersAffected: i.impact.customersAffected,
      recordsExposed: i.impact.recordsExposed,
    };
  }

  /** Tells the consoles showing the incident to refetch its clocks (after the commit). */
  async function announce(tx: Db, incidentId: string): Promise<void> {
    const ref = (await incidents.refs(tx, [incidentId])).get(incidentId);
    if (ref)
      afterCommit(tx, () => bus.publish({ event: 'obligation.changed', incidentKey: ref.key, audience: ref.audience }));
  }

  /** A system entry on the incident's timeline, live after the commit. */
  async function note(tx: Db, incidentId: string, text: string, data: Record<string, unknown>): Promise<void> {
    const { publish } = await incidents.recordOnTimeline(tx, incidentId, { text, data });
    afterCommit(tx, publish);
  }

  /** Evaluates the incident's obligations now and brings its clocks in line, in `tx` (live after the commit). */
  async function reevaluate(tx: Db, incidentId: string): Promise<void> {
    const now = clock.now();
    const view = await profiles.view(tx);
    // No firm profile saved yet: the installation has not said what it is, so no clock runs (docs/obligations.md).
    if (view.version === 0) return;
    const { version: _v, updatedAt: _u, ...firm } = view;
    const [side, facts, rows] = await Promise.all([
      sideOf(tx, incidentId),
      profiles.facts(tx, incidentId),
      clocksOf(tx, incidentId),
    ]);
    const submitted = (o: string) => rows.find((r) => r.obligation === o)?.submitted_at ?? null;
    const evaluated = evaluate(
      firmCatalog(catalog.obligations, firm),
      liveFacts(firm, facts, side, {
        doraInitial: submitted('dora-initial'),
        doraIntermediate: submitted('dora-intermediate'),
      }),
      catalog.calendars,
    );
    // A false positive was no incident: its clocks stop (a report already submitted stays as it was).
    const ev: Evaluation = side.falsePositive
      ? {
          entries: evaluated.entries.filter((e) => submitted(e.obligation) !== null),
          notApplicable: evaluated.entries.map((e) => ({
            obligation: e.obligation,
            stage: e.stage,
            why: 'The incident was found to be a false positive.',
            why_zh: '经核实为误报，不是事件。',
          })),
        }
      : evaluated;
    const before: Evaluation = {
      entries: rows
        .filter((r) => r.status !== 'stopped')
        .map((r) => ({
          obligation: r.obligation,
          stage: r.stage as ObligationStage,
          due: iso(r.due_at),
          applies: r.applies as 'yes' | 'unknown',
          starts: iso(r.starts_at),
          why: r.why,
          why_zh: r.why_zh,
        })),
      notApplicable: [],
    };
    const changes = compareEvaluations(before, ev);
    const byKey = new Map(rows.map((r) => [`${r.obligation}\u0000${r.stage}`, r]));
    let touched = false;
    for (const e of ev.entries) {
      const row = byKey.get(`${e.obligation}\u0000${e.stage}`);
      const set = { applies: e.applies, starts_at: at(e.starts), due_at: at(e.due), why: e.why, why_zh: e.why_zh };
      if (!row) {
        await insertClock(tx, {
          id: newId(),
          incident_id: incidentId,
          obligation: e.obligation,
          stage: e.stage,
          ...set,
          status: 'running', // a deadline already passed is recorded missed (and paged) by the warning sweep
          submitted_at: null,
          report_id: null,
          created_at: now,
          updated_at: now,
        });
        touched = true;
        continue;
      }
      // Submitted: met or late against the deadline as it is now; missed stays missed while its deadline stands.
      const status =
        row.submitted_at !== null
          ? statusOf({ due_at: set.due_at, submitted_at: row.submitted_at }, now)
          : row.status === 'missed' && row.due_at === set.due_at
            ? 'missed'
            : 'running';
      const same =
        row.applies === set.applies &&
        row.starts_at === set.starts_at &&
        row.due_at === set.due_at &&
        row.why === set.why &&
        row.why_zh === set.why_zh &&
        row.status === status;
      if (same) continue;
      await updateClock(tx, row.id, { ...set, status, updated_at: now });
      touched = true;
    }
    for (const n of changes.stopped) {
      const row = byKey.get(`${n.obligation}\u0000${n.stage}`)!;
      await updateClock(tx, row.id, { status: 'stopped', why: n.why, why_zh: n.why_zh, updated_at: now });
      touched = true;
    }
    if (changes.started.length + changes.stopped.length + changes.changed.length) {
      const parts = [
        ...changes.started.map((e) => `started ${label(e)} due ${e.due ?? 'unknown'}`),
        ...changes.stopped.map((e) => `stopped ${label(e)}: ${e.why}`),
        ...changes.changed.map(
          (c) => `moved ${label(c.after)} from ${c.before.due ?? 'unknown'} to ${c.after.due ?? 'unknown'}`,
        ),
      ];
      await note(tx, incidentId, `Regulatory clocks: ${parts.join('; ')}`, {
        event: 'obligations_changed',
        started: changes.started.map((e) => ({
          obligation: e.obligation,
          stage: e.stage,
          due: e.due,
          why: e.why,
          whyZh: e.why_zh,
        })),
        stopped: changes.stopped.map((e) => ({
          obligation: e.obligation,
          stage: e.stage,
          why: e.why,
          whyZh: e.why_zh,
        })),
        changed: changes.changed.map((c) => ({
          obligation: c.after.obligation,
          stage: c.after.stage,
          dueBefore: c.before.due,
          due: c.after.due,
          why: c.after.why,
          whyZh: c.after.why_zh,
        })),
      });
    }
    if (touched) await announce(tx, incidentId);
  }

  /**
   * A report was submitted (`obligation.report_submitted`): the stage is met, or met late; DORA's later
   * stages count from it (re-evaluated). Idempotent: a repeated delivery changes nothing.
   */
  async function submitted(
    tx: Db,
    e: { incidentId: string; obligation: string; stage: string; submittedAt: number; reportId: string },
  ): Promise<ClockRow | null> {
    let row = await clockOf(tx, e.incidentId, e.obligation, e.stage);
    if (!row) {
      // Submitted before the clock was seen (or for a stage not yet evaluated): evaluate first.
      await reevaluate(tx, e.incidentId);
      row = await clockOf(tx, e.incidentId, e.obligation, e.stage);
      if (!row) return null;
    }
    if (row.submitted_at === e.submittedAt && row.report_id === e.reportId) return null;
    const status = statusOf({ due_at: row.due_at, submitted_at: e.submittedAt }, clock.now());
    await updateClock(tx, row.id, {
      submitted_at: e.submittedAt,
      report_id: e.reportId,
      status,
      updated_at: clock.now(),
    });
    await note(
      tx,
      e.incidentId,
      `Regulatory report submitted: ${label(row)} at ${iso(e.submittedAt)}, ${status === 'met' ? 'on time' : `late (due ${iso(row.due_at)})`}`,
      {
        event: 'obligation_met',
        obligation: row.obligation,
        stage: row.stage,
        status,
        submittedAt: iso(e.submittedAt),
        due: iso(row.due_at),
      },
    );
    await reevaluate(tx, e.incidentId);
    await announce(tx, e.incidentId);
    return { ...row, status, submitted_at: e.submittedAt, report_id: e.reportId };
  }

  return { reevaluate, submitted, announce, note };
}

export type ClockService = ReturnType<typeof createClockService>;
