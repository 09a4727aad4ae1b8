/**
 * SCIM 2.0 provisioning (docs/scim.md): an identity provider's SCIM client creates, updates, disables
 * and deletes the users who sign in through it, and pushes the groups that give them roles. The client
 * is an administrator's API token of scope `scim` named `scim:<provider id>`, for a provider whose
 * entry in TOCSIN_IDENTITY_FILE says `scim: true`; it sees and changes that provider's users only.
 * Users are Tocsin users (`sign_in_method` the provider); `active: false` and DELETE disable the account
 * through the user service, which ends its sessions, and keep it and its audit history.
 */
import { PERMISSIONS } from '../../../shared/permissions.js';
import { USER_ROLES, type UserRole } from '../../../shared/enums.js';
import type { ScimListQuery, ScimPatchOperation, ScimUserInput } from '../../../shared/scim-schemas.js';
import { ScimName, scimBoolean } from '../../../shared/scim-schemas.js';
import type { User } from '../../../shared/user-schemas.js';
import type { Config } from '../../platform/config.js';
import { randomToken } from '../../platform/crypto.js';
import type { Store } from '../../platform/db/connect.js';
import type { Clock } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import type { Principal, TokenService } from '../auth/index.js';
import type { UserService } from '../user/index.js';
import { createScimAccess, type ScimClient } from './scim-access.js';
import { parseScimFilter, scimError } from './scim-filter.js';
import { createScimGroups } from './scim-groups.js';
import { listResponse, paging, scimUserResource } from './scim-resources.js';
import {
  findScimUser,
  groupsOfUser,
  listScimUsers,
  removeUserFromGroups,
  type ScimUserRow,
  updateScimUser,
  upsertScimUser,
} from './scim.repository.js';

/** The role with the fewest permissions: what a provisioned person in no mapped group is created with (they have no access anyway). */
const LEAST_ROLE: UserRole = [...USER_ROLES].sort(
  (a, b) =>
    Object.values(PERMISSIONS).filter((p) => (p.roles as readonly string[]).includes(a)).length -
    Object.values(PERMISSIONS).filter((p) => (p.roles as readonly string[]).includes(b)).length,
)[0]!;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TOKEN_NAME = /^scim:([a-z0-9][a-z0-9-]{0,31})(?:\s|$)/;

/** The parts of a user SCIM writes: name, active, userName, externalId (and the email, once, at creation). */
interface UserFields {
  userName: string;
  externalId: string | null;
  name: string | null;
  active: boolean;
  email: string | null;
}

const nameOf = (u: { displayName?: string; name?: { formatted?: string; givenName?: string; familyName?: string } }) =>
  u.displayName?.trim() ||
  u.name?.formatted?.trim() ||
  [u.name?.givenName, u.name?.familyName].filter(Boolean).join(' ').trim() ||
  null;

function emailOf(input: ScimUserInput): string | null {
  const emails = input.emails ?? [];
  const pick = emails.find((e) => e.primary === true) ?? emails.find((e) => e.type === 'work') ?? emails[0];
  const email = (pick?.value ?? (EMAIL.test(input.userName) ? input.userName : '')).trim().toLowerCase();
  return email || null;
}

export function createScimService(deps: {
  store: Store;
  audit: AuditService;
  clock: Clock;
  config: Pick<Config, 'identity' | 'publicUrl'>;
  users: UserService;
  tokens: TokenService;
}) {
  const { store, audit, clock, config, users, tokens } = deps;
  const base = `${config.publicUrl}/scim/v2`;
  const access = createScimAccess({ store, clock, users });
  const groups = createScimGroups({ store, audit, clock, users, access, base });

  /** The provider an API token acts for (403 unless it is a `scim:<id>` token of a provider with `scim: true`). */
  async function clientOf(principal: Principal): Promise<ScimClient> {
    if (principal.via !== 'token' || !principal.tokenId)
      throw scimError(403, null, 'SCIM is for an identity provider: use an API token of scope scim');
    const name = (await tokens.nameOf(principal.tokenId)) ?? '';
    const id = TOKEN_NAME.exec(name)?.[1];
    const provider = id ? config.identity.providers.find((p) => p.id === id) : undefined;
    if (!provider?.scim)
      throw scimError(
        403,
        null,
        'this token is not bound to a SCIM provider: name it scim:<provider id>, for a provider with scim: true in TOCSIN_IDENTITY_FILE',
      );
    return { provider, actor: { id: null, label: `scim:${provider.id} (API token of ${principal.user.name})` } };
  }

  async function resource(row: ScimUserRow) {
    const user = await users.get(row.user_id);
    return scimUserResource(base, user, row, await groupsOfUser(store.db, row.user_id));
  }

  async function live(c: ScimClient, id: string): Promise<ScimUserRow> {
    const row = await findScimUser(store.db, c.provider.id, id);
    if (!row || row.deleted_at !== null) throw scimError(404, null, `User ${id} not found`);
    return row;
  }

  async function unique(c: ScimClient, userName: string, self: string | null) {
    const same = await listScimUsers(store.db, c.provider.id, { userName }, 0, 1);
    if (same.rows[0] && same.rows[0].user_id !== self)
      throw scimError(409, 'uniqueness', 'a user with this userName already exists');
  }

  /** Applies `next` over the user and its SCIM row: the account's name and disabled flag, userName, externalId. */
  async function apply(c: ScimClient, row: ScimUserRow, user: User, next: UserFields) {
    if (next.email && next.email !== user.email)
      throw scimError(400, 'mutability', 'the email address of a Tocsin account cannot change');
    if (next.userName.toLowerCase() !== row.user_name.toLowerCase()) await unique(c, next.userName, row.user_id);
    const patch: { name?: string; disabled?: boolean } = {};
    if (next.name && next.name !== user.name) patch.name = next.name;
    if (next.active === user.disabled) patch.disabled = !next.active;
    if (Object.keys(patch).length) await users.update(c.actor, user.id, patch);
    const changed = next.userName !== row.user_name || next.externalId !== row.external_id;
    const now = clock.now();
    await store.transaction(async (tx) => {
      await updateScimUser(tx, row.user_id, {
        user_name: next.userName,
        external_id: next.externalId,
        updated_at: now,
      });
      if (changed || Object.keys(patch).length)
        await audit.append(tx, c.actor, {
          action: 'scim.user_update',
          targetType: 'user',
          targetId: row.user_id,
          before: { userName: row.user_name, externalId: row.external_id, active: !user.disabled },
          after: { userName: next.userName, externalId: next.externalId, active: next.active },
        });
    });
    return resource((await findScimUser(store.db, c.provider.id, row.user_id))!);
  }

  /** The user's fields after PATCH operations (RFC 7644 section 3.5.2); attributes Tocsin does not keep are ignored. */
  function patched(cur: UserFields, ops: ScimPatchOperation[]): UserFields {
    const next = { ...cur };
    const set = (attr: string, value: unknown) => {
      const a = attr.toLowerCase();
      const str = (v: unknown) => {
        if (typeof v !== 'string') throw scimError(400, 'invalidValue', `${attr} must be a string`);
        return v.trim();
      };
      if (a === 'active') {
        const b = scimBoolean.safeParse(value);
        if (!b.success) throw scimError(400, 'invalidValue', 'active must be true or false');
        next.active = b.data;
      } else if (a === 'username') {
        const v = str(value);
        if (!v || v.length > 254) throw scimError(400, 'invalidValue', 'userName must be 1 to 254 characters');
        next.userName = v;
      } else if (a === 'externalid') next.externalId = value == null ? null : str(value).slice(0, 500) || null;
      else if (a === 'displayname' || a === 'name.formatted') next.name = str(value).slice(0, 200) || next.name;
      else if (a === 'name') {
        const n = ScimName.safeParse(value);
        if (!n.success) throw scimError(400, 'invalidValue', 'name must be an object');
        next.name = nameOf({ name: n.data }) ?? next.name;
      }
      // Anything else (title, addresses, emails, the enterprise extension...) is not kept by Tocsin.
    };
    for (const op of ops) {
      if (op.op === 'remove') {
        const a = (op.path ?? '').toLowerCase();
        if (!op.path) throw scimError(400, 'noTarget', 'remove needs a path');
        if (a === 'username' || a === 'active') throw scimError(400, 'mutability', `${op.path} cannot be removed`);
        if (a === 'externalid') next.externalId = null;
        continue;
      }
      if (op.value === undefined) throw scimError(400, 'invalidValue', `${op.op} needs a value`);
      if (op.path) set(op.path.replace(/^urn:ietf:params:scim:schemas:core:2\.0:User:/i, ''), op.value);
      else if (op.value && typeof op.value === 'object' && !Array.isArray(op.value))
        for (const [k, v] of Object.entries(op.value)) set(k, v);
      else throw scimError(400, 'invalidValue', `${op.op} without a path needs an object value`);
    }
    return next;
  }

  return {
    clientOf,
    groups,

    async list(c: ScimClient, q: ScimListQuery) {
      const filter = parseScimFilter(q.filter, ['userName', 'externalId', 'id']);
      const { offset, limit, startIndex } = paging(q);
      const { rows, total } = await listScimUsers(store.db, c.provider.id, filter, offset, limit);
      const items = [];
      for (const r of rows) items.push(await resource(r));
      return listResponse(total, startIndex, items);
    },

    async get(c: ScimClient, id: string) {
      return resource(await live(c, id));
    },

    /** POST /Users: a new account signing in through the provider, or one of its accounts taken under SCIM. */
    async create(c: ScimClient, input: ScimUserInput) {
      const p = c.provider;
      const email = emailOf(input);
      if (!email || !EMAIL.test(email))
        throw scimError(400, 'invalidValue', 'a user needs an email address (emails, or a userName that is one)');
      if (config.identity.breakGlass.includes(email))
        throw scimError(409, 'uniqueness', 'a break-glass account is never provisioned by SCIM');
      await unique(c, input.userName, null);
      const name = nameOf(input) ?? email;
      const active = input.active ?? true;
      let user = await users.byEmail(email);
      if (user) {
        // An account of this provider (made at a sign-in, or deleted by SCIM before) is taken over; others are not.
        const creds = await users.credentialsOf(user.id);
        const known = await findScimUser(store.db, p.id, user.id);
        if (creds?.signInMethod !== p.id || (known && known.deleted_at === null))
          throw scimError(409, 'uniqueness', 'an account with this email already exists and signs in another way');
        if (user.name !== name || user.disabled === active)
          user = await users.update(c.actor, user.id, { name, disabled: !active });
      } else {
        user = await users.create(c.actor, {
          email,
          name,
          role: LEAST_ROLE,
          password: randomToken(32), // never told to anyone: the account signs in through the directory
          signInMethod: p.id,
        });
        if (!active) user = await users.update(c.actor, user.id, { disabled: true });
      }
      const now = clock.now();
      const row: ScimUserRow = {
        user_id: user.id,
        provider: p.id,
        user_name: input.userName,
        external_id: input.externalId ?? null,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      };
      await store.transaction(async (tx) => {
        await upsertScimUser(tx, row);
        await audit.append(tx, c.actor, {
          action: 'scim.user_create',
          targetType: 'user',
          targetId: user.id,
          after: { provider: p.id, userName: row.user_name, externalId: row.external_id, active },
        });
      });
      await access.sync(p, c.actor, [user.id]);
      return resource(row);
    },

    /** PUT /Users/{id}: the whole resource replaced (attributes Tocsin keeps). */
    async replace(c: ScimClient, id: string, input: ScimUserInput) {
      const row = await live(c, id);
      const user = await users.get(id);
      return apply(c, row, user, {
        userName: input.userName,
        externalId: input.externalId ?? null,
        name: nameOf(input),
        // A PUT without `active` leaves the account as it is (enabling it would undo a deactivation by surprise).
        active: input.active ?? !user.disabled,
        email: input.emails?.length ? emailOf(input) : null,
      });
    },

    async patch(c: ScimClient, id: string, ops: ScimPatchOperation[]) {
      const row = await live(c, id);
      const user = await users.get(id);
      const cur: UserFields = {
        userName: row.user_name,
        externalId: row.external_id,
        name: user.name,
        active: !user.disabled,
        email: null,
      };
      return apply(c, row, user, patched(cur, ops));
    },

    /** DELETE /Users/{id}: the account is disabled (sessions end) and leaves its groups; it and its history stay. */
    async remove(c: ScimClient, id: string): Promise<void> {
      const row = await live(c, id);
      const user = await users.get(id);
      if (!user.disabled) await users.update(c.actor, id, { disabled: true });
      const now = clock.now();
      await store.transaction(async (tx) => {
        await removeUserFromGroups(tx, id);
        await updateScimUser(tx, id, { deleted_at: now, updated_at: now });
        await audit.append(tx, c.actor, {
          action: 'scim.user_delete',
          targetType: 'user',
          targetId: id,
          before: { userName: row.user_name, externalId: row.external_id },
          after: { deleted: true, disabled: true },
        });
      });
      await access.sync(c.provider, c.actor, [id]);
    },
  };
}

export type ScimService = ReturnType<typeof createScimService>;
