/** SQL for the status site's components, groups, overrides and maintenance. Reads the catalog's and the probes' tables. */
import type {
  Db,
  ServicesTable,
  StatusComponentsTable,
  StatusGroupsTable,
  StatusMaintenancesTable,
  StatusOverridesTable,
} from '../../platform/db/types.js';

/** A catalog service with its public settings (null columns: never set) and its probes' health. */
export interface ComponentRow {
  service_id: string;
  key: string;
  name_zh: string;
  name_en: string;
  service_created_at: number;
  public: number | null;
  group_key: string | null;
  position: number | null;
  description_zh: string | null;
  description_en: string | null;
  health_state: string | null;
  health_since: number | null;
  /** Enabled probes of the service that say `down`, and those that say up or degraded. */
  probes_down: number | string | bigint;
  probes_up: number | string | bigint;
}

const componentQuery = (db: Db) =>
  db
    .selectFrom('services as s')
    .leftJoin('status_components as c', 'c.service_id', 's.id')
    .leftJoin('service_health as h', 'h.service_id', 's.id')
    .select([
      's.id as service_id',
      's.key',
      's.name_zh',
      's.name_en',
      's.created_at as service_created_at',
      'c.public',
      'c.group_key',
      'c.position',
      'c.description_zh',
      'c.description_en',
      'h.state as health_state',
      'h.since as health_since',
      // Enabled probes saying down, and those saying up or degraded: some of each is a partial outage.
      (eb) =>
        eb
          .selectFrom('probes as p')
          .whereRef('p.service_id', '=', 's.id')
          .where('p.enabled', '=', 1)
          .where('p.state', '=', 'down')
          .select((e) => e.fn.countAll().as('n'))
          .as('probes_down'),
      (eb) =>
        eb
          .selectFrom('probes as p')
          .whereRef('p.service_id', '=', 's.id')
          .where('p.enabled', '=', 1)
          .where('p.state', 'in', ['up', 'degraded'])
          .select((e) => e.fn.countAll().as('n'))
          .as('probes_up'),
    ]);

/**
 * Every catalog service (at most 1000) with its settings, by key; `publicOnly`: those shown on the site,
 * by position (never null there: a shown service has its settings row).
 */
export const listComponents = (db: Db, publicOnly: boolean): Promise<ComponentRow[]> => {
  const q = componentQuery(db);
  return (publicOnly ? q.where('c.public', '=', 1).orderBy('c.position').orderBy('s.key') : q.orderBy('s.key'))
    .limit(1000)
    .execute() as Promise<ComponentRow[]>;
};

export const findService = (db: Db, key: string): Promise<ServicesTable | undefined> =>
  db.selectFrom('services').selectAll().where('key', '=', key).executeTakeFirst();

export const findComponent = (db: Db, serviceId: string): Promise<StatusComponentsTable | undefined> =>
  db.selectFrom('status_components').selectAll().where('service_id', '=', serviceId).executeTakeFirst();

export async function saveComponent(db: Db, row: StatusComponentsTable): Promise<void> {
  const { service_id: _id, ...rest } = row;
  await db
    .insertInto('status_components')
    .values(row)
    .onConflict((oc) => oc.column('service_id').doUpdateSet(rest))
    .execute();
}

export async function ungroupComponents(db: Db, groupKey: string, now: number): Promise<void> {
  await db
    .updateTable('status_components')
    .set({ group_key: null, updated_at: now })
    .where('group_key', '=', groupKey)
    .execute();
}

export const listGroups = (db: Db): Promise<StatusGroupsTable[]> =>
  db.selectFrom('status_groups').selectAll().orderBy('position').orderBy('key').limit(1000).execute();

export const findGroup = (db: Db, key: string): Promise<StatusGroupsTable | undefined> =>
  db.selectFrom('status_groups').selectAll().where('key', '=', key).executeTakeFirst();

export async function insertGroup(db: Db, row: StatusGroupsTable): Promise<void> {
  await db.insertInto('status_groups').values(row).execute();
}

export async function updateGroup(db: Db, key: string, patch: Partial<StatusGroupsTable>): Promise<void> {
  await db.updateTable('status_groups').set(patch).where('key', '=', key).execute();
}

export async function deleteGroup(db: Db, key: string): Promise<void> {
  await db.deleteFrom('status_groups').where('key', '=', key).execute();
}

/** The override in force on a service, if any. */
export const activeOverride = (db: Db, serviceId: string): Promise<StatusOverridesTable | undefined> =>
  db
    .selectFrom('status_overrides')
    .selectAll()
    .where('service_id', '=', serviceId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();

/** Overrides in force now or at any time since `from` (the uptime window), oldest first. */
export const overridesSince = (db: Db, from: number): Promise<StatusOverridesTable[]> =>
  db
    .selectFrom('status_overrides')
    .selectAll()
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>=', from)]))
    .orderBy('started_at')
    .orderBy('id')
    .limit(10_000)
    .execute();

export async function insertOverride(db: Db, row: StatusOverridesTable): Promise<void> {
  await db.insertInto('status_overrides').values(row).execute();
}

export async function endOverride(db: Db, id: string, at: number, by: string | null): Promise<void> {
  await db.updateTable('status_overrides').set({ ended_at: at, ended_by: by }).where('id', '=', id).execute();
}

/** The services' health changes since `from`, oldest first: their own (`probe_id` null) and their probes'. */
export const serviceHealthChanges = (
  db: Db,
  serviceIds: string[],
  from: number,
): Promise<{ service_id: string; probe_id: string | null; from_state: string; to_state: string; at: number }[]> =>
  serviceIds.length
    ? db
        .selectFrom('health_changes')
        .select(['service_id', 'probe_id', 'from_state', 'to_state', 'at'])
        .where('service_id', 'in', serviceIds)
        .where('at', '>=', from)
        .orderBy('at')
        .orderBy('id')
        .limit(100_000)
        .execute()
    : Promise.resolve([]);

/** Maintenance ending at or after `from`, by start. */
export const maintenancesEndingSince = (db: Db, from: number): Promise<StatusMaintenancesTable[]> =>
  db
    .selectFrom('status_maintenances')
    .selectAll()
    .where('ends_at', '>=', from)
    .orderBy('starts_at')
    .orderBy('id')
    .limit(1000)
    .execute();

/** Every maintenance, newest start first. */
export const recentMaintenances = (db: Db, limit: number): Promise<StatusMaintenancesTable[]> =>
  db.selectFrom('status_maintenances').selectAll().orderBy('starts_at', 'desc').orderBy('id').limit(limit).execute();

export const findMaintenance = (db: Db, id: string): Promise<StatusMaintenancesTable | undefined> =>
  db.selectFrom('status_maintenances').selectAll().where('id', '=', id).executeTakeFirst();

export async function insertMaintenance(db: Db, row: StatusMaintenancesTable): Promise<void> {
  await db.insertInto('status_maintenances').values(row).execute();
}

export async function updateMaintenance(db: Db, id: string, patch: Partial<StatusMaintenancesTable>): Promise<void> {
  await db.updateTable('status_maintenances').set(patch).where('id', '=', id).execute();
}

export async function deleteMaintenance(db: Db, id: string): Promise<void> {
  await db.deleteFrom('status_maintenances').where('id', '=', id).execute();
}
