/** OpenAPI 3.1 document generated from the route registry's zod schemas. */
import { z } from 'zod';
import { Problem } from '../../shared/api-schemas.js';
import { ScimErrorBody } from '../../shared/scim-schemas.js';
import type { AnyRoute } from './route.js';

const jsonSchema = (s: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;

const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z]+)/g, '{$1}');

function parameters(r: AnyRoute) {
  const out: Record<string, unknown>[] = [];
  for (const [where, schema] of [
    ['path', r.params],
    ['query', r.query],
  ] as const) {
    if (!schema) continue;
    const js = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, prop] of Object.entries(js.properties ?? {})) {
      out.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: prop });
    }
  }
  return out;
}

export function buildOpenApi(routes: AnyRoute[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const problem = {
    description: 'Problem (RFC 9457)',
    content: { 'application/problem+json': { schema: jsonSchema(Problem, 'output') } },
  };
  // SCIM (docs/scim.md): bodies and errors in application/scim+json, errors in the SCIM error schema (RFC 7644 3.12).
  const scimError = {
    description: 'SCIM error (RFC 7644 section 3.12)',
    content: { 'application/scim+json': { schema: jsonSchema(ScimErrorBody, 'output') } },
  };
  for (const r of routes) {
    const path = toOpenApiPath(r.url);
    const scim = r.url.startsWith('/scim/');
    const err = scim ? scimError : problem;
    const bodyType = scim ? 'application/scim+json' : 'application/json';
    const status = String(r.response?.status ?? 200);
    const ok: Record<string, unknown> = { description: 'Success' };
    if (r.response?.schema)
      ok.content = {
        [r.response.contentType ?? 'application/json']: { schema: jsonSchema(r.response.schema, 'output') },
      };
    else if (r.response?.contentType) ok.content = { [r.response.contentType]: {} };
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = {
      summary: r.summary,
      tags: r.tags,
      'x-permission': r.access,
      security: r.access === 'public' ? [] : [{ session: [] }, { bearer: [] }],
      parameters: parameters(r),
      ...(r.body
        ? { requestBody: { required: true, content: { [bodyType]: { schema: jsonSchema(r.body, 'input') } } } }
        : {}),
      ...(r.raw
        ? {
            requestBody: {
              required: true,
              content: Object.fromEntries(
                Object.entries(r.raw.content).map(([type, s]) => [type, s ? { schema: jsonSchema(s, 'input') } : {}]),
              ),
            },
          }
        : {}),
      responses: scim
        ? { [status]: ok, '400': err, '401': err, '403': err, '404': err, '409': err }
        : { [status]: ok, '400': err, '401': err, '403': err, '404': err, '422': err },
    };
  }
  paths['/api/v1/stream'] = {
    get: {
      summary: 'Server-sent events: incident.created, incident.updated, timeline.appended, task.changed',
      description:
        'Each event has an `id:`; the stream opens with `event: ready` naming where it starts. Reconnecting with ' +
        'the `Last-Event-ID` header (or `?lastEventId=`) first sends the missed events the caller may see, or ' +
        '`event: resync` when they are no longer kept (refetch everything).',
      tags: ['stream'],
      parameters: [
        { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string', maxLength: 64 } },
        { name: 'lastEventId', in: 'query', required: false, schema: { type: 'string', maxLength: 64 } },
      ],
      'x-permission': 'incident.read',
      security: [{ session: [] }, { bearer: [] }],
      responses: { '200': { description: 'An event stream', content: { 'text/event-stream': {} } } },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tocsin API',
      version,
      description: 'Incident response and crisis communication for securities firms.',
    },
    components: {
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'tocsin_session',
          description: 'Console session; writes also need the X-CSRF-Token header',
        },
        bearer: { type: 'http', scheme: 'bearer', description: 'API token (tocsin tokens create)' },
      },
    },
    paths,
  };
}
