/** Tocsin's users and SCIM groups written as SCIM resources (RFC 7643 sections 4.1, 4.2) and list responses. */
import {
  SCIM_GROUP_SCHEMA,
  SCIM_LIST_SCHEMA,
  SCIM_MAX_RESULTS,
  SCIM_USER_SCHEMA,
  type ScimListQuery,
} from '../../../shared/scim-schemas.js';
import type { User } from '../../../shared/user-schemas.js';
import { iso } from '../../platform/ids.js';
import type { ScimGroupRow, ScimUserRow } from './scim.repository.js';

export function scimUserResource(
  base: string,
  user: User,
  row: ScimUserRow,
  groups: { id: string; display_name: string }[],
) {
  return {
    schemas: [SCIM_USER_SCHEMA],
    id: user.id,
    ...(row.external_id ? { externalId: row.external_id } : {}),
    userName: row.user_name,
    name: { formatted: user.name },
    displayName: user.name,
    emails: [{ value: user.email, type: 'work', primary: true }],
    active: !user.disabled,
    groups: groups.map((g) => ({ value: g.id, display: g.display_name, $ref: `${base}/Groups/${g.id}` })),
    meta: {
      resourceType: 'User',
      created: iso(row.created_at),
      lastModified: iso(row.updated_at),
      location: `${base}/Users/${user.id}`,
    },
  };
}

export function scimGroupResource(base: string, row: ScimGroupRow, members: { id: string; name: string }[] | null) {
  return {
    schemas: [SCIM_GROUP_SCHEMA],
    id: row.id,
    ...(row.external_id ? { externalId: row.external_id } : {}),
    displayName: row.display_name,
    ...(members
      ? { members: members.map((m) => ({ value: m.id, display: m.name, $ref: `${base}/Users/${m.id}` })) }
      : {}),
    meta: {
      resourceType: 'Group',
      created: iso(row.created_at),
      lastModified: iso(row.updated_at),
      location: `${base}/Groups/${row.id}`,
    },
  };
}

/** 1-based `startIndex` (below 1 is 1) and `count` (negative is 0, at most SCIM_MAX_RESULTS), as RFC 7644 3.4.2.4 says. */
export function paging(q: ScimListQuery): { offset: number; limit: number; startIndex: number } {
  const startIndex = Math.max(1, q.startIndex ?? 1);
  const limit = Math.min(SCIM_MAX_RESULTS, Math.max(0, q.count ?? SCIM_MAX_RESULTS));
  return { offset: startIndex - 1, limit, startIndex };
}

export const listResponse = (total: number, startIndex: number, resources: unknown[]) => ({
  schemas: [SCIM_LIST_SCHEMA],
  totalResults: total,
  startIndex,
  itemsPerPage: resources.length,
  Resources: resources,
});

/** Whether the client asked to leave `members` out (`excludedAttributes=members`, as Entra ID does). */
export const excludesMembers = (q: ScimListQuery) =>
  (q.excludedAttributes ?? '')
    .split(',')
    .map((a) => a.trim().toLowerCase())
    .includes('members');
