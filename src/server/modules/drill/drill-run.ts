/**
 * Running a drill: the start declares the drill incident (drill=true, so every plan's connectors run dry),
 * brings the participants in as observers, activates the drill's plan on it the normal way and schedules
 * each inject as a durable job due at its offset; a job (or the facilitator, "release now") releases the inject: a system entry on the incident's
 * timeline (the war room and its live stream show it) and the inject marked released — once.
 */
import type { Drill } from '../../../shared/drill-schemas.js';
import type { Db } from '../../platform/db/types.js';
import { conflict } from '../../platform/errors.js';
import { drillMissing, wrongStatus } from './drill-errors.js';
import type { Actor } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { DrillDeps } from './drill-deps.js';
import { createDrillView } from './drill-view.js';
import {
  type DrillRow,
  drillById,
  type InjectRow,
  injectsOf,
  markReleased,
  setInjectEntry,
  updateDrill,
} from './drill.repository.js';

/** The job that releases an inject when its offset has passed. */
export const RELEASE_JOB = 'drill.inject_release';
const SCHEDULER: Actor = { id: null, label: 'system (drills)' };
const CHANNEL_ZH: Record<string, string> = {
  weibo: '微博',
  wechat: '微信',
  media_call: '媒体来电',
  regulator_call: '监管来电',
  customer_calls: '客户来电',
  exchange: '交易所',
  internal: '内部',
};

const missing = drillMissing;

export function createDrillRun(deps: DrillDeps) {
  const { store, audit, clock, jobs, incidents } = deps;
  const view = createDrillView(deps);

  async function schedule(tx: Db, drill: DrillRow, injects: InjectRow[]) {
    for (const i of injects)
      await jobs.enqueue(tx, {
        kind: RELEASE_JOB,
        payload: { drillId: drill.id, injectId: i.id },
        runAt: Number(drill.started_at) + i.offset_minutes * 60_000,
        key: i.id,
      });
  }

  /** Releases one inject of a running drill (null actor: the scheduler); false when it was released already. */
  async function releaseIn(tx: Db, drill: DrillRow, inject: InjectRow, actor: Actor): Promise<(() => void) | null> {
    const now = clock.now();
    if (!(await markReleased(tx, inject.id, { released_at: now, released_by: actor.id }))) return null;
    const channelZh = CHANNEL_ZH[inject.channel] ?? inject.channel;
    const { entry, publish } = await incidents.recordOnTimeline(tx, drill.incident_id!, {
      actorId: actor.id,
      text: `[演练注入/Drill inject +${inject.offset_minutes} min · ${channelZh}/${inject.channel}] ${inject.title_zh} / ${inject.title_en}\n${inject.text_zh}\n${inject.text_en}`,
      data: {
        event: 'drill_inject',
        drillId: drill.id,
        injectId: inject.id,
        offsetMinutes: inject.offset_minutes,
        channel: inject.channel,
        title: { 'zh-CN': inject.title_zh, en: inject.title_en },
        body: { 'zh-CN': inject.text_zh, en: inject.text_en },
      },
    });
    await setInjectEntry(tx, inject.id, entry.id);
    await audit.append(tx, actor, {
      action: 'drill.inject_release',
      targetType: 'drill',
      targetId: drill.id,
      after: {
        injectId: inject.id,
        offsetMinutes: inject.offset_minutes,
        entryId: entry.id,
        scheduled: actor.id === null,
      },
      incidents: [drill.incident_id],
    });
    return publish;
  }

  /** The job: releases the inject if its drill still runs and nobody released it yet. */
  jobs.register<{ drillId: string; injectId: string }>(RELEASE_JOB, async (job) => {
    const publish = await store.transaction(async (tx) => {
      const drill = await drillById(tx, job.payload.drillId);
      if (drill?.status !== 'running' || !drill.incident_id) return null;
      const inject = (await injectsOf(tx, drill.id)).find((i) => i.id === job.payload.injectId);
      if (!inject || inject.released_at !== null) return null;
      return releaseIn(tx, drill, inject, SCHEDULER);
    });
    publish?.();
  });

  return {
    schedule,

    /**
     * Starts a scheduled drill: declares its incident ("[演练/DRILL] title", drill=true), activates its plan
     * there as the person starting it, and schedules the injects from now.
     */
    async start(p: Principal, id: string): Promise<Drill> {
      assertCan(p, 'drill.manage');
      const before = await drillById(store.db, id);
      if (!before) throw missing(id);
      if (before.status !== 'scheduled') throw wrongStatus(before.status, 'started');
      const incident = await deps.declare(p, {
        title: `[演练/DRILL] ${before.title}`.slice(0, 200),
        summary: [before.scenario_zh, before.scenario_en].filter(Boolean).join('\n\n').slice(0, 10_000),
        grade: before.grade as Drill['grade'],
        category: before.category as Drill['category'],
      });
      await store.transaction(async (tx) => {
        const row = await drillById(tx, id);
        if (!row) throw missing(id);
        if (row.status !== 'scheduled') throw wrongStatus(row.status, 'started');
        const now = clock.now();
        await updateDrill(tx, id, { status: 'running', started_at: now, incident_id: incident.id, updated_at: now });
        // The participants are in the drill incident's war room from the start (the plan fills its roles after).
        for (const userId of JSON.parse(row.participants) as string[])
          await incidents.enlist(tx, actorOf(p), incident.id, userId, 'observer');
        const started = { ...row, started_at: now, incident_id: incident.id };
        await schedule(tx, started, await injectsOf(tx, id));
        await audit.append(tx, actorOf(p), {
          action: 'drill.start',
          targetType: 'drill',
          targetId: id,
          before: { status: row.status },
          after: { status: 'running', incidentKey: incident.key, planId: row.plan_id },
          incidents: [incident.id],
        });
      });
      if (before.plan_id) await deps.activate(p, incident.key, before.plan_id, `drill: ${before.title}`);
      return view.get(p, id);
    },

    /** The facilitator releases an inject now (409 when the drill is not running; released twice is a no-op). */
    async release(p: Principal, id: string, injectId: string): Promise<Drill> {
      assertCan(p, 'drill.manage');
      const publish = await store.transaction(async (tx) => {
        const drill = await drillById(tx, id);
        if (!drill) throw missing(id);
        if (drill.status !== 'running' || !drill.incident_id) throw wrongStatus(drill.status, 'given an inject now');
        const inject = (await injectsOf(tx, id)).find((i) => i.id === injectId);
        if (!inject)
          throw conflict(`inject ${injectId} is not part of drill ${id}`, {
            code: 'drill.inject_unknown',
            params: { id: injectId },
          });
        return releaseIn(tx, drill, inject, actorOf(p));
      });
      publish?.();
      return view.get(p, id);
    },
  };
}
