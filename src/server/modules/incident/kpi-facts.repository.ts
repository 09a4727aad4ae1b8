/**
 * The incidents behind the performance figures (issue 16, docs/kpi.md): which incidents a figure counts
 * (`inIncidentScope`, the one condition the other modules' aggregate reads apply too) and the few columns
 * of each that the figures need.
 */
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Store } from '../../platform/db/connect.js';
import { eachRow } from '../../platform/db/rows.js';
import type { Db } from '../../platform/db/types.js';
import type { IncidentScope } from './kpi-scope.js';
import { visibleTo } from './need-to-know.repository.js';

const hasAttributes = (s: IncidentScope) => !!(s.grades?.length || s.categories?.length || s.services?.length);

function scopeConditions(s: IncidentScope, alias: string, period: boolean): RawBuilder<unknown>[] {
  const a = sql.raw(alias);
  const out: RawBuilder<unknown>[] = [sql`${a}.false_positive_at is null`];
  if (period) out.push(sql`${a}.detected_at >= ${s.fromMs} and ${a}.detected_at < ${s.toMs}`);
  if (!s.drills) out.push(sql`${a}.drill = 0`);
  if (s.grades?.length) out.push(sql`${a}.grade in (${sql.join(s.grades)})`);
  if (s.categories?.length) out.push(sql`${a}.category in (${sql.join(s.categories)})`);
  if (s.services?.length)
    out.push(
      sql`exists (select 1 from incident_services ss where ss.incident_id = ${a}.id and ss.service_id in (${sql.join(s.services)}))`,
    );
  return out;
}

/**
 * True for a row whose incident (column `incidentId`) is in `scope`. `period: 'detected'`: the incident was
 * detected in the period (per-incident figures); `'own'`: the caller applies the period to its own instant
 * (a report's deadline, a payment), and a record of no incident counts unless the scope names grades,
 * categories or services. False positives never count.
 *
 * A correlated `exists` on the incident's primary key: each row looks its incident up, where an
 * `in (select …)` would first list every incident of the scope (100,000 ids a year at the bench's size)
 * for each figure read.
 */
export function inIncidentScope(
  scope: IncidentScope,
  incidentId: string,
  period: 'detected' | 'own',
): RawBuilder<SqlBool> {
  const conditions = scopeConditions(scope, 'ki', period === 'detected');
  conditions.unshift(sql`ki.id = ${sql.ref(incidentId)}`);
  const inSet = sql<SqlBool>`exists (select 1 from incidents ki where ${sql.join(conditions, sql` and `)})`;
  if (period === 'own' && !hasAttributes(scope)) return sql<SqlBool>`(${sql.ref(incidentId)} is null or ${inSet})`;
  return inSet;
}

/**
 * The columns of each incident of the scope the figures need, in one scan of the incidents (of the
 * covering index `incidents_kpi` where the store can: SQLite always, PostgreSQL once vacuum has marked the
 * pages). The instants other modules own (first alert event, first public statement, first customer
 * message) and the services are kept on the incident by database triggers (migration 0057). Each row
 * goes to `each` as an array, in this order: grade, category, detected, acknowledged, contained,
 * recovered, customers affected, services (comma-joined ids), first alert event, first public
 * statement, first customer message, then the id (`withIds`).
 */
export async function readIncidentFacts(
  store: Store,
  scope: IncidentScope,
  withIds: boolean,
  each: (row: unknown[]) => void,
): Promise<number> {
  return eachRow(
    store,
    store.db
      .selectFrom('incidents as i')
      .select([
        'i.grade',
        'i.category',
        'i.detected_at',
        'i.acknowledged_at',
        'i.contained_at',
        'i.recovered_at',
        'i.customers_affected',
        'i.service_ids',
        'i.first_alert_seen_at',
        'i.first_public_statement_at',
        'i.first_notice_sent_at',
      ])
      .$if(withIds, (b) => b.select('i.id'))
      .where(sql<SqlBool>`${sql.join(scopeConditions(scope, 'i', true), sql` and `)}`),
    each,
  );
}

export async function scopedFalsePositives(db: Db, scope: IncidentScope): Promise<number> {
  const conditions = scopeConditions(scope, 'i', true).slice(1);
  conditions.unshift(sql`i.false_positive_at is not null`);
  const r = await db
    .selectFrom('incidents as i')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where(sql<SqlBool>`${sql.join(conditions, sql` and `)}`)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** The names of these business services. */
export async function serviceNames(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('services').select(['id', 'name_en', 'name_zh']).where('id', 'in', ids).execute();
}

/** Key and title of the scope's incidents `viewer` may see (null: an administrator), newest first. */
export async function scopedVisibleIncidents(db: Db, scope: IncidentScope, viewer: string | null) {
  let q = db
    .selectFrom('incidents as i')
    .select(['i.id', 'i.key', 'i.title', 'i.grade', 'i.category', 'i.detected_at'])
    .where(sql<SqlBool>`${sql.join(scopeConditions(scope, 'i', true), sql` and `)}`);
  if (viewer !== null) q = q.where(visibleTo(viewer, 'i.id'));
  return q.orderBy('i.detected_at', 'desc').orderBy('i.id', 'desc').execute();
}
