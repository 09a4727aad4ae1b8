/**
 * The incidents behind the performance figures (issue 16, docs/kpi.md): which incidents a figure counts
 * (`inIncidentScope`, the one condition the other modules' aggregate reads apply too) and the few columns
 * of each that the figures need.
 */
import { type RawBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import type { Dialect, Store } from '../../platform/db/connect.js';
import { eachRow } from '../../platform/db/rows.js';
import type { Database, Db } from '../../platform/db/types.js';
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
 * An instant per incident that another module owns (its first alert, statement, customer message), as the
 * parts of an aggregate over that module's rows grouped by incident: `value` (e.g. `min(a.first_seen)`)
 * over `from` (e.g. `alerts a`) where `where`, `incidentId` the column naming the incident. Null: a figure
 * not asked for.
 */
export interface IncidentInstant {
  value: RawBuilder<unknown>;
  from: RawBuilder<unknown>;
  incidentId: string;
  where?: RawBuilder<SqlBool>;
}

/**
 * Each part read per incident in the one pass of `scopedIncidentFacts`. SQLite: a correlated subquery,
 * an index lookup per incident. PostgreSQL runs such a subquery once per row too (no hash join), so there
 * it is a left join to the part grouped by incident over the scope's incidents.
 */
function perIncident<Q extends AnyQuery>(
  q: Q,
  dialect: Dialect,
  scope: IncidentScope,
  name: string,
  part: IncidentInstant,
): Q {
  const cond = part.where ? sql`${part.where} and ` : sql``;
  if (dialect === 'sqlite')
    return q.select(
      sql`(select ${part.value} from ${part.from} where ${cond}${sql.ref(part.incidentId)} = i.id)`.as(name),
    ) as Q;
  const alias = `j_${name}`;
  const grouped = sql`(select ${sql.ref(part.incidentId)} as incident_id, ${part.value} as v from ${part.from} where ${cond}${inIncidentScope(scope, part.incidentId, 'detected')} group by ${sql.ref(part.incidentId)})`;
  // biome-ignore lint/suspicious/noExplicitAny: a derived table the schema's types do not know
  const loose = q as any;
  return loose.leftJoin(grouped.as(alias), `${alias}.incident_id`, 'i.id').select(sql.ref(`${alias}.v`).as(name));
}

// biome-ignore lint/suspicious/noExplicitAny: the builder's row type grows with each part
type AnyQuery = SelectQueryBuilder<Database, 'incidents' | any, any>;

/**
 * The columns of each incident of the scope the figures need, its services (comma-joined ids) and the
 * instants other modules add, in one pass over the incidents, instead of a grouped read per module that
 * lists the scope's incidents again. Each row goes to `each` as an array, in this order: grade, category,
 * detected, acknowledged, contained, recovered, customers affected, the id (`withIds`), the services, then
 * the instants in the order of `instants`' keys.
 */
export async function readIncidentFacts(
  store: Store,
  scope: IncidentScope,
  instants: Record<string, IncidentInstant | null>,
  withIds: boolean,
  each: (row: unknown[]) => void,
): Promise<number> {
  const { dialect } = store;
  const services: IncidentInstant = {
    value: dialect === 'postgres' ? sql`string_agg(s.service_id, ',')` : sql`group_concat(s.service_id, ',')`,
    from: sql`incident_services s`,
    incidentId: 's.incident_id',
  };
  const read = (part: IncidentScope) => {
    let q: AnyQuery = store.db
      .selectFrom('incidents as i')
      .select([
        'i.grade',
        'i.category',
        'i.detected_at',
        'i.acknowledged_at',
        'i.contained_at',
        'i.recovered_at',
        'i.customers_affected',
      ])
      .$if(withIds, (b) => b.select('i.id'))
      .where(sql<SqlBool>`${sql.join(scopeConditions(part, 'i', true), sql` and `)}`);
    q = perIncident(q, dialect, part, 'services', services);
    for (const [k, instant] of Object.entries(instants))
      q = instant ? perIncident(q, dialect, part, `at_${k}`, instant) : q.select(sql`null`.as(`at_${k}`));
    return eachRow(store, q, each);
  };
  if (dialect === 'sqlite') return read(scope);
  // PostgreSQL: the period in halves, read side by side on two of the pool's connections (its joins
  // hash the incidents' keys, a core's work each; the server has more than one).
  const mid = Math.floor(scope.fromMs / 2 + scope.toMs / 2);
  const counts = await Promise.all([read({ ...scope, toMs: mid }), read({ ...scope, fromMs: mid })]);
  return counts.reduce((a, b) => a + b, 0);
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
