/** SQL of campaigns (migration 0025_campaigns): the campaign rows and the fan-out's cursor. */
import type { CampaignsTable, Db } from '../../platform/db/types.js';
import { visibleTo } from '../incident/index.js';

export type CampaignRow = CampaignsTable;

export async function insertCampaign(db: Db, row: CampaignRow): Promise<void> {
  await db.insertInto('campaigns').values(row).execute();
}

export const campaignById = (db: Db, id: string) =>
  db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();

/** An incident's campaigns, newest first; `viewerId` applies need-to-know (undefined: an administrator). */
export function campaignsOf(db: Db, q: { incidentId?: string; viewerId?: string }) {
  let query = db.selectFrom('campaigns as c').selectAll('c');
  if (q.incidentId) query = query.where('c.incident_id', '=', q.incidentId);
  if (q.viewerId) query = query.where(visibleTo(q.viewerId, 'c.incident_id'));
  return query.orderBy('c.id', 'desc').limit(200).execute();
}

/** Sets the state (and times) when the campaign is still in one of `from`; whether it changed. */
export async function moveCampaign(
  db: Db,
  id: string,
  from: readonly string[],
  set: Partial<Omit<CampaignRow, 'id'>>,
): Promise<boolean> {
  const r = await db
    .updateTable('campaigns')
    .set(set)
    .where('id', '=', id)
    .where('state', 'in', [...from])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Moves the fan-out's cursor from `prev` to `next` and adds `written` messages; false when another
 * runner moved it first (the caller stops: that one goes on) or the campaign left the fan-out.
 */
export async function advanceFanout(
  db: Db,
  id: string,
  prev: string | null,
  next: string | null,
  written: number,
  done: boolean,
  now: number,
): Promise<boolean> {
  let q = db
    .updateTable('campaigns')
    .set((eb) => ({
      fanout_cursor: next,
      fanout_done: done ? 1 : 0,
      message_count: eb('message_count', '+', written),
      updated_at: now,
    }))
    .where('id', '=', id)
    .where('fanout_done', '=', 0)
    .where('state', 'in', ['fanning_out', 'running', 'paused']);
  q = prev === null ? q.where('fanout_cursor', 'is', null) : q.where('fanout_cursor', '=', prev);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Campaigns whose messages may be sent now (the sender's rounds). */
export const sendingCampaigns = (db: Db) =>
  db.selectFrom('campaigns').selectAll().where('state', 'in', ['fanning_out', 'running']).execute();

/** Running campaigns whose fan-out is done and which have nothing left to send become done. */
export async function finishCampaigns(db: Db, now: number): Promise<string[]> {
  const rows = await db
    .updateTable('campaigns')
    .set({ state: 'done', finished_at: now, updated_at: now })
    .where('state', '=', 'running')
    .where('fanout_done', '=', 1)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('campaign_messages as m')
            .select('m.id')
            .whereRef('m.campaign_id', '=', 'campaigns.id')
            .where('m.state', 'in', ['queued', 'sending']),
        ),
      ),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}
