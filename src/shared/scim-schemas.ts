/**
 * SCIM 2.0 (RFC 7643 resources, RFC 7644 protocol) as Tocsin reads it: the User and Group a
 * provisioning client sends, the PATCH operations, the list query. Clients send more attributes than
 * Tocsin keeps (addresses, titles, the enterprise extension): objects are loose and the rest ignored.
 */
import { z } from 'zod';

export const SCIM_MEDIA_TYPE = 'application/scim+json';
export const SCIM_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const SCIM_GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const SCIM_LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const SCIM_PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** RFC 7644 section 3.12, table 9. */
export const SCIM_TYPES = [
  'invalidFilter',
  'tooMany',
  'uniqueness',
  'mutability',
  'invalidSyntax',
  'invalidPath',
  'noTarget',
  'invalidValue',
  'invalidVers',
  'sensitive',
] as const;
export type ScimType = (typeof SCIM_TYPES)[number];

const text = (max: number) => z.string().trim().min(1).max(max);
/** Entra ID sends booleans as "True" / "False" strings in PATCH values. */
export const scimBoolean = z.union([
  z.boolean(),
  z
    .string()
    .regex(/^(true|false)$/i)
    .transform((v) => v.toLowerCase() === 'true'),
]);

export const ScimName = z.looseObject({
  formatted: z.string().max(200).optional(),
  givenName: z.string().max(100).optional(),
  familyName: z.string().max(100).optional(),
});

export const ScimEmail = z.looseObject({
  value: z.string().trim().max(254),
  primary: scimBoolean.optional(),
  type: z.string().max(50).optional(),
});

export const ScimUserInput = z.looseObject({
  schemas: z.array(z.string().max(200)).max(20).optional(),
  userName: text(254),
  externalId: z.string().max(500).nullable().optional(),
  name: ScimName.optional(),
  displayName: z.string().max(200).optional(),
  emails: z.array(ScimEmail).max(20).optional(),
  active: scimBoolean.optional(),
});
export type ScimUserInput = z.infer<typeof ScimUserInput>;

export const ScimMemberRef = z.looseObject({ value: text(64), display: z.string().max(200).optional() });

export const ScimGroupInput = z.looseObject({
  schemas: z.array(z.string().max(200)).max(20).optional(),
  displayName: text(1000),
  externalId: z.string().max(500).nullable().optional(),
  members: z.array(ScimMemberRef).max(10_000).optional(),
});
export type ScimGroupInput = z.infer<typeof ScimGroupInput>;

export const ScimPatchOperation = z.looseObject({
  /** Case-insensitive: Entra ID writes "Replace", "Add". */
  op: z
    .string()
    .regex(/^(add|remove|replace)$/i, 'add, remove or replace')
    .transform((v) => v.toLowerCase() as 'add' | 'remove' | 'replace'),
  path: z.string().max(500).optional(),
  value: z.unknown().optional(),
});
export type ScimPatchOperation = z.infer<typeof ScimPatchOperation>;

export const ScimPatchRequest = z.looseObject({
  schemas: z.array(z.string()).refine((s) => s.includes(SCIM_PATCH_SCHEMA), `must include ${SCIM_PATCH_SCHEMA}`),
  Operations: z.array(ScimPatchOperation).min(1).max(1000),
});

/** The list query (RFC 7644 section 3.4.2): `filter`, 1-based `startIndex`, `count` (at most 200). */
export const ScimListQuery = z.looseObject({
  filter: z.string().max(1000).optional(),
  startIndex: z.coerce.number().int().optional(),
  count: z.coerce.number().int().optional(),
  attributes: z.string().max(1000).optional(),
  excludedAttributes: z.string().max(1000).optional(),
});
export type ScimListQuery = z.infer<typeof ScimListQuery>;

export const SCIM_MAX_RESULTS = 200;

/** An error as SCIM clients read it (RFC 7644 section 3.12); `status` is a string. */
export const ScimErrorBody = z.object({
  schemas: z.array(z.literal(SCIM_ERROR_SCHEMA)),
  status: z.string(),
  scimType: z.enum(SCIM_TYPES).optional(),
  detail: z.string(),
});
