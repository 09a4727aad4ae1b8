/**
 * Deadline warnings (docs/obligations.md, Warnings): at the points of each stage (its `warnings` in the
 * catalog, else 50 %, 80 % and 15 minutes left) the incident's commander and compliance officers — or,
 * when the incident has none, the users of the compliance role — are paged through the paging module;
 * a deadline passed without a submission is recorded as missed and paged too. Each point fires once per
 * clock and deadline (a row of `obligation_warnings`; the page's key too). Run by the run-once
 * scheduler `obligation-warnings` (serve-worker.ts) on the server's clock; tests call `sweep()`.
 */
import type { Store } from '../../platform/db/connect.js';
import { afterCommit } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import type { Clock } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import type { IncidentService } from '../incident/index.js';
import type { UserService } from '../user/index.js';
import type { ObligationCatalog } from './catalog.js';
import type { ClockService } from './clocks.service.js';
import { stageOf } from './clocks-view.service.js';
import { warningInstants } from './live-facts.js';
import {
  clockOf,
  insertWarning,
  runningClocksWithDue,
  setWarningPage,
  updateClock,
  warningsOf,
  type ClockRow,
} from './obligation.repository.js';

/** How the warnings page people (the paging module's page, idempotent by key). */
export interface ObligationPager {
  page(
    tx: Db,
    req: { incidentId: string; reason: string; userIds: string[]; key: string },
  ): Promise<{ pageId: string; publish: () => void }>;
}

const ACTOR = { id: null, label: 'system (obligation clocks)' };
const SWEEP_LIMIT = 2000;
const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

function pointText(point: string): { en: string; zh: string } {
  if (point === 'missed') return { en: 'deadline missed', zh: '已逾期' };
  if (point.endsWith('%')) return { en: `${point} of the time elapsed`, zh: `时限已过${point}` };
  const m = Number(point.slice(0, -1));
  const span = m % 60 === 0 ? { en: `${m / 60} h`, zh: `${m / 60}小时` } : { en: `${m} min`, zh: `${m}分钟` };
  return { en: `${span.en} left`, zh: `剩余${span.zh}` };
}

export function createWarningService(deps: {
  store: Store;
  clock: Clock;
  audit: AuditService;
  incidents: IncidentService;
  users: UserService;
  catalog: ObligationCatalog;
  clocks: ClockService;
  pager: ObligationPager;
}) {
  const { store, clock, audit, incidents, users, catalog, clocks, pager } = deps;

  /** Whom a warning pages: the commander and compliance officers of the incident, else the compliance role. */
  async function recipients(tx: Db, incidentId: string): Promise<string[]> {
    const i = await incidents.current(tx, incidentId);
    const officers = i.participants.filter((x) => x.role === 'compliance_officer').map((x) => x.userId);
    const people = [...(i.commander ? [i.commander.id] : []), ...officers];
    if (!officers.length) people.push(...(await users.activeIdsWithRole('compliance', tx)));
    return [...new Set(people)];
  }

  /** Fires the points `row` has reached at `now` (the latest one pages; earlier ones are only recorded). */
  async function fire(tx: Db, row: ClockRow, now: number): Promise<{ warned: number; missed: number }> {
    const fresh = await clockOf(tx, row.incident_id, row.obligation, row.stage);
    if (fresh?.status !== 'running' || fresh.due_at === null || fresh.due_at !== row.due_at)
      return { warned: 0, missed: 0 };
    const due = fresh.due_at;
    const { obligation: o, stage } = stageOf(catalog, fresh.obligation, fresh.stage);
    const fired = new Set((await warningsOf(tx, [fresh.id])).filter((w) => w.due_at === due).map((w) => w.point));
    const missed = due < now;
    const reached = [
      ...warningInstants(stage?.warnings ?? [], fresh.starts_at ?? fresh.created_at, due).filter((w) => w.at <= now),
      ...(missed ? [{ point: 'missed', at: due }] : []),
    ].filter((w) => !fired.has(w.point));
    if (!reached.length) return { warned: 0, missed: 0 };
    const last = reached[reached.length - 1]!;
    for (const w of reached)
      await insertWarning(tx, {
        clock_id: fresh.id,
        point: w.point,
        due_at: due,
        at: w.at,
        fired_at: now,
        page_id: null,
      });
    if (missed) await updateClock(tx, fresh.id, { status: 'missed', updated_at: now });
    const what = pointText(last.point);
    const name = {
      en: `${o?.name.en ?? fresh.obligation} — ${stage?.name.en ?? fresh.stage}`,
      zh: `${o?.name['zh-CN'] ?? fresh.obligation}（${stage?.name['zh-CN'] ?? fresh.stage}）`,
    };
    const to = { en: o?.to.en ?? '', zh: o?.to['zh-CN'] ?? '' };
    const reason = `Regulatory deadline: ${name.en} to ${to.en}, due ${iso(due)} (${what.en}) / 监管时限：${name.zh}，报送${to.zh}，截止${iso(due)}（${what.zh}）`;
    const people = await recipients(tx, fresh.incident_id);
    let pageId: string | null = null;
    if (people.length) {
      const r = await pager.page(tx, {
        incidentId: fresh.incident_id,
        reason,
        userIds: people,
        key: `obligation:${fresh.id}:${last.point}:${due}`,
      });
      pageId = r.pageId;
      afterCommit(tx, r.publish);
      await setWarningPage(tx, fresh.id, last.point, due, r.pageId);
    }
    await audit.append(tx, ACTOR, {
      action: missed ? 'obligation.missed' : 'obligation.warn',
      targetType: 'obligation_clock',
      targetId: fresh.id,
      after: {
        obligation: fresh.obligation,
        stage: fresh.stage,
        due: iso(due),
        point: last.point,
        paged: people,
        pageId,
      },
      incidents: [fresh.incident_id],
    });
    await clocks.note(
      tx,
      fresh.incident_id,
      missed
        ? `Regulatory deadline missed: ${fresh.obligation} (${fresh.stage}) was due ${iso(due)}`
        : `Regulatory deadline warning: ${fresh.obligation} (${fresh.stage}) due ${iso(due)}, ${what.en}`,
      {
        event: missed ? 'obligation_missed' : 'obligation_warning',
        obligation: fresh.obligation,
        stage: fresh.stage,
        point: last.point,
        due: iso(due),
        paged: people.length,
      },
    );
    await clocks.announce(tx, fresh.incident_id);
    return { warned: missed ? 0 : 1, missed: missed ? 1 : 0 };
  }

  return {
    /**
     * Fires every warning point reached and records every deadline missed, at the clock's now.
     * `except`: incidents whose clocks this sweep leaves to a later one (the demo's history leaves
     * today's live incidents to the server's scheduler, which pages people once they are reachable).
     */
    async sweep(
      onError?: (err: unknown) => void,
      opts: { except?: ReadonlySet<string> } = {},
    ): Promise<{ warned: number; missed: number }> {
      const now = clock.now();
      const total = { warned: 0, missed: 0 };
      const rows = await runningClocksWithDue(store.db, SWEEP_LIMIT);
      const fired = await warningsOf(
        store.db,
        rows.map((r) => r.id),
      );
      for (const row of rows) {
        if (opts.except?.has(row.incident_id)) continue;
        const due = row.due_at!;
        const { stage } = stageOf(catalog, row.obligation, row.stage);
        const points = [
          ...warningInstants(stage?.warnings ?? [], row.starts_at ?? row.created_at, due),
          { point: 'missed', at: due + 1 },
        ];
        const done = new Set(fired.filter((w) => w.clock_id === row.id && w.due_at === due).map((w) => w.point));
        if (!points.some((w) => w.at <= now && !done.has(w.point))) continue; // nothing new reached
        try {
          const r = await store.transaction((tx) => fire(tx, row, now));
          total.warned += r.warned;
          total.missed += r.missed;
        } catch (err) {
          if (onError) onError(err);
          else throw err;
        }
      }
      return total;
    },
  };
}
