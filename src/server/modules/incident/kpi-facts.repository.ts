/**
 * The incidents behind the performance figures (issue 16, docs/kpi.md): which incidents a figure counts
 * (`inIncidentScope`, the one condition the other modules' aggregate reads apply too) and the few columns
 * of each that the figures need.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Dialect } from '../../platform/db/connect.js';
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
 * An instant per incident that another module owns (its first alert, statement, customer message): a
 * correlated scalar subquery on the incident's id (`incidentId`, e.g. `i.id`), null when there is none.
 */
export type IncidentInstant = (incidentId: string) => RawBuilder<number | string | null>;

/** The instant no incident has (a figure not asked for). */
export const noInstant: IncidentInstant = () => sql<null>`null`;

/**
 * The columns of each incident of the scope the figures need, its services (comma-joined ids) and the
 * instants other modules add, in one pass over the incidents: one row per incident, each instant an index
 * lookup, instead of a grouped read per module that lists the scope's incidents again. Rows are streamed
 * on SQLite (each dies young: the caller keeps columns, not rows).
 */
export async function* scopedIncidentFacts<K extends string>(
  db: Db,
  dialect: Dialect,
  scope: IncidentScope,
  instants: Record<K, IncidentInstant>,
  withIds: boolean,
) {
  const joined =
    dialect === 'postgres'
      ? sql<string | null>`(select string_agg(s.service_id, ',') from incident_services s where s.incident_id = i.id)`
      : sql<
          string | null
        >`(select group_concat(s.service_id, ',') from incident_services s where s.incident_id = i.id)`;
  const q = db
    .selectFrom('incidents as i')
    .select([
      'i.grade',
      'i.category',
      'i.detected_at',
      'i.acknowledged_at',
      'i.contained_at',
      'i.recovered_at',
      'i.customers_affected',
      joined.as('services'),
      ...Object.entries<IncidentInstant>(instants).map(([k, at]) => at('i.id').as(`at_${k}`)),
    ])
    .$if(withIds, (b) => b.select('i.id'))
    .where(sql<SqlBool>`${sql.join(scopeConditions(scope, 'i', true), sql` and `)}`);
  type Row = Omit<Awaited<ReturnType<typeof q.execute>>[number], `at_${string}`> & {
    id?: string;
  } & Record<`at_${K}`, number | string | null>;
  if (dialect === 'sqlite') for await (const r of q.stream()) yield r as unknown as Row;
  else for (const r of await q.execute()) yield r as unknown as Row;
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
