/**
 * The incidents behind the performance figures (issue 16, docs/kpi.md): which incidents a figure counts
 * (`inIncidentScope`, the one condition the other modules' aggregate reads apply too) and the few columns
 * of each that the figures need.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
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
 */
export function inIncidentScope(
  scope: IncidentScope,
  incidentId: string,
  period: 'detected' | 'own',
): RawBuilder<SqlBool> {
  const where = sql.join(scopeConditions(scope, 'ki', period === 'detected'), sql` and `);
  const inSet = sql<SqlBool>`${sql.ref(incidentId)} in (select ki.id from incidents ki where ${where})`;
  if (period === 'own' && !hasAttributes(scope)) return sql<SqlBool>`(${sql.ref(incidentId)} is null or ${inSet})`;
  return inSet;
}

export async function scopedIncidentFacts(db: Db, scope: IncidentScope) {
  return db
    .selectFrom('incidents as i')
    .leftJoin('incident_services as s', 's.incident_id', 'i.id')
    .select([
      's.service_id',
      'i.id',
      'i.grade',
      'i.category',
      'i.detected_at',
      'i.acknowledged_at',
      'i.contained_at',
      'i.recovered_at',
      'i.customers_affected',
    ])
    .where(sql<SqlBool>`${sql.join(scopeConditions(scope, 'i', true), sql` and `)}`)
    .execute();
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
