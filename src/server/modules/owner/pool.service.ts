/**
 * Owner pools: a branch pool (branch name -> users) and tier queues (tier -> users) that assignment
 * draws from when a customer's account manager is not a Tocsin user. Members must be active users.
 * Setting a pool replaces its members; an empty list removes it. Audited with before and after.
 */
import type { OwnerPool, OwnerPoolPut } from '../../../shared/owner-schemas.js';
import type { Db } from '../../platform/db/types.js';
import { invalid, notFound } from '../../platform/errors.js';
import { iso, newId } from '../../platform/ids.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { OwnerDeps } from './owner-context.js';
import { deletePool, listPools, type PoolRow, poolById, poolByName, upsertPool } from './pool.repository.js';

const members = (r: PoolRow): string[] => JSON.parse(r.user_ids) as string[];
const audited = (r: PoolRow | undefined) => (r ? { kind: r.kind, name: r.name, userIds: members(r) } : null);

export function createPoolService(deps: OwnerDeps) {
  const { store, audit, clock, users } = deps;

  async function view(db: Db, rows: PoolRow[]): Promise<OwnerPool[]> {
    const names = await users.namesOf(rows.flatMap(members), db);
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind as OwnerPool['kind'],
      name: r.name,
      users: members(r).map((id) => ({ id, name: names.get(id) ?? null })),
      updatedAt: iso(Number(r.updated_at)),
    }));
  }

  return {
    async list(p: Principal): Promise<{ items: OwnerPool[] }> {
      assertCan(p, 'owner.read');
      return { items: await view(store.db, await listPools(store.db)) };
    },

    /** Sets the members of a pool (created when new); an empty list removes it (null is answered). */
    async put(p: Principal, input: OwnerPoolPut): Promise<OwnerPool | null> {
      assertCan(p, 'owner.manage');
      return store.transaction(async (tx) => {
        const userIds = [...new Set(input.userIds)];
        for (const [i, id] of userIds.entries())
          if (!(await users.activeById(id, tx)))
            throw invalid(`no active user ${id}`, [
              { path: `userIds.${i}`, message: `no active user ${id}`, code: 'unknown_user', params: { id } },
            ]);
        const before = await poolByName(tx, input.kind, input.name);
        const base = { action: 'owner_pool.set', targetType: 'owner_pool', before: audited(before) } as const;
        if (userIds.length === 0) {
          if (before) {
            await deletePool(tx, before.id);
            await audit.append(tx, actorOf(p), { ...base, targetId: before.id, after: null });
          }
          return null;
        }
        const row: PoolRow = {
          id: before?.id ?? newId(),
          kind: input.kind,
          name: input.name,
          user_ids: JSON.stringify(userIds),
          updated_by: p.user.id,
          updated_at: clock.now(),
        };
        await upsertPool(tx, row);
        await audit.append(tx, actorOf(p), { ...base, targetId: row.id, after: audited(row) });
        return (await view(tx, [row]))[0]!;
      });
    },

    async remove(p: Principal, id: string): Promise<void> {
      assertCan(p, 'owner.manage');
      await store.transaction(async (tx) => {
        const before = await poolById(tx, id);
        if (!before) throw notFound(`owner pool ${id}`);
        await deletePool(tx, id);
        await audit.append(tx, actorOf(p), {
          action: 'owner_pool.set',
          targetType: 'owner_pool',
          targetId: id,
          before: audited(before),
          after: null,
        });
      });
    },

    /** Every pool's members by `kind:name` (lower-cased name), for assignment. */
    async byName(db: Db): Promise<Map<string, string[]>> {
      return new Map((await listPools(db)).map((r) => [`${r.kind}:${r.name.toLowerCase()}`, members(r)]));
    },
  };
}

export type PoolService = ReturnType<typeof createPoolService>;
