/**
 * Staff management of the status site's components: which catalog services are public, in which group
 * and order, with what public description; a person's override of a service's public state (it wins
 * over the probes until cleared, and is kept for the uptime bars); the groups. Each change is audited in
 * its transaction and tells the web processes to render the site again after the commit.
 */
import type { StatusComponent, StatusComponentUpdate, StatusGroup } from '../../../shared/status-schemas.js';
import type { ComponentState } from '../../../shared/status-site.js';
import type { Bus } from '../../platform/bus.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db, StatusComponentsTable, StatusGroupsTable, StatusOverridesTable } from '../../platform/db/types.js';
import { conflict, notFound } from '../../platform/errors.js';
import { iso, newId, type Clock } from '../../platform/ids.js';
import type { Actor, AuditService } from '../audit/index.js';
import { liveState, maintenancesByService } from './component-state.js';
import { siteChangedAfterCommit } from './status-events.js';
import {
  activeOverride,
  deleteGroup,
  endOverride,
  findComponent,
  findGroup,
  findService,
  insertGroup,
  insertOverride,
  listComponents,
  listGroups,
  maintenancesEndingSince,
  overridesSince,
  saveComponent,
  ungroupComponents,
  updateGroup,
  type ComponentRow,
} from './status.repository.js';

const toGroup = (g: StatusGroupsTable): StatusGroup => ({
  key: g.key,
  name: { zh: g.name_zh, en: g.name_en },
  position: Number(g.position),
});

export function createStatusAdmin(deps: { store: Store; audit: AuditService; bus: Bus; clock: Clock }) {
  const { store, audit, bus, clock } = deps;

  function toComponent(
    r: ComponentRow,
    override: StatusOverridesTable | undefined,
    maintenances: ReturnType<typeof maintenancesByService>,
    now: number,
  ): StatusComponent {
    const live = liveState(r, override, maintenances.get(r.key) ?? [], now);
    return {
      key: r.key,
      name: { zh: r.name_zh, en: r.name_en },
      public: r.public === 1,
      group: r.group_key,
      position: Number(r.position ?? 0),
      description: { zh: r.description_zh ?? '', en: r.description_en ?? '' },
      state: live.state,
      source: live.source,
      since: iso(live.since),
      health: (r.health_state ?? 'unknown') as StatusComponent['health'],
      override: override
        ? {
            state: override.state as ComponentState,
            reason: override.reason,
            by: override.set_by_label,
            since: iso(override.started_at),
          }
        : null,
    };
  }

  async function components(db: Db, key?: string): Promise<StatusComponent[]> {
    const now = clock.now();
    const [rows, overrides, maintenances] = await Promise.all([
      listComponents(db, false),
      overridesSince(db, now),
      maintenancesEndingSince(db, now),
    ]);
    const byService = maintenancesByService(maintenances);
    return rows
      .filter((r) => key === undefined || r.key === key)
      .map((r) =>
        toComponent(
          r,
          overrides.find((o) => o.service_id === r.service_id && o.ended_at === null),
          byService,
          now,
        ),
      );
  }

  async function service(db: Db, key: string) {
    const svc = await findService(db, key);
    if (!svc) throw notFound(`service ${key}`);
    return svc;
  }

  /** One component as it is after a change in `tx`. */
  const one = async (tx: Db, key: string) => (await components(tx, key))[0]!;

  return {
    /** Every catalog service with its public settings and the state the public sees. */
    list: () => components(store.db),

    async update(actor: Actor, key: string, input: StatusComponentUpdate): Promise<StatusComponent> {
      return store.transaction(async (tx) => {
        const svc = await service(tx, key);
        if (input.group && !(await findGroup(tx, input.group))) throw notFound(`status group ${input.group}`);
        const cur = await findComponent(tx, svc.id);
        const before = await one(tx, key);
        const row: StatusComponentsTable = {
          service_id: svc.id,
          public: input.public === undefined ? (cur?.public ?? 0) : input.public ? 1 : 0,
          group_key: input.group === undefined ? (cur?.group_key ?? null) : input.group,
          position: input.position ?? cur?.position ?? 0,
          description_zh: input.description?.zh ?? cur?.description_zh ?? '',
          description_en: input.description?.en ?? cur?.description_en ?? '',
          updated_at: clock.now(),
        };
        await saveComponent(tx, row);
        const after = await one(tx, key);
        await audit.append(tx, actor, {
          action: 'status.component_update',
          targetType: 'status_component',
          targetId: key,
          before: {
            public: before.public,
            group: before.group,
            position: before.position,
            description: before.description,
          },
          after: { public: after.public, group: after.group, position: after.position, description: after.description },
        });
        siteChangedAfterCommit(bus, tx);
        return after;
      });
    },

    /** Sets the public state by hand (replacing an override in force); it wins until cleared. */
    async setOverride(actor: Actor, key: string, input: { state: ComponentState; reason: string }) {
      return store.transaction(async (tx) => {
        const svc = await service(tx, key);
        const now = clock.now();
        const cur = await activeOverride(tx, svc.id);
        if (cur) await endOverride(tx, cur.id, now, actor.id);
        await insertOverride(tx, {
          id: newId(),
          service_id: svc.id,
          state: input.state,
          reason: input.reason,
          set_by: actor.id,
          set_by_label: actor.label,
          started_at: now,
          ended_at: null,
          ended_by: null,
        });
        await audit.append(tx, actor, {
          action: 'status.override_set',
          targetType: 'status_component',
          targetId: key,
          before: cur ? { state: cur.state, reason: cur.reason } : null,
          after: input,
        });
        siteChangedAfterCommit(bus, tx);
        return one(tx, key);
      });
    },

    /** Back to the probes' verdict. */
    async clearOverride(actor: Actor, key: string): Promise<StatusComponent> {
      return store.transaction(async (tx) => {
        const svc = await service(tx, key);
        const cur = await activeOverride(tx, svc.id);
        if (!cur) throw conflict(`service ${key} has no manual state to clear`);
        await endOverride(tx, cur.id, clock.now(), actor.id);
        await audit.append(tx, actor, {
          action: 'status.override_clear',
          targetType: 'status_component',
          targetId: key,
          before: { state: cur.state, reason: cur.reason },
        });
        siteChangedAfterCommit(bus, tx);
        return one(tx, key);
      });
    },

    groups: async (): Promise<StatusGroup[]> => (await listGroups(store.db)).map(toGroup),

    async createGroup(actor: Actor, input: StatusGroup): Promise<StatusGroup> {
      return store.transaction(async (tx) => {
        if (await findGroup(tx, input.key)) throw conflict(`status group ${input.key} already exists`);
        const now = clock.now();
        const row: StatusGroupsTable = {
          key: input.key,
          name_zh: input.name.zh,
          name_en: input.name.en,
          position: input.position,
          created_at: now,
          updated_at: now,
        };
        await insertGroup(tx, row);
        await audit.append(tx, actor, {
          action: 'status.group_create',
          targetType: 'status_group',
          targetId: input.key,
          after: toGroup(row),
        });
        siteChangedAfterCommit(bus, tx);
        return toGroup(row);
      });
    },

    async updateGroup(
      actor: Actor,
      key: string,
      input: { name?: { zh: string; en: string }; position?: number },
    ): Promise<StatusGroup> {
      return store.transaction(async (tx) => {
        const cur = await findGroup(tx, key);
        if (!cur) throw notFound(`status group ${key}`);
        const row: StatusGroupsTable = {
          ...cur,
          name_zh: input.name?.zh ?? cur.name_zh,
          name_en: input.name?.en ?? cur.name_en,
          position: input.position ?? cur.position,
          updated_at: clock.now(),
        };
        await updateGroup(tx, key, row);
        await audit.append(tx, actor, {
          action: 'status.group_update',
          targetType: 'status_group',
          targetId: key,
          before: toGroup(cur),
          after: toGroup(row),
        });
        siteChangedAfterCommit(bus, tx);
        return toGroup(row);
      });
    },

    /** Its services stay public, ungrouped. */
    async deleteGroup(actor: Actor, key: string): Promise<void> {
      await store.transaction(async (tx) => {
        const cur = await findGroup(tx, key);
        if (!cur) throw notFound(`status group ${key}`);
        await ungroupComponents(tx, key, clock.now());
        await deleteGroup(tx, key);
        await audit.append(tx, actor, {
          action: 'status.group_delete',
          targetType: 'status_group',
          targetId: key,
          before: toGroup(cur),
        });
        siteChangedAfterCommit(bus, tx);
      });
    },
  };
}
