/**
 * Reminders of the deadlines of requests from outside: 24 hours before the deadline and at it, the
 * incident's commander (else the users of the compliance role) is paged through the paging module (durable
 * jobs carry the notifications). Each point fires once per request and deadline (`reminded` on the row, and
 * the page's key); a moved deadline fires its points again. A request of no incident cannot be paged (a page
 * belongs to an incident): its reminder is an audit entry only. Run by the run-once scheduler
 * `investigation-reminders` (serve-worker.ts) on the server's clock; tests call `sweep()`.
 */
import { afterCommit, type Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import type { Clock } from '../../platform/ids.js';
import { iso } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import type { IncidentService } from '../incident/index.js';
import type { UserService } from '../user/index.js';
import { openDueBefore, type RequestRow, requestById, updateRequest } from './request.repository.js';

/** How the reminders page people (the paging module's page, idempotent by key). */
export interface RequestPager {
  page(
    tx: Db,
    req: { incidentId: string; reason: string; userIds: string[]; key: string },
  ): Promise<{ pageId: string; publish: () => void }>;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const SWEEP_LIMIT = 1000;
const ACTOR = { id: null, label: 'system (investigation requests)' };

const KIND_TEXT: Record<string, { en: string; zh: string }> = {
  police: { en: 'police', zh: '公安机关' },
  csrc: { en: 'CSRC', zh: '中国证监会' },
  csrc_local: { en: 'CSRC local office', zh: '证监局' },
  cac: { en: 'CAC', zh: '网信部门' },
  court: { en: 'court', zh: '法院' },
  auditor: { en: 'auditor', zh: '审计' },
  other: { en: 'other', zh: '其他' },
};

export function createRequestReminders(deps: {
  store: Store;
  clock: Clock;
  audit: AuditService;
  incidents: IncidentService;
  users: UserService;
  pager: RequestPager;
}) {
  const { store, clock, audit, incidents, users, pager } = deps;

  async function recipients(tx: Db, incidentId: string): Promise<string[]> {
    const i = await incidents.current(tx, incidentId);
    if (i.commander) return [i.commander.id];
    return users.activeIdsWithRole('compliance', tx);
  }

  async function fire(tx: Db, id: string, now: number): Promise<number> {
    const row = await requestById(tx, id);
    if (row?.status !== 'open' || row.deadline_at === null) return 0;
    const due = row.deadline_at;
    const fired = new Set(JSON.parse(row.reminded) as string[]);
    const reached = [...(now >= due - DAY_MS ? ['24h'] : []), ...(now >= due ? ['due'] : [])].filter(
      (p) => !fired.has(`${p}@${due}`),
    );
    if (!reached.length) return 0;
    const point = reached[reached.length - 1]!;
    for (const p of reached) fired.add(`${p}@${due}`);
    await updateRequest(tx, row.id, { reminded: JSON.stringify([...fired]) });
    const paged = row.incident_id ? await page(tx, row, row.incident_id, point, due) : null;
    await audit.append(tx, ACTOR, {
      action: 'investigation.request_remind',
      targetType: 'investigation_request',
      targetId: row.id,
      after: { point, deadlineAt: iso(due), paged: paged?.people ?? [], pageId: paged?.pageId ?? null },
      incidents: row.incident_id ? [row.incident_id] : [],
    });
    return 1;
  }

  async function page(tx: Db, row: RequestRow, incidentId: string, point: string, due: number) {
    const people = await recipients(tx, incidentId);
    if (!people.length) return { people, pageId: null };
    const who = KIND_TEXT[row.requester_kind] ?? KIND_TEXT.other!;
    const ref = row.reference ? ` ${row.reference}` : '';
    const when = point === 'due' ? { en: 'deadline reached', zh: '已到期' } : { en: '24 h left', zh: '剩余24小时' };
    const reason =
      `Request from outside (${who.en}: ${row.requester_name}${ref}) due ${iso(due)} (${when.en}) / ` +
      `外部调取请求（${who.zh}：${row.requester_name}${ref}）截止${iso(due)}（${when.zh}）`;
    const r = await pager.page(tx, {
      incidentId,
      reason,
      userIds: people,
      key: `investigation-request:${row.id}:${point}:${due}`,
    });
    afterCommit(tx, r.publish);
    return { people, pageId: r.pageId };
  }

  return {
    /** Fires the reminders reached at the clock's now; answers how many requests were reminded. */
    async sweep(onError?: (err: unknown) => void): Promise<{ reminded: number }> {
      const now = clock.now();
      let reminded = 0;
      for (const r of await openDueBefore(store.db, now + DAY_MS + 1, SWEEP_LIMIT)) {
        try {
          reminded += await store.transaction((tx) => fire(tx, r.id, now));
        } catch (err) {
          onError?.(err);
        }
      }
      return { reminded };
    },
  };
}
