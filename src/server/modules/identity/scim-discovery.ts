/** SCIM discovery (RFC 7644 section 4): what this service provider supports, its schemas and resource types. */
import {
  SCIM_GROUP_SCHEMA,
  SCIM_LIST_SCHEMA,
  SCIM_MAX_RESULTS,
  SCIM_USER_SCHEMA,
} from '../../../shared/scim-schemas.js';

const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';
const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';

const attr = (
  name: string,
  type: 'string' | 'boolean' | 'complex' | 'reference' | 'dateTime',
  more: Record<string, unknown> = {},
) => ({
  name,
  type,
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...more,
});

const USER_SCHEMA = {
  schemas: [SCHEMA_SCHEMA],
  id: SCIM_USER_SCHEMA,
  name: 'User',
  description: 'A Tocsin account that signs in through the identity provider',
  attributes: [
    attr('userName', 'string', { required: true, uniqueness: 'server' }),
    attr('externalId', 'string', { caseExact: true }),
    attr('name', 'complex', {
      subAttributes: [attr('formatted', 'string'), attr('givenName', 'string'), attr('familyName', 'string')],
    }),
    attr('displayName', 'string'),
    attr('emails', 'complex', {
      multiValued: true,
      mutability: 'immutable',
      description: 'The primary (else first) email is the account email, set at creation and never changed',
      subAttributes: [attr('value', 'string'), attr('type', 'string'), attr('primary', 'boolean')],
    }),
    attr('active', 'boolean', { description: 'false disables the account: its sessions and tokens stop working' }),
    attr('groups', 'complex', {
      multiValued: true,
      mutability: 'readOnly',
      subAttributes: [attr('value', 'string'), attr('display', 'string'), attr('$ref', 'reference')],
    }),
  ],
  meta: { resourceType: 'Schema', location: `/scim/v2/Schemas/${SCIM_USER_SCHEMA}` },
};

const GROUP_SCHEMA = {
  schemas: [SCHEMA_SCHEMA],
  id: SCIM_GROUP_SCHEMA,
  name: 'Group',
  description: 'A directory group; the provider role mapping gives its members a Tocsin role',
  attributes: [
    attr('displayName', 'string', { required: true, uniqueness: 'server' }),
    attr('externalId', 'string', { caseExact: true }),
    attr('members', 'complex', {
      multiValued: true,
      subAttributes: [
        attr('value', 'string', { mutability: 'immutable' }),
        attr('display', 'string', { mutability: 'readOnly' }),
        attr('$ref', 'reference', { mutability: 'immutable' }),
      ],
    }),
  ],
  meta: { resourceType: 'Schema', location: `/scim/v2/Schemas/${SCIM_GROUP_SCHEMA}` },
};

export const SCIM_SCHEMAS = [USER_SCHEMA, GROUP_SCHEMA];

export function serviceProviderConfig() {
  return {
    schemas: [SPC_SCHEMA],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: SCIM_MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    // No versions: a PUT or PATCH always applies to the resource as it is (no If-Match).
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description: 'A Tocsin API token of scope scim named scim:<provider id>',
        specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: '/scim/v2/ServiceProviderConfig' },
  };
}

export const SCIM_RESOURCE_TYPES = [
  {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'Tocsin accounts',
    schema: SCIM_USER_SCHEMA,
    schemaExtensions: [],
    meta: { resourceType: 'ResourceType', location: '/scim/v2/ResourceTypes/User' },
  },
  {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: 'Group',
    name: 'Group',
    endpoint: '/Groups',
    description: 'Directory groups, mapped to roles',
    schema: SCIM_GROUP_SCHEMA,
    schemaExtensions: [],
    meta: { resourceType: 'ResourceType', location: '/scim/v2/ResourceTypes/Group' },
  },
];

export const scimList = (resources: unknown[]) => ({
  schemas: [SCIM_LIST_SCHEMA],
  totalResults: resources.length,
  startIndex: 1,
  itemsPerPage: resources.length,
  Resources: resources,
});
