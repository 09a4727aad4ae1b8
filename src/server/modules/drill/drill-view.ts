/**
 * Reading drills: one drill with its injects (when each was released and answered) and its score, the
 * list, the calendar by month with who took part, and each plan's drill coverage.
 */
import type {
  Drill,
  DrillCalendar,
  DrillStatus,
  DrillSummary,
  Inject,
  PlanCoverage,
} from '../../../shared/drill-schemas.js';
import type { TimelineEntry } from '../../../shared/incident-schemas.js';
import type { Plan } from '../../../shared/plan-schemas.js';
import { AppError } from '../../platform/errors.js';
import { iso } from '../../platform/ids.js';
import { renderMarkdown } from '../../platform/markdown.js';
import { assertCan, type Principal } from '../auth/index.js';
import type { DrillDeps } from './drill-deps.js';
import { drillMissing } from './drill-errors.js';
import { type ScoreFacts, scoreDrill } from './drill-score.js';
import {
  type DrillRow,
  drillById,
  type InjectRow,
  injectsOf,
  lastCompletedByPlan,
  listDrills,
} from './drill.repository.js';

/** Drills read for a calendar or list at most. */
const LIST_MAX = 2000;

/** The data or undefined when the reader may not read it (403): that measure is withheld, not zero. */
async function readOr<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError && err.status === 403) return undefined;
    throw err;
  }
}

const first = (times: (number | null)[]): number | null => {
  const xs = times.filter((t): t is number => t !== null && Number.isFinite(t));
  return xs.length ? Math.min(...xs) : null;
};
const ms = (s: string | null | undefined) => (s ? Date.parse(s) : null);
const monthOf = (t: number) => new Date(t).toISOString().slice(0, 7);

export function createDrillView(deps: DrillDeps) {
  const { store, users, incidents, sources } = deps;

  async function summaries(rows: DrillRow[]): Promise<DrillSummary[]> {
    const people = rows.flatMap((r) => [
      ...(r.facilitator_id ? [r.facilitator_id] : []),
      ...(JSON.parse(r.participants) as string[]),
    ]);
    const names = await users.namesOf(new Set(people));
    const keys = new Map<string, string>();
    for (const r of rows)
      if (r.incident_id && !keys.has(r.incident_id))
        keys.set(r.incident_id, (await incidents.current(store.db, r.incident_id)).key);
    const person = (id: string) => ({ id, name: names.get(id) ?? null });
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      kind: r.kind as DrillSummary['kind'],
      planId: r.plan_id,
      scheduledAt: iso(Number(r.scheduled_at)),
      status: r.status as DrillStatus,
      facilitator: r.facilitator_id ? person(r.facilitator_id) : null,
      participants: (JSON.parse(r.participants) as string[]).map(person),
      grade: r.grade as DrillSummary['grade'],
      category: r.category as DrillSummary['category'],
      incidentKey: r.incident_id ? (keys.get(r.incident_id) ?? null) : null,
      startedAt: iso(r.started_at === null ? null : Number(r.started_at)),
      endedAt: iso(r.ended_at === null ? null : Number(r.ended_at)),
    }));
  }

  /**
   * The first entry by a person after the release, other than an inject (its answer): after the inject's
   * own entry in the timeline's order when it is there (entries of the same millisecond, such as the
   * participants joining as the drill starts, come before it and are not an answer), else by time.
   */
  function answerOf(inject: InjectRow, timeline: TimelineEntry[] | undefined) {
    if (inject.released_at === null || !timeline) return null;
    const released = Number(inject.released_at);
    const own = timeline.find((x) => x.id === inject.entry_id);
    const after = own ? (x: TimelineEntry) => x.seq > own.seq : (x: TimelineEntry) => Date.parse(x.at) >= released;
    const e = timeline.find((x) => x.actor && after(x) && x.data?.event !== 'drill_inject');
    return e ? { at: e.at, minutes: Math.round((Date.parse(e.at) - released) / 6_000) / 10 } : null;
  }

  async function injectsView(
    row: DrillRow,
    injects: InjectRow[],
    timeline: TimelineEntry[] | undefined,
  ): Promise<Inject[]> {
    const names = await users.namesOf(injects.flatMap((i) => (i.released_by ? [i.released_by] : [])));
    return injects.map((i) => {
      const answer = answerOf(i, timeline);
      return {
        id: i.id,
        offsetMinutes: i.offset_minutes,
        title: { zh: i.title_zh, en: i.title_en },
        text: { zh: i.text_zh, en: i.text_en },
        channel: i.channel as Inject['channel'],
        expected:
          i.expected_zh !== null || i.expected_en !== null
            ? { zh: i.expected_zh ?? '', en: i.expected_en ?? '' }
            : null,
        dueAt: row.started_at === null ? null : iso(Number(row.started_at) + i.offset_minutes * 60_000),
        releasedAt: iso(i.released_at === null ? null : Number(i.released_at)),
        releasedBy: i.released_by ? { id: i.released_by, name: names.get(i.released_by) ?? null } : null,
        answeredAt: answer?.at ?? null,
        answerMinutes: answer?.minutes ?? null,
      };
    });
  }

  async function facts(p: Principal, key: string): Promise<ScoreFacts> {
    const [incident, activations, statements, reports, campaigns, obligations] = await Promise.all([
      readOr(() => incidents.get(p, key)),
      readOr(() => sources.activations(p, key)),
      readOr(() => sources.statements(p, key)),
      readOr(() => sources.reports(p, key)),
      readOr(() => sources.campaigns(p, key)),
      readOr(() => sources.obligations(p, key)),
    ]);
    const report = (obligation: string) =>
      reports && first(reports.filter((r) => r.obligation === obligation).map((r) => ms(r.createdAt)));
    const deadlines = new Map<string, number>();
    for (const c of obligations?.clocks ?? []) {
      const due = ms(c.due);
      if (due === null) continue;
      const was = deadlines.get(c.obligation);
      if (was === undefined || due < was) deadlines.set(c.obligation, due);
    }
    return {
      activatedAt: activations && first(activations.map((a) => ms(a.activatedAt))),
      containedAt: incident && ms(incident.milestones.containedAt),
      holdingStatementAt:
        statements && first(statements.filter((s) => s.kind === 'holding_statement').map((s) => ms(s.createdAt))),
      cacReportAt: report('cac-report'),
      csrcReportAt: report('csrc-emergency'),
      customerNoticeAt: campaigns && first(campaigns.map((c) => ms(c.launchedAt))),
      deadlines,
    };
  }

  async function get(p: Principal, id: string): Promise<Drill> {
    assertCan(p, 'drill.read');
    const row = await drillById(store.db, id);
    if (!row) throw drillMissing(id);
    const [summary] = await summaries([row]);
    const injects = await injectsOf(store.db, id);
    const key = summary!.incidentKey;
    const timeline = key ? await readOr(() => sources.timeline(p, key)) : undefined;
    let plan: Plan | null = null;
    if (row.plan_id) plan = (await deps.plans()).find((x) => x.planId === row.plan_id)?.document ?? null;
    const score = key && row.started_at !== null ? scoreDrill(Number(row.started_at), plan, await facts(p, key)) : null;
    return {
      ...summary!,
      scenario: { zh: row.scenario_zh, en: row.scenario_en },
      injects: await injectsView(row, injects, timeline),
      score,
      notes: row.notes,
      notesHtml: renderMarkdown(row.notes),
      actionItemSource: { kind: 'drill', id: row.id },
      createdAt: iso(Number(row.created_at)),
      updatedAt: iso(Number(row.updated_at)),
    };
  }

  /** Each active plan's last completed drill; overdue when none ended within the period. */
  async function coverage(): Promise<PlanCoverage[]> {
    const plans = await deps.plans();
    const last = new Map<string, { id: string; title: string; ended_at: number | null }>();
    for (const r of await lastCompletedByPlan(store.db)) if (!last.has(r.plan_id!)) last.set(r.plan_id!, r);
    const since = new Date(deps.clock.now());
    since.setUTCMonth(since.getUTCMonth() - deps.periodMonths);
    return plans
      .map((plan) => {
        const d = last.get(plan.planId);
        const endedAt = d?.ended_at == null ? null : Number(d.ended_at);
        return {
          planId: plan.planId,
          name: plan.document.name,
          periodMonths: deps.periodMonths,
          lastDrill: d && endedAt !== null ? { id: d.id, title: d.title, endedAt: iso(endedAt) } : null,
          overdue: endedAt === null || endedAt < since.getTime(),
        };
      })
      .sort((a, b) => a.planId.localeCompare(b.planId));
  }

  return {
    get,
    reads: {
      get,
      async list(p: Principal, q: { month?: string; status?: DrillStatus }): Promise<{ items: DrillSummary[] }> {
        assertCan(p, 'drill.read');
        const rows = await listDrills(store.db, { status: q.status, limit: LIST_MAX });
        return {
          items: await summaries(q.month ? rows.filter((r) => monthOf(Number(r.scheduled_at)) === q.month) : rows),
        };
      },
      /** Drills by month (UTC) with who took part, and each plan's coverage. */
      async calendar(p: Principal): Promise<DrillCalendar> {
        assertCan(p, 'drill.read');
        const items = await summaries(await listDrills(store.db, { limit: LIST_MAX }));
        const months = new Map<string, DrillSummary[]>();
        for (const d of items) {
          const m = d.scheduledAt.slice(0, 7);
          months.set(m, [...(months.get(m) ?? []), d]);
        }
        return {
          months: [...months].map(([month, drills]) => ({ month, drills })),
          coverage: await coverage(),
        };
      },
    },
  };
}
