/** The firm's service catalog: the business services incidents affect (online trading, mobile app, ...). */
import type { Service } from '../../../shared/service-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import type { ServicesTable } from '../../platform/db/types.js';
import { conflict } from '../../platform/errors.js';
import { newId, type Clock } from '../../platform/ids.js';
import type { Actor, AuditService } from '../audit/index.js';
import { findServiceByKey, insertService, listServices } from './catalog.repository.js';

const toService = (r: ServicesTable): Service => ({
  id: r.id,
  key: r.key,
  nameZh: r.name_zh,
  nameEn: r.name_en,
  description: r.description,
});

export function createCatalogService(deps: { store: Store; audit: AuditService; clock: Clock }) {
  const { store, audit, clock } = deps;
  // Bumped on every change, so readers that cache the catalog (alert intake) reload at once.
  let generation = 0;
  return {
    /** Changes to the catalog made through this process so far. */
    generation: () => generation,

    async list(after: string | undefined, limit: number) {
      const rows = await listServices(store.db, after, limit + 1);
      const page = rows.slice(0, limit);
      return { items: page.map(toService), next: rows.length > limit ? page[page.length - 1]!.key : null };
    },

    /** The service with this key, or null. */
    async byKey(key: string): Promise<Service | null> {
      const row = await findServiceByKey(store.db, key);
      return row ? toService(row) : null;
    },

    async create(
      actor: Actor,
      input: { key: string; nameZh: string; nameEn: string; description: string },
    ): Promise<Service> {
      return store
        .transaction(async (tx) => {
          if (await findServiceByKey(tx, input.key))
            throw conflict(`service ${input.key} already exists`, {
              code: 'service.exists',
              params: { key: input.key },
            });
          const row: ServicesTable = {
            id: newId(),
            key: input.key,
            name_zh: input.nameZh,
            name_en: input.nameEn,
            description: input.description,
            created_at: clock.now(),
          };
          await insertService(tx, row);
          await audit.append(tx, actor, {
            action: 'service.create',
            targetType: 'service',
            targetId: row.key,
            after: toService(row),
          });
          return toService(row);
        })
        .finally(() => {
          generation++;
        });
    },
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
