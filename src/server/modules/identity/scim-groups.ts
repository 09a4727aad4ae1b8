/**
 * SCIM groups of a provider (RFC 7643 section 4.2) and their members: every change of a group's name
 * or members re-derives the access and role of the users it touches (scim-access.ts).
 */
import type { ScimGroupInput, ScimListQuery, ScimPatchOperation } from '../../../shared/scim-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import { newId, type Clock } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import type { UserService } from '../user/index.js';
import type { ScimAccess, ScimClient } from './scim-access.js';
import { parseScimFilter, scimError } from './scim-filter.js';
import { excludesMembers, listResponse, paging, scimGroupResource } from './scim-resources.js';
import {
  addMembers,
  deleteScimGroup,
  findScimGroup,
  insertScimGroup,
  listScimGroups,
  liveScimUserIds,
  membersOf,
  removeMembers,
  type ScimGroupRow,
  scimGroupByName,
  updateScimGroup,
} from './scim.repository.js';

/** `members[value eq "id"]` (Okta's way of removing one member). */
const MEMBER_FILTER = /^members\[\s*value\s+eq\s+"([^"]+)"\s*\]$/i;

export function createScimGroups(deps: {
  store: Store;
  audit: AuditService;
  clock: Clock;
  users: UserService;
  access: ScimAccess;
  base: string;
}) {
  const { store, audit, clock, users, access, base } = deps;

  async function resource(row: ScimGroupRow, withMembers = true) {
    if (!withMembers) return scimGroupResource(base, row, null);
    const ids = (await membersOf(store.db, [row.id])).get(row.id) ?? [];
    const names = await users.namesOf(ids);
    return scimGroupResource(
      base,
      row,
      ids.map((id) => ({ id, name: names.get(id) ?? '' })),
    );
  }

  async function found(c: ScimClient, id: string): Promise<ScimGroupRow> {
    const row = await findScimGroup(store.db, c.provider.id, id);
    if (!row) throw scimError(404, null, `Group ${id} not found`);
    return row;
  }

  /** The member ids given, each a user this provider provisioned (400 invalidValue otherwise). */
  async function memberIds(c: ScimClient, value: unknown): Promise<string[]> {
    const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
    const ids = list.map((m) => {
      const v = m && typeof m === 'object' ? (m as { value?: unknown }).value : undefined;
      if (typeof v !== 'string' || !v) throw scimError(400, 'invalidValue', 'each member needs a value (a User id)');
      return v;
    });
    const known = await liveScimUserIds(store.db, c.provider.id, ids);
    const unknown = ids.find((id) => !known.has(id));
    if (unknown) throw scimError(400, 'invalidValue', `member ${unknown} is not a User of this provider`);
    return [...new Set(ids)];
  }

  async function uniqueName(c: ScimClient, displayName: string, self: string | null) {
    const same = await scimGroupByName(store.db, c.provider.id, displayName);
    if (same && same.id !== self) throw scimError(409, 'uniqueness', 'a group with this displayName already exists');
  }

  /** Writes the group's new name and members, audits the change, and re-derives the touched users' access. */
  async function save(
    c: ScimClient,
    row: ScimGroupRow,
    next: { displayName: string; externalId: string | null; members: string[] },
  ) {
    const before = (await membersOf(store.db, [row.id])).get(row.id) ?? [];
    if (next.displayName !== row.display_name) await uniqueName(c, next.displayName, row.id);
    const added = next.members.filter((id) => !before.includes(id));
    const removed = before.filter((id) => !next.members.includes(id));
    const renamed = next.displayName !== row.display_name || next.externalId !== row.external_id;
    await store.transaction(async (tx) => {
      await updateScimGroup(tx, row.id, {
        display_name: next.displayName,
        external_id: next.externalId,
        updated_at: clock.now(),
      });
      await addMembers(tx, row.id, added);
      await removeMembers(tx, row.id, removed);
      if (renamed || added.length || removed.length)
        await audit.append(tx, c.actor, {
          action: 'scim.group_update',
          targetType: 'scim_group',
          targetId: row.id,
          before: { displayName: row.display_name, externalId: row.external_id },
          after: { displayName: next.displayName, externalId: next.externalId, added, removed },
        });
    });
    // A renamed group may map to another role: every member is re-derived, else only those added or removed.
    await access.sync(c.provider, c.actor, renamed ? [...before, ...added] : [...added, ...removed]);
    return resource((await findScimGroup(store.db, c.provider.id, row.id))!);
  }

  return {
    async list(c: ScimClient, q: ScimListQuery) {
      const filter = parseScimFilter(q.filter, ['displayName', 'externalId', 'id']);
      const { offset, limit, startIndex } = paging(q);
      const { rows, total } = await listScimGroups(store.db, c.provider.id, filter, offset, limit);
      const withMembers = !excludesMembers(q);
      const items = [];
      for (const r of rows) items.push(await resource(r, withMembers));
      return listResponse(total, startIndex, items);
    },

    async get(c: ScimClient, id: string, q: ScimListQuery) {
      return resource(await found(c, id), !excludesMembers(q));
    },

    async create(c: ScimClient, input: ScimGroupInput) {
      await uniqueName(c, input.displayName, null);
      const members = await memberIds(c, input.members);
      const now = clock.now();
      const row: ScimGroupRow = {
        id: newId(),
        provider: c.provider.id,
        display_name: input.displayName,
        external_id: input.externalId ?? null,
        created_at: now,
        updated_at: now,
      };
      await store.transaction(async (tx) => {
        await insertScimGroup(tx, row);
        await addMembers(tx, row.id, members);
        await audit.append(tx, c.actor, {
          action: 'scim.group_create',
          targetType: 'scim_group',
          targetId: row.id,
          after: { provider: c.provider.id, displayName: row.display_name, externalId: row.external_id, members },
        });
      });
      await access.sync(c.provider, c.actor, members);
      return resource(row);
    },

    async replace(c: ScimClient, id: string, input: ScimGroupInput) {
      const row = await found(c, id);
      return save(c, row, {
        displayName: input.displayName,
        externalId: input.externalId ?? null,
        members: await memberIds(c, input.members),
      });
    },

    /** PATCH: members added, removed (by value list or `members[value eq "..."]`) or replaced; displayName, externalId. */
    async patch(c: ScimClient, id: string, ops: ScimPatchOperation[]) {
      const row = await found(c, id);
      const next = {
        displayName: row.display_name,
        externalId: row.external_id,
        members: (await membersOf(store.db, [row.id])).get(row.id) ?? [],
      };
      const setAttr = async (op: 'add' | 'replace', attr: string, value: unknown) => {
        const a = attr.toLowerCase();
        if (a === 'members') {
          const ids = await memberIds(c, value);
          next.members = op === 'replace' ? ids : [...new Set([...next.members, ...ids])];
        } else if (a === 'displayname') {
          if (typeof value !== 'string' || !value.trim() || value.length > 1000)
            throw scimError(400, 'invalidValue', 'displayName must be a non-empty string');
          next.displayName = value.trim();
        } else if (a === 'externalid') {
          if (value !== null && typeof value !== 'string')
            throw scimError(400, 'invalidValue', 'externalId must be a string');
          next.externalId = value || null;
        } else throw scimError(400, 'invalidPath', `Group attribute ${attr} is not supported`);
      };
      for (const op of ops) {
        const path = op.path?.replace(/^urn:ietf:params:scim:schemas:core:2\.0:Group:/i, '');
        if (op.op === 'remove') {
          if (!path) throw scimError(400, 'noTarget', 'remove needs a path');
          const one = MEMBER_FILTER.exec(path);
          if (one) next.members = next.members.filter((m) => m !== one[1]);
          else if (path.toLowerCase() === 'members') {
            // A value list removes those members (Entra ID); no value removes them all (RFC 7644 3.5.2.2).
            if (op.value === undefined) next.members = [];
            else {
              const list = Array.isArray(op.value) ? op.value : [op.value];
              const gone = new Set(list.map((m) => (m as { value?: unknown })?.value));
              next.members = next.members.filter((m) => !gone.has(m));
            }
          } else if (path.toLowerCase() === 'externalid') next.externalId = null;
          else throw scimError(400, 'invalidPath', `cannot remove ${path}`);
          continue;
        }
        if (op.value === undefined) throw scimError(400, 'invalidValue', `${op.op} needs a value`);
        if (path) await setAttr(op.op, path, op.value);
        else if (op.value && typeof op.value === 'object' && !Array.isArray(op.value))
          for (const [k, v] of Object.entries(op.value)) {
            if (k === 'schemas' || k === 'id' || k === 'meta') continue;
            await setAttr(op.op, k, v);
          }
        else throw scimError(400, 'invalidValue', `${op.op} without a path needs an object value`);
      }
      return save(c, row, next);
    },

    /** DELETE: the group and its memberships go; its former members' access is re-derived. */
    async remove(c: ScimClient, id: string): Promise<void> {
      const row = await found(c, id);
      const members = (await membersOf(store.db, [row.id])).get(row.id) ?? [];
      await store.transaction(async (tx) => {
        await deleteScimGroup(tx, row.id);
        await audit.append(tx, c.actor, {
          action: 'scim.group_delete',
          targetType: 'scim_group',
          targetId: row.id,
          before: { displayName: row.display_name, externalId: row.external_id, members },
        });
      });
      await access.sync(c.provider, c.actor, members);
    },
  };
}
