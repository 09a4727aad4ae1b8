/**
 * SCIM 2.0 endpoints under /scim/v2 (RFC 7644; docs/scim.md): Users, Groups and discovery. Every
 * answer is `application/scim+json`; errors are in the SCIM error schema (http/scim-error.ts).
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  SCIM_MEDIA_TYPE,
  ScimGroupInput,
  ScimListQuery,
  ScimPatchRequest,
  ScimUserInput,
} from '../../../shared/scim-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { scimError } from './scim-filter.js';
import { SCIM_RESOURCE_TYPES, SCIM_SCHEMAS, scimList, serviceProviderConfig } from './scim-discovery.js';
import type { ScimService } from './scim.service.js';

const tags = ['scim'];
const access = 'scim.provision' as const;
const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const NameParams = z.strictObject({ id: z.string().min(1).max(200) });
const response = (status = 200) => ({ status, contentType: SCIM_MEDIA_TYPE });

/** Sent as bytes so that Fastify keeps the media type exactly (no charset added to a SCIM client's surprise). */
const scim = (reply: FastifyReply, body: unknown, status = 200) =>
  reply
    .code(status)
    .header('content-type', SCIM_MEDIA_TYPE)
    .send(Buffer.from(JSON.stringify(body)));

export function scimRoutes(deps: { scim: ScimService }): AnyRoute[] {
  const s = deps.scim;
  const g = s.groups;
  return [
    defineRoute({
      method: 'GET',
      url: '/scim/v2/ServiceProviderConfig',
      summary: 'SCIM: what this service provider supports',
      tags,
      access,
      response: response(),
      handler: async ({ principal, reply }) => {
        await s.clientOf(principal);
        return scim(reply, serviceProviderConfig());
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/scim/v2/Schemas',
      summary: 'SCIM: the User and Group schemas',
      tags,
      access,
      response: response(),
      handler: async ({ principal, reply }) => {
        await s.clientOf(principal);
        return scim(reply, scimList(SCIM_SCHEMAS));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/scim/v2/Schemas/:id',
      summary: 'SCIM: one schema',
      tags,
      access,
      params: NameParams,
      response: response(),
      handler: async ({ principal, params, reply }) => {
        await s.clientOf(principal);
        const found = SCIM_SCHEMAS.find((x) => x.id === params.id);
        if (!found) throw scimError(404, null, `Schema ${params.id} not found`);
        return scim(reply, found);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/scim/v2/ResourceTypes',
      summary: 'SCIM: the resource types (User, Group)',
      tags,
      access,
      response: response(),
      handler: async ({ principal, reply }) => {
        await s.clientOf(principal);
        return scim(reply, scimList(SCIM_RESOURCE_TYPES));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/scim/v2/ResourceTypes/:id',
      summary: 'SCIM: one resource type',
      tags,
      access,
      params: NameParams,
      response: response(),
      handler: async ({ principal, params, reply }) => {
        await s.clientOf(principal);
        const found = SCIM_RESOURCE_TYPES.find((x) => x.id === params.id);
        if (!found) throw scimError(404, null, `ResourceType ${params.id} not found`);
        return scim(reply, found);
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/scim/v2/Users',
      summary: 'SCIM: list the provider’s users (filter userName/externalId eq, startIndex, count)',
      tags,
      access,
      query: ScimListQuery,
      response: response(),
      handler: async ({ principal, query, reply }) => scim(reply, await s.list(await s.clientOf(principal), query)),
    }),
    defineRoute({
      method: 'POST',
      url: '/scim/v2/Users',
      summary: 'SCIM: create a user (an account signing in through the provider)',
      tags,
      access,
      body: ScimUserInput,
      response: response(201),
      handler: async ({ principal, body, reply }) => {
        const created = await s.create(await s.clientOf(principal), body);
        reply.header('location', created.meta.location);
        return scim(reply, created, 201);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/scim/v2/Users/:id',
      summary: 'SCIM: one user',
      tags,
      access,
      params: IdParams,
      response: response(),
      handler: async ({ principal, params, reply }) => scim(reply, await s.get(await s.clientOf(principal), params.id)),
    }),
    defineRoute({
      method: 'PUT',
      url: '/scim/v2/Users/:id',
      summary: 'SCIM: replace a user (name, userName, externalId, active)',
      tags,
      access,
      params: IdParams,
      body: ScimUserInput,
      response: response(),
      handler: async ({ principal, params, body, reply }) =>
        scim(reply, await s.replace(await s.clientOf(principal), params.id, body)),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/scim/v2/Users/:id',
      summary: 'SCIM: change a user (active: false disables the account)',
      tags,
      access,
      params: IdParams,
      body: ScimPatchRequest,
      response: response(),
      handler: async ({ principal, params, body, reply }) =>
        scim(reply, await s.patch(await s.clientOf(principal), params.id, body.Operations)),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/scim/v2/Users/:id',
      summary: 'SCIM: delete a user (the account is disabled; it and its audit history are kept)',
      tags,
      access,
      params: IdParams,
      response: { status: 204 },
      handler: async ({ principal, params }) => {
        await s.remove(await s.clientOf(principal), params.id);
      },
    }),

    defineRoute({
      method: 'GET',
      url: '/scim/v2/Groups',
      summary: 'SCIM: list the provider’s groups (filter displayName/externalId eq, startIndex, count)',
      tags,
      access,
      query: ScimListQuery,
      response: response(),
      handler: async ({ principal, query, reply }) => scim(reply, await g.list(await s.clientOf(principal), query)),
    }),
    defineRoute({
      method: 'POST',
      url: '/scim/v2/Groups',
      summary: 'SCIM: create a group (its members get the role the provider maps it to)',
      tags,
      access,
      body: ScimGroupInput,
      response: response(201),
      handler: async ({ principal, body, reply }) => {
        const created = await g.create(await s.clientOf(principal), body);
        reply.header('location', created.meta.location);
        return scim(reply, created, 201);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/scim/v2/Groups/:id',
      summary: 'SCIM: one group',
      tags,
      access,
      params: IdParams,
      query: ScimListQuery,
      response: response(),
      handler: async ({ principal, params, query, reply }) =>
        scim(reply, await g.get(await s.clientOf(principal), params.id, query)),
    }),
    defineRoute({
      method: 'PUT',
      url: '/scim/v2/Groups/:id',
      summary: 'SCIM: replace a group and its members',
      tags,
      access,
      params: IdParams,
      body: ScimGroupInput,
      response: response(),
      handler: async ({ principal, params, body, reply }) =>
        scim(reply, await g.replace(await s.clientOf(principal), params.id, body)),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/scim/v2/Groups/:id',
      summary: 'SCIM: add, remove or replace members; rename',
      tags,
      access,
      params: IdParams,
      body: ScimPatchRequest,
      response: response(),
      handler: async ({ principal, params, body, reply }) =>
        scim(reply, await g.patch(await s.clientOf(principal), params.id, body.Operations)),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/scim/v2/Groups/:id',
      summary: 'SCIM: delete a group (its members lose the role it gave)',
      tags,
      access,
      params: IdParams,
      response: { status: 204 },
      handler: async ({ principal, params }) => {
        await g.remove(await s.clientOf(principal), params.id);
      },
    }),
  ] as AnyRoute[];
}
