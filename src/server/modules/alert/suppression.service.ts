/** Suppressions (rule and/or entity, until an expiry) and maintenance windows (services, rules, entities, a time span). */
import type {
  EntityRef,
  MaintenanceWindow,
  MaintenanceWindowCreate,
  Suppression,
  SuppressionCreate,
} from '../../../shared/alert-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { forbidden, invalid, notFound } from '../../platform/errors.js';
import { newId, type Clock } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { CatalogService } from '../catalog/index.js';
import { toSuppression, toWindow } from './alert.mapper.js';
import { normalizeEntityRef } from './entities.js';
import {
  deleteSuppression,
  deleteWindow,
  findSuppression,
  findWindow,
  insertSuppression,
  insertWindow,
  listSuppressions,
  listWindows,
  type SuppressionRow,
  type WindowRow,
} from './suppression.repository.js';

/** Longest maintenance window: planned work that silences alerts for longer should be a suppression with a reason. */
export const MAX_WINDOW_MS = 31 * 24 * 3600_000;

const future = (isoTime: string | undefined, now: number, path: string): number | null => {
  if (isoTime === undefined) return null;
  const t = Date.parse(isoTime);
  if (t <= now)
    throw invalid(`${path} is not in the future`, [{ path, message: 'must be in the future', code: 'not_in_future' }], {
      code: 'time.not_in_future',
      params: { field: path },
    });
  return t;
};

/** Writes a suppression and its audit entry inside `tx` (used by the API and by "false positive, suppress"). */
export async function writeSuppression(
  tx: Db,
  audit: AuditService,
  p: Principal,
  now: number,
  s: {
    ruleId: string | null;
    entity: EntityRef | null;
    reason: string;
    expiresAt: number | null;
    fromAlertId: string | null;
    incidentId?: string | null;
  },
): Promise<Suppression> {
  const row: SuppressionRow = {
    id: newId(),
    rule_id: s.ruleId,
    entity_kind: s.entity?.kind ?? null,
    entity_value: s.entity?.value ?? null,
    reason: s.reason,
    expires_at: s.expiresAt,
    from_alert_id: s.fromAlertId,
    hits: 0,
    last_hit_at: null,
    created_by: p.user.id,
    created_at: now,
    deleted_by: null,
    deleted_at: null,
  };
  await insertSuppression(tx, row);
  const out = toSuppression({ ...row, creator_name: p.user.name });
  await audit.append(tx, actorOf(p), {
    action: 'suppression.create',
    targetType: 'suppression',
    targetId: row.id,
    after: {
      ruleId: out.ruleId,
      entity: out.entity,
      reason: out.reason,
      expiresAt: out.expiresAt,
      fromAlertId: out.fromAlertId,
    },
    incidents: [s.incidentId],
  });
  return out;
}

export function createSuppressionService(deps: {
  store: Store;
  audit: AuditService;
  clock: Clock;
  catalog: CatalogService;
}) {
  const { store, audit, clock, catalog } = deps;

  async function knownServices(keys: string[]): Promise<string[]> {
    const unique = [...new Set(keys)];
    if (!unique.length) return [];
    const known = new Set((await catalog.list(undefined, 1000)).items.map((s) => s.key));
    const missing = unique.filter((k) => !known.has(k));
    if (missing.length)
      throw invalid(
        `unknown service(s): ${missing.join(', ')}`,
        missing.map((k) => ({
          path: 'services',
          message: `unknown service ${k}`,
          code: 'unknown_service' as const,
          params: { key: k },
        })),
        { code: 'service.unknown', params: { services: missing.join(', ') } },
      );
    return unique;
  }

  return {
    async list(
      p: Principal,
      cursor: string | undefined,
      limit: number,
    ): Promise<{ items: Suppression[]; next: string | null }> {
      assertCan(p, 'alert.read');
      const rows = await listSuppressions(store.db, cursor, limit + 1, p.user.role === 'admin' ? undefined : p.user.id);
      const page = rows.slice(0, limit);
      return { items: page.map(toSuppression), next: rows.length > limit ? page[page.length - 1]!.id : null };
    },

    async create(p: Principal, input: SuppressionCreate): Promise<Suppression> {
      assertCan(p, 'alert.manage');
      if (!input.ruleId && !input.entity) {
        throw invalid(
          'a suppression names a rule, an entity or both',
          [
            { path: 'ruleId', message: 'name a rule or an entity', code: 'needs_scope' },
            { path: 'entity', message: 'name a rule or an entity', code: 'needs_scope' },
          ],
          { code: 'suppression.needs_scope' },
        );
      }
      const now = clock.now();
      const entity = input.entity ? normalizeEntityRef(input.entity, 'entity.value') : null;
      const expiresAt = future(input.expiresAt, now, 'expiresAt');
      return store.transaction((tx) =>
        writeSuppression(tx, audit, p, now, {
          ruleId: input.ruleId ?? null,
          entity,
          reason: input.reason,
          expiresAt,
          fromAlertId: null,
        }),
      );
    },

    /**
     * Ends a suppression; it stays on record (and on the alerts it held) as deleted. One made in a
     * restricted incident is ended by its members and administrators only (others see it withheld).
     */
    async remove(p: Principal, id: string): Promise<void> {
      assertCan(p, 'alert.manage');
      await store.transaction(async (tx) => {
        const row = await findSuppression(tx, id, p.user.role === 'admin' ? undefined : p.user.id);
        const gone = () => notFound(`suppression ${id}`, { code: 'suppression.not_found', params: { id } });
        if (!row || row.deleted_at !== null) throw gone();
        if (Number(row.withheld))
          throw forbidden(
            'this suppression was made in a restricted incident you are not part of: its members or an administrator may end it',
            { code: 'suppression.withheld' },
          );
        if (!(await deleteSuppression(tx, id, p.user.id, clock.now()))) throw gone();
        const s = toSuppression(row);
        await audit.append(tx, actorOf(p), {
          action: 'suppression.delete',
          targetType: 'suppression',
          targetId: id,
          before: { ruleId: s.ruleId, entity: s.entity, reason: s.reason, expiresAt: s.expiresAt, hits: s.hits },
        });
      });
    },

    async listWindows(
      p: Principal,
      cursor: string | undefined,
      limit: number,
    ): Promise<{ items: MaintenanceWindow[]; next: string | null }> {
      assertCan(p, 'alert.read');
      const rows = await listWindows(store.db, cursor, limit + 1);
      const page = rows.slice(0, limit);
      return { items: page.map(toWindow), next: rows.length > limit ? page[page.length - 1]!.id : null };
    },

    async createWindow(p: Principal, input: MaintenanceWindowCreate): Promise<MaintenanceWindow> {
      assertCan(p, 'alert.manage');
      const now = clock.now();
      const startsAt = Date.parse(input.startsAt);
      const endsAt = Date.parse(input.endsAt);
      if (endsAt <= startsAt)
        throw invalid(
          'endsAt must be after startsAt',
          [{ path: 'endsAt', message: 'must be after startsAt', code: 'not_after_start' }],
          { code: 'maintenance.ends_before_start' },
        );
      if (endsAt <= now)
        throw invalid(
          'the window is already over',
          [{ path: 'endsAt', message: 'must be in the future', code: 'not_in_future' }],
          { code: 'maintenance.already_over' },
        );
      if (endsAt - startsAt > MAX_WINDOW_MS)
        throw invalid(
          'a maintenance window lasts at most 31 days',
          [
            {
              path: 'endsAt',
              message: 'at most 31 days after startsAt',
              code: 'too_long_window',
              params: { days: 31 },
            },
          ],
          { code: 'maintenance.too_long', params: { days: 31 } },
        );
      if (!input.services.length && !input.ruleIds.length && !input.entities.length) {
        throw invalid(
          'a maintenance window names services, rules or entities (it never silences everything)',
          [{ path: 'services', message: 'name services, rules or entities', code: 'needs_scope' }],
          { code: 'maintenance.needs_scope' },
        );
      }
      const services = await knownServices(input.services);
      const entities = input.entities.map((e, i) => normalizeEntityRef(e, `entities.${i}.value`));
      return store.transaction(async (tx) => {
        const row: WindowRow = {
          id: newId(),
          services: JSON.stringify(services),
          rule_ids: JSON.stringify([...new Set(input.ruleIds)]),
          entities: JSON.stringify(entities),
          starts_at: startsAt,
          ends_at: endsAt,
          reason: input.reason,
          hits: 0,
          last_hit_at: null,
          created_by: p.user.id,
          created_at: now,
          deleted_by: null,
          deleted_at: null,
        };
        await insertWindow(tx, row);
        const w = toWindow({ ...row, creator_name: p.user.name });
        await audit.append(tx, actorOf(p), {
          action: 'maintenance.create',
          targetType: 'maintenance_window',
          targetId: row.id,
          after: {
            services: w.services,
            ruleIds: w.ruleIds,
            entities: w.entities,
            startsAt: w.startsAt,
            endsAt: w.endsAt,
            reason: w.reason,
          },
        });
        return w;
      });
    },

    async removeWindow(p: Principal, id: string): Promise<void> {
      assertCan(p, 'alert.manage');
      await store.transaction(async (tx) => {
        const row = await findWindow(tx, id);
        if (!row || row.deleted_at !== null || !(await deleteWindow(tx, id, p.user.id, clock.now())))
          throw notFound(`maintenance window ${id}`, { code: 'maintenance.not_found', params: { id } });
        const w = toWindow(row);
        await audit.append(tx, actorOf(p), {
          action: 'maintenance.delete',
          targetType: 'maintenance_window',
          targetId: id,
          before: {
            services: w.services,
            ruleIds: w.ruleIds,
            entities: w.entities,
            startsAt: w.startsAt,
            endsAt: w.endsAt,
            reason: w.reason,
            hits: w.hits,
          },
        });
      });
    },
  };
}

export type SuppressionService = ReturnType<typeof createSuppressionService>;
