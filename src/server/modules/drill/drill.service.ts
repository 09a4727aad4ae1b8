/**
 * Drills (定期演练, issue 16, docs/drills.md): planned, started on a drill incident, run with their injects,
 * ended or cancelled. Every change is audited; reads are `drill.read`, changes `drill.manage`.
 */
import type { Drill, DrillCreate, DrillUpdate, InjectInput } from '../../../shared/drill-schemas.js';
import type { Db } from '../../platform/db/types.js';
import { invalid } from '../../platform/errors.js';
import { drillMissing, wrongStatus } from './drill-errors.js';
import { newId } from '../../platform/ids.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { DrillDeps } from './drill-deps.js';
import { createDrillRun } from './drill-run.js';
import { createDrillView } from './drill-view.js';
import {
  type DrillRow,
  drillById,
  type InjectRow,
  injectsOf,
  insertDrill,
  insertInjects,
  updateDrill,
} from './drill.repository.js';

export function injectRows(drillId: string, injects: InjectInput[]): InjectRow[] {
  return injects.map((i) => ({
    id: newId(),
    drill_id: drillId,
    offset_minutes: i.offsetMinutes,
    title_zh: i.title.zh,
    title_en: i.title.en,
    text_zh: i.text.zh,
    text_en: i.text.en,
    channel: i.channel,
    expected_zh: i.expected?.zh ?? null,
    expected_en: i.expected?.en ?? null,
    released_at: null,
    released_by: null,
    entry_id: null,
  }));
}

const auditView = (row: DrillRow, injects?: number) => ({
  title: row.title,
  kind: row.kind,
  planId: row.plan_id,
  scheduledAt: new Date(Number(row.scheduled_at)).toISOString(),
  status: row.status,
  facilitatorId: row.facilitator_id,
  participants: JSON.parse(row.participants) as string[],
  ...(injects === undefined ? {} : { injects }),
});

export function createDrillService(deps: DrillDeps) {
  const { store, audit, clock, users } = deps;
  const view = createDrillView(deps);
  const run = createDrillRun(deps);

  async function assertUsers(db: Db, ids: string[], path: string) {
    for (const id of ids)
      if (!(await users.activeById(id, db)))
        throw invalid(
          `user ${id} does not exist or is disabled`,
          [{ path, message: 'unknown or disabled user', code: 'unknown_user' }],
          { code: 'user.unknown_or_disabled', params: { id } },
        );
  }

  async function load(db: Db, id: string): Promise<DrillRow> {
    const row = await drillById(db, id);
    if (!row) throw drillMissing(id);
    return row;
  }

  return {
    ...view.reads,
    start: run.start,

    /** The bundled inject scripts. */
    async scripts(p: Principal) {
      assertCan(p, 'drill.read');
      return { items: [...deps.scripts().values()] };
    },
    release: run.release,

    /** Plans a drill, from a plan (with its bundled inject script when `useScript`) and/or a written scenario. */
    async create(p: Principal, input: DrillCreate): Promise<Drill> {
      assertCan(p, 'drill.manage');
      const now = clock.now();
      const id = newId();
      await store.transaction(async (tx) => {
        const plan = input.planId ? (await deps.plans(tx)).find((x) => x.planId === input.planId) : undefined;
        if (input.planId && !plan)
          throw invalid(
            `no active plan "${input.planId}"`,
            [{ path: 'planId', message: 'not an active plan', code: 'unknown_plan' }],
            { code: 'plan.not_active', params: { planId: input.planId } },
          );
        const script = input.useScript && input.planId ? deps.scripts().get(input.planId) : undefined;
        if (input.useScript && !script)
          throw invalid(
            `no bundled inject script for plan "${input.planId ?? ''}"`,
            [{ path: 'useScript', message: 'no bundled script for this plan', code: 'unknown_plan' }],
            { code: 'drill.no_script', params: { planId: input.planId ?? '' } },
          );
        await assertUsers(
          tx,
          [...(input.facilitatorId ? [input.facilitatorId] : []), ...input.participants],
          'participants',
        );
        const row: DrillRow = {
          id,
          title: input.title,
          kind: input.kind,
          plan_id: input.planId ?? null,
          scenario_zh: input.scenario?.zh ?? plan?.document.scenario['zh-CN'] ?? '',
          scenario_en: input.scenario?.en ?? plan?.document.scenario.en ?? '',
          scheduled_at: Date.parse(input.scheduledAt),
          status: 'scheduled',
          facilitator_id: input.facilitatorId ?? p.user.id,
          participants: JSON.stringify([...new Set(input.participants)]),
          grade: input.grade,
          category: input.category,
          incident_id: null,
          started_at: null,
          ended_at: null,
          notes: '',
          created_by: p.user.id,
          created_at: now,
          updated_at: now,
        };
        const injects = injectRows(id, [...(script?.injects ?? []), ...input.injects]);
        await insertDrill(tx, row, injects);
        await audit.append(tx, actorOf(p), {
          action: 'drill.create',
          targetType: 'drill',
          targetId: id,
          after: auditView(row, injects.length),
        });
      });
      return view.get(p, id);
    },

    /** Edits what the drill is (title, time, people) and the after-action report's text. */
    async update(p: Principal, id: string, input: DrillUpdate): Promise<Drill> {
      assertCan(p, 'drill.manage');
      await store.transaction(async (tx) => {
        const row = await load(tx, id);
        if (row.status === 'cancelled') throw wrongStatus(row.status, 'edited');
        await assertUsers(
          tx,
          [...(input.facilitatorId ? [input.facilitatorId] : []), ...(input.participants ?? [])],
          'participants',
        );
        const set: Partial<DrillRow> = { updated_at: clock.now() };
        if (input.title !== undefined) set.title = input.title;
        if (input.scheduledAt !== undefined) {
          if (row.status !== 'scheduled') throw wrongStatus(row.status, 'rescheduled');
          set.scheduled_at = Date.parse(input.scheduledAt);
        }
        if (input.facilitatorId !== undefined) set.facilitator_id = input.facilitatorId;
        if (input.participants !== undefined) set.participants = JSON.stringify([...new Set(input.participants)]);
        if (input.notes !== undefined) set.notes = input.notes;
        await updateDrill(tx, id, set);
        await audit.append(tx, actorOf(p), {
          action: 'drill.update',
          targetType: 'drill',
          targetId: id,
          before: { ...auditView(row), notes: input.notes === undefined ? undefined : row.notes },
          after: { ...auditView({ ...row, ...set }), notes: input.notes },
        });
      });
      return view.get(p, id);
    },

    /** Adds written injects (before or during the drill; a running drill schedules them at once). */
    async addInjects(p: Principal, id: string, injects: InjectInput[]): Promise<Drill> {
      assertCan(p, 'drill.manage');
      await store.transaction(async (tx) => {
        const row = await load(tx, id);
        if (row.status !== 'scheduled' && row.status !== 'running') throw wrongStatus(row.status, 'given injects');
        const rows = injectRows(id, injects);
        await insertInjects(tx, rows);
        if (row.status === 'running') await run.schedule(tx, row, rows);
        await audit.append(tx, actorOf(p), {
          action: 'drill.inject_add',
          targetType: 'drill',
          targetId: id,
          after: { injects: rows.map((r) => ({ id: r.id, offsetMinutes: r.offset_minutes, title: r.title_en })) },
        });
      });
      return view.get(p, id);
    },

    /** Ends a running drill: completed (its score is final from then on, as the incident's facts stand). */
    async end(p: Principal, id: string): Promise<Drill> {
      return finish(p, id, 'completed');
    },

    /** Cancels a drill not yet completed. */
    async cancel(p: Principal, id: string): Promise<Drill> {
      return finish(p, id, 'cancelled');
    },
  };

  async function finish(p: Principal, id: string, to: 'completed' | 'cancelled'): Promise<Drill> {
    assertCan(p, 'drill.manage');
    await store.transaction(async (tx) => {
      const row = await load(tx, id);
      const allowed = to === 'completed' ? ['running'] : ['scheduled', 'running'];
      if (!allowed.includes(row.status)) throw wrongStatus(row.status, to === 'completed' ? 'ended' : 'cancelled');
      const now = clock.now();
      await updateDrill(tx, id, { status: to, ended_at: now, updated_at: now });
      const unreleased = (await injectsOf(tx, id)).filter((i) => i.released_at === null).length;
      await audit.append(tx, actorOf(p), {
        action: to === 'completed' ? 'drill.end' : 'drill.cancel',
        targetType: 'drill',
        targetId: id,
        before: { status: row.status },
        after: { status: to, unreleasedInjects: unreleased },
        incidents: row.incident_id ? [row.incident_id] : undefined,
      });
    });
    return view.get(p, id);
  }
}

export type DrillService = ReturnType<typeof createDrillService>;
