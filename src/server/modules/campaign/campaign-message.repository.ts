/**
 * SQL of campaign messages — the sender's transactional outbox. Rows are written by the fan-out in
 * multi-row inserts (a message exists once: `idempotency_key` is unique, a second insert is ignored)
 * and claimed by the sender under a lease: PostgreSQL picks them `FOR UPDATE SKIP LOCKED`, so senders
 * in several processes never take the same row; SQLite has one writer at a time.
 */
import { sql } from 'kysely';
import { type BulkColumn, bulkInsert } from '../../platform/db/bulk.js';
import type { Store } from '../../platform/db/connect.js';
import type { CampaignMessagesTable, Db } from '../../platform/db/types.js';

export type MessageRow = CampaignMessagesTable;

const MESSAGE_COLUMNS: (BulkColumn & { name: keyof MessageRow })[] = [
  { name: 'id', pgType: 'text' },
  { name: 'campaign_id', pgType: 'text' },
  { name: 'customer_id', pgType: 'text' },
  { name: 'channel', pgType: 'text' },
  { name: 'language', pgType: 'text' },
  { name: 'body', pgType: 'text' },
  { name: 'idempotency_key', pgType: 'text' },
  { name: 'priority', pgType: 'integer' },
  { name: 'state', pgType: 'text' },
  { name: 'reason', pgType: 'text' },
  { name: 'attempts', pgType: 'integer' },
  { name: 'next_attempt_at', pgType: 'bigint' },
  { name: 'lease_until', pgType: 'bigint' },
  { name: 'locked_by', pgType: 'text' },
  { name: 'gateway_id', pgType: 'text' },
  { name: 'created_at', pgType: 'bigint' },
  { name: 'sent_at', pgType: 'bigint' },
  { name: 'delivered_at', pgType: 'bigint' },
  { name: 'updated_at', pgType: 'bigint' },
];

/**
 * Inserts messages, ignoring those whose key exists; how many were new. Through platform/db/bulk.ts:
 * on PostgreSQL one statement per page with an array parameter per column (a multi-row VALUES of
 * 19 placeholders a row was parsed and planned anew each time), on SQLite a prepared statement per row.
 */
export async function insertMessages(store: Store, tx: Db, rows: MessageRow[]): Promise<number> {
  return bulkInsert(
    store,
    tx,
    'campaign_messages',
    MESSAGE_COLUMNS,
    rows.map((r) => MESSAGE_COLUMNS.map((c) => r[c.name])),
    { skipConflictOn: 'idempotency_key' },
  );
}

/**
 * Claims up to `limit` due messages of a campaign's channel (queued and due, or sending with an
 * ended lease), priority first, and holds them until `leaseUntil`.
 */
export function claimMessages(
  store: Store,
  q: { campaignId: string; channel: string; now: number; limit: number; leaseUntil: number; runner: string },
): Promise<MessageRow[]> {
  return store.transaction(
    async (tx) => {
      let due = tx
        .selectFrom('campaign_messages')
        .select('id')
        .where('campaign_id', '=', q.campaignId)
        .where('channel', '=', q.channel)
        .where((eb) =>
          eb.or([
            eb.and([eb('state', '=', 'queued'), eb('next_attempt_at', '<=', q.now)]),
            eb.and([eb('state', '=', 'sending'), eb('lease_until', '<=', q.now)]),
          ]),
        )
        .orderBy('priority')
        .orderBy('next_attempt_at')
        .limit(q.limit);
      if (store.dialect === 'postgres') due = due.forUpdate().skipLocked();
      return tx
        .updateTable('campaign_messages')
        .set({
          state: 'sending',
          attempts: sql<number>`attempts + 1`,
          lease_until: q.leaseUntil,
          locked_by: q.runner,
          updated_at: q.now,
        })
        .where('id', 'in', due)
        .returningAll()
        .execute();
    },
    { audited: false, durability: 'relaxed' },
  );
}

/**
 * Extends the lease of claimed messages `runner` still holds (a live sender's batch outlasting its lease
 * is not taken over); rows settled or taken over meanwhile are left alone.
 */
export async function renewMessageLeases(
  store: Store,
  runner: string,
  ids: string[],
  leaseUntil: number,
): Promise<void> {
  if (!ids.length) return;
  await store.transaction(
    (tx) =>
      tx
        .updateTable('campaign_messages')
        .set({ lease_until: leaseUntil })
        .where('id', 'in', ids)
        .where('state', '=', 'sending')
        .where('locked_by', '=', runner)
        .execute(),
    // A renewal lost to a power cut went with its sender: the lease ends as it would have.
    { audited: false, durability: 'relaxed' },
  );
}

export type Outcome =
  | { id: string; attempts: number; state: 'sent'; gatewayId: string | null }
  | { id: string; attempts: number; state: 'queued'; nextAt: number; reason: string }
  | { id: string; attempts: number; state: 'failed' | 'skipped'; reason: string };

/** Rows per UPDATE of sent messages. */
const SETTLE_CHUNK = 500;

/** Marks sent messages in few statements (gateway ids and attempts matched per row by CASE). */
async function settleSent(tx: Db, runner: string, sent: Extract<Outcome, { state: 'sent' }>[], now: number) {
  for (let i = 0; i < sent.length; i += SETTLE_CHUNK) {
    const part = sent.slice(i, i + SETTLE_CHUNK);
    const gatewayIds = sql.join(
      part.map((o) => sql`WHEN ${o.id} THEN ${o.gatewayId}`),
      sql` `,
    );
    const attempts = sql.join(
      part.map((o) => sql`WHEN ${o.id} THEN CAST(${o.attempts} AS integer)`),
      sql` `,
    );
    await tx
      .updateTable('campaign_messages')
      .set({
        state: 'sent',
        gateway_id: sql<string | null>`CASE id ${gatewayIds} END`,
        sent_at: now,
        reason: null,
        lease_until: null,
        locked_by: null,
        updated_at: now,
      })
      .where(
        'id',
        'in',
        part.map((o) => o.id),
      )
      .where('state', '=', 'sending')
      .where('locked_by', '=', runner)
      .where(sql<boolean>`attempts = CASE id ${attempts} END`)
      .execute();
  }
}

/** Records what became of claimed messages; only rows this runner still holds for that attempt change. */
export async function settleMessages(store: Store, runner: string, outcomes: Outcome[], now: number): Promise<void> {
  if (outcomes.length === 0) return;
  await store.transaction(
    async (tx) => {
      await settleSent(
        tx,
        runner,
        outcomes.filter((o): o is Extract<Outcome, { state: 'sent' }> => o.state === 'sent'),
        now,
      );
      for (const o of outcomes) {
        if (o.state === 'sent') continue;
        const set =
          o.state === 'queued'
            ? { state: 'queued', next_attempt_at: o.nextAt, reason: o.reason }
            : { state: o.state, reason: o.reason };
        await tx
          .updateTable('campaign_messages')
          .set({ ...set, lease_until: null, locked_by: null, updated_at: now })
          .where('id', '=', o.id)
          .where('state', '=', 'sending')
          .where('locked_by', '=', runner)
          .where('attempts', '=', o.attempts)
          .execute();
      }
    },
    { audited: false, durability: 'relaxed' },
  );
}

/** A delivery receipt: a sent message becomes delivered, failed or bounced (a later receipt never goes back). */
export async function applyReceipt(
  db: Db,
  r: { idempotencyKey: string; gatewayId: string; status: 'delivered' | 'failed' | 'bounced'; at: number; now: number },
): Promise<MessageRow | undefined> {
  const row = await db
    .selectFrom('campaign_messages')
    .selectAll()
    .where('idempotency_key', '=', r.idempotencyKey)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.state === 'sent' || row.state === 'sending') {
    await db
      .updateTable('campaign_messages')
      .set({
        state: r.status,
        gateway_id: row.gateway_id ?? r.gatewayId,
        delivered_at: r.status === 'delivered' ? r.at : null,
        reason: r.status === 'delivered' ? null : `receipt_${r.status}`,
        lease_until: null,
        locked_by: null,
        updated_at: r.now,
      })
      .where('id', '=', row.id)
      .where('state', 'in', ['sent', 'sending'])
      .execute();
  }
  return row;
}

/** Queued messages of a cancelled campaign are skipped (reason `cancelled`). */
export async function skipQueued(db: Db, campaignId: string, now: number): Promise<void> {
  await db
    .updateTable('campaign_messages')
    .set({ state: 'skipped', reason: 'cancelled', updated_at: now })
    .where('campaign_id', '=', campaignId)
    .where('state', '=', 'queued')
    .execute();
}

/** Messages per channel and state. */
export const messageCounts = (db: Db, campaignId: string) =>
  db
    .selectFrom('campaign_messages')
    .select((eb) => ['channel', 'state', eb.fn.countAll<number>().as('n')])
    .where('campaign_id', '=', campaignId)
    .groupBy(['channel', 'state'])
    .execute();

/** A page of a campaign's messages in id order (creation order) after `afterId`; `status` as MESSAGE_STATUSES reads it. */
export function listMessages(
  db: Db,
  q: { campaignId: string; state?: string; status?: string; channel?: string; afterId?: string; limit: number },
) {
  let query = db.selectFrom('campaign_messages').selectAll().where('campaign_id', '=', q.campaignId);
  if (q.state) query = query.where('state', '=', q.state);
  if (q.status === 'queued') query = query.where('state', 'in', ['queued', 'sending']);
  else if (q.status === 'opted_out') query = query.where('state', '=', 'skipped').where('reason', '=', 'opted_out');
  else if (q.status === 'skipped')
    query = query
      .where('state', '=', 'skipped')
      .where((eb) => eb.or([eb('reason', 'is', null), eb('reason', '!=', 'opted_out')]));
  else if (q.status) query = query.where('state', '=', q.status);
  if (q.channel) query = query.where('channel', '=', q.channel);
  if (q.afterId) query = query.where('id', '>', q.afterId);
  return query.orderBy('id').limit(q.limit).execute();
}

export const messageById = (db: Db, id: string) =>
  db.selectFrom('campaign_messages').selectAll().where('id', '=', id).executeTakeFirst();
