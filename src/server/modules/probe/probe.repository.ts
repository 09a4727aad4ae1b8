/** SQL for probes, their results, service health and its history. Reads the catalog's services table. */
import type {
  Db,
  HealthChangesTable,
  ProbeResultsTable,
  ProbesTable,
  ServiceHealthTable,
  ServicesTable,
} from '../../platform/db/types.js';

export type ProbeRow = ProbesTable;
export type ResultRow = ProbeResultsTable;
export type ProbeView = ProbesTable & { service_key: string };

const probeView = (db: Db) =>
  db
    .selectFrom('probes')
    .innerJoin('services', 'services.id', 'probes.service_id')
    .selectAll('probes')
    .select('services.key as service_key');

export const findServiceByKey = (db: Db, key: string): Promise<ServicesTable | undefined> =>
  db.selectFrom('services').selectAll().where('key', '=', key).executeTakeFirst();

export const findServiceById = (db: Db, id: string): Promise<ServicesTable | undefined> =>
  db.selectFrom('services').selectAll().where('id', '=', id).executeTakeFirst();

export const allServices = (db: Db): Promise<ServicesTable[]> =>
  db.selectFrom('services').selectAll().orderBy('key').limit(1000).execute();

export const findProbe = (db: Db, id: string): Promise<ProbeView | undefined> =>
  probeView(db).where('probes.id', '=', id).executeTakeFirst();

export const probesOfService = (db: Db, serviceId: string): Promise<ProbeView[]> =>
  probeView(db).where('probes.service_id', '=', serviceId).orderBy('probes.created_at').orderBy('probes.id').execute();

export const probesOfServices = (db: Db, serviceIds: string[]): Promise<ProbeView[]> =>
  serviceIds.length
    ? probeView(db)
        .where('probes.service_id', 'in', serviceIds)
        .orderBy('probes.created_at')
        .orderBy('probes.id')
        .execute()
    : Promise.resolve([]);

/** Enabled probes due at `now`, soonest first. */
export const dueProbes = (db: Db, now: number, limit: number): Promise<ProbeView[]> =>
  probeView(db)
    .where('probes.enabled', '=', 1)
    .where('probes.next_run_at', '<=', now)
    .orderBy('probes.next_run_at')
    .limit(limit)
    .execute();

export async function insertProbe(db: Db, row: ProbeRow): Promise<void> {
  await db.insertInto('probes').values(row).execute();
}

export async function updateProbe(db: Db, id: string, patch: Partial<ProbeRow>): Promise<void> {
  await db.updateTable('probes').set(patch).where('id', '=', id).execute();
}

export async function deleteProbe(db: Db, id: string): Promise<void> {
  await db.deleteFrom('probe_results').where('probe_id', '=', id).execute();
  await db.deleteFrom('probes').where('id', '=', id).execute();
}

export async function insertResult(db: Db, row: ResultRow): Promise<void> {
  await db.insertInto('probe_results').values(row).execute();
}

/** The newest result of each probe. */
export async function lastResults(db: Db, probeIds: string[]): Promise<Map<string, ResultRow>> {
  const out = new Map<string, ResultRow>();
  if (!probeIds.length) return out;
  const rows = await db
    .selectFrom('probe_results as r')
    .selectAll('r')
    .where('r.probe_id', 'in', probeIds)
    .where(({ eb, selectFrom }) =>
      eb(
        'r.at',
        '=',
        selectFrom('probe_results as x')
          .select(({ fn }) => fn.max('x.at').as('m'))
          .whereRef('x.probe_id', '=', 'r.probe_id'),
      ),
    )
    .execute();
  for (const r of rows) {
    const seen = out.get(r.probe_id);
    if (!seen || r.id > seen.id) out.set(r.probe_id, r);
  }
  return out;
}

/** Latencies of successful checks since `from`, per probe. */
export async function successLatencies(db: Db, probeIds: string[], from: number): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  if (!probeIds.length) return out;
  const rows = await db
    .selectFrom('probe_results')
    .select(['probe_id', 'latency_ms'])
    .where('probe_id', 'in', probeIds)
    .where('at', '>=', from)
    .where('outcome', 'not in', ['down', 'refused'])
    .execute();
  for (const r of rows) out.set(r.probe_id, [...(out.get(r.probe_id) ?? []), Number(r.latency_ms)]);
  return out;
}

/** Checks since `from` per probe: all and successful (refused ones were not checks: not counted). */
export async function outcomeCounts(
  db: Db,
  probeIds: string[],
  from: number,
): Promise<Map<string, { total: number; ok: number }>> {
  const out = new Map<string, { total: number; ok: number }>();
  if (!probeIds.length) return out;
  const rows = await db
    .selectFrom('probe_results')
    .select(({ fn }) => ['probe_id', 'outcome', fn.countAll().as('n')])
    .where('probe_id', 'in', probeIds)
    .where('at', '>=', from)
    .where('outcome', '!=', 'refused')
    .groupBy(['probe_id', 'outcome'])
    .execute();
  for (const r of rows) {
    const c = out.get(r.probe_id) ?? { total: 0, ok: 0 };
    c.total += Number(r.n);
    if (r.outcome !== 'down') c.ok += Number(r.n);
    out.set(r.probe_id, c);
  }
  return out;
}

/** Deletes up to `batch` results older than `before`; returns how many went. */
export async function pruneResults(db: Db, before: number, batch: number): Promise<number> {
  const ids = await db
    .selectFrom('probe_results')
    .select('id')
    .where('at', '<', before)
    .orderBy('at')
    .limit(batch)
    .execute();
  if (!ids.length) return 0;
  await db
    .deleteFrom('probe_results')
    .where(
      'id',
      'in',
      ids.map((r) => r.id),
    )
    .execute();
  return ids.length;
}

export const findHealth = (db: Db, serviceId: string): Promise<ServiceHealthTable | undefined> =>
  db.selectFrom('service_health').selectAll().where('service_id', '=', serviceId).executeTakeFirst();

export async function healthOf(db: Db, serviceIds: string[]): Promise<Map<string, ServiceHealthTable>> {
  if (!serviceIds.length) return new Map();
  const rows = await db.selectFrom('service_health').selectAll().where('service_id', 'in', serviceIds).execute();
  return new Map(rows.map((r) => [r.service_id, r]));
}

export async function saveHealth(db: Db, row: ServiceHealthTable): Promise<void> {
  await db
    .insertInto('service_health')
    .values(row)
    .onConflict((oc) => oc.column('service_id').doUpdateSet({ state: row.state, since: row.since }))
    .execute();
}

export async function insertHealthChange(db: Db, row: HealthChangesTable): Promise<void> {
  await db.insertInto('health_changes').values(row).execute();
}

export const healthChanges = (db: Db, serviceId: string, limit: number): Promise<HealthChangesTable[]> =>
  db
    .selectFrom('health_changes')
    .selectAll()
    .where('service_id', '=', serviceId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
