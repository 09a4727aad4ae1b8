/**
 * Scheduled maintenance shown on the status site (title, Markdown body, services, start and end): while
 * one is in progress its services show `maintenance` unless something worse. Staff with status.manage
 * create, change and remove them; each change is audited and re-renders the site after the commit.
 */
import type { StatusMaintenance } from '../../../shared/status-schemas.js';
import type { Bus } from '../../platform/bus.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db, StatusMaintenancesTable } from '../../platform/db/types.js';
import { invalid, notFound } from '../../platform/errors.js';
import { newId, type Clock } from '../../platform/ids.js';
import type { Actor, AuditService } from '../audit/index.js';
import { siteChangedAfterCommit } from './status-events.js';
import { toStaffMaintenance } from './status.mapper.js';
import {
  deleteMaintenance,
  findMaintenance,
  findService,
  insertMaintenance,
  maintenancesEndingSince,
  recentMaintenances,
  updateMaintenance,
} from './status.repository.js';

interface MaintenanceInput {
  title: { zh: string; en: string };
  body: { zh: string; en: string };
  services: string[];
  startsAt: string;
  endsAt: string;
}

export function createMaintenanceService(deps: { store: Store; audit: AuditService; bus: Bus; clock: Clock }) {
  const { store, audit, bus, clock } = deps;

  async function checkServices(tx: Db, keys: string[]): Promise<string[]> {
    const unique = [...new Set(keys)];
    const missing: string[] = [];
    for (const k of unique) if (!(await findService(tx, k))) missing.push(k);
    if (missing.length)
      throw invalid(
        `unknown services: ${missing.join(', ')}`,
        missing.map((k) => ({ path: 'body.services', message: `unknown service ${k}` })),
      );
    return unique;
  }

  async function existing(tx: Db, id: string): Promise<StatusMaintenancesTable> {
    const row = await findMaintenance(tx, id);
    if (!row) throw notFound(`maintenance ${id}`);
    return row;
  }

  return {
    /** `current`: scheduled and in progress, soonest first; `all`: every one, newest first. */
    async list(which: 'current' | 'all', limit: number): Promise<StatusMaintenance[]> {
      const now = clock.now();
      const rows =
        which === 'current'
          ? (await maintenancesEndingSince(store.db, now)).slice(0, limit)
          : await recentMaintenances(store.db, limit);
      return rows.map((r) => toStaffMaintenance(r, now));
    },

    async get(id: string): Promise<StatusMaintenance> {
      return toStaffMaintenance(await existing(store.db, id), clock.now());
    },

    async create(actor: Actor, input: MaintenanceInput): Promise<StatusMaintenance> {
      return store.transaction(async (tx) => {
        const now = clock.now();
        const row: StatusMaintenancesTable = {
          id: newId(),
          title_zh: input.title.zh,
          title_en: input.title.en,
          body_zh: input.body.zh,
          body_en: input.body.en,
          services: JSON.stringify(await checkServices(tx, input.services)),
          starts_at: Date.parse(input.startsAt),
          ends_at: Date.parse(input.endsAt),
          created_by: actor.id,
          created_at: now,
          updated_at: now,
        };
        await insertMaintenance(tx, row);
        const out = toStaffMaintenance(row, now);
        await audit.append(tx, actor, {
          action: 'status.maintenance_create',
          targetType: 'status_maintenance',
          targetId: row.id,
          after: out,
        });
        siteChangedAfterCommit(bus, tx);
        return out;
      });
    },

    async update(actor: Actor, id: string, input: Partial<MaintenanceInput>): Promise<StatusMaintenance> {
      return store.transaction(async (tx) => {
        const cur = await existing(tx, id);
        const now = clock.now();
        const row: StatusMaintenancesTable = {
          ...cur,
          title_zh: input.title?.zh ?? cur.title_zh,
          title_en: input.title?.en ?? cur.title_en,
          body_zh: input.body?.zh ?? cur.body_zh,
          body_en: input.body?.en ?? cur.body_en,
          services: input.services ? JSON.stringify(await checkServices(tx, input.services)) : cur.services,
          starts_at: input.startsAt ? Date.parse(input.startsAt) : Number(cur.starts_at),
          ends_at: input.endsAt ? Date.parse(input.endsAt) : Number(cur.ends_at),
          updated_at: now,
        };
        if (row.ends_at <= row.starts_at)
          throw invalid('endsAt must be after startsAt', [{ path: 'body.endsAt', message: 'must be after startsAt' }]);
        await updateMaintenance(tx, id, row);
        const out = toStaffMaintenance(row, now);
        await audit.append(tx, actor, {
          action: 'status.maintenance_update',
          targetType: 'status_maintenance',
          targetId: id,
          before: toStaffMaintenance(cur, now),
          after: out,
        });
        siteChangedAfterCommit(bus, tx);
        return out;
      });
    },

    async remove(actor: Actor, id: string): Promise<void> {
      await store.transaction(async (tx) => {
        const cur = await existing(tx, id);
        await deleteMaintenance(tx, id);
        await audit.append(tx, actor, {
          action: 'status.maintenance_delete',
          targetType: 'status_maintenance',
          targetId: id,
          before: toStaffMaintenance(cur, clock.now()),
        });
        siteChangedAfterCommit(bus, tx);
      });
    },
  };
}
