/** The OpenAPI document describes the API as it is: every route, its permission, parameters, bodies and problems. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../src/server/http/app.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

interface Operation {
  summary: string;
  'x-permission': string;
  security: unknown[];
  parameters: { name: string; in: string; required: boolean; schema: unknown }[];
  requestBody?: {
    content: Record<
      string,
      { schema: { type?: string; properties?: Record<string, unknown>; additionalProperties?: unknown } }
    >;
  };
  responses: Record<string, { description: string; content?: Record<string, unknown> }>;
}

describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: {
    openapi: string;
    info: { title: string; version: string };
    paths: Record<string, Record<string, Operation>>;
    components: { securitySchemes: Record<string, unknown> };
  };

  beforeAll(async () => {
    t = await createTestApp('sqlite');
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    doc = res.json();
  });
  afterAll(() => t.close());

  it('is an OpenAPI 3.1 document with info, security schemes and paths', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBe('Tocsin API');
    expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'session']);
    for (const [path, ops] of Object.entries(doc.paths)) {
      expect(path).toMatch(/^\/(api\/v1|ack|taxii2|auth\/oidc|scim\/v2)\//); // /ack/{token}: the acknowledge link in page messages; /taxii2/: TAXII 2.1; /auth/oidc/: the OIDC redirects; /scim/v2/: SCIM 2.0
      expect(path).not.toContain(':');
      for (const [method, op] of Object.entries(ops)) {
        expect(['get', 'post', 'put', 'patch', 'delete']).toContain(method);
        expect(op.summary.length, `${method} ${path}`).toBeGreaterThan(0);
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
        for (const r of Object.values(op.responses)) expect(r.description).toEqual(expect.any(String));
      }
    }
  });

  it('lists every route with its permission, path parameters, body and problem responses', () => {
    const routes = apiRoutes(t.s);
    for (const r of routes) {
      const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
      const op = doc.paths[path]?.[r.method.toLowerCase()];
      const what = `${r.method} ${r.url}`;
      expect(op, `${what} is missing from the OpenAPI document`).toBeDefined();
      expect(op!['x-permission'], what).toBe(r.access);
      expect(op!.security.length === 0, what).toBe(r.access === 'public');
      const pathParams = [...r.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
      expect(
        op!.parameters
          .filter((p) => p.in === 'path')
          .map((p) => p.name)
          .sort(),
        what,
      ).toEqual(pathParams.sort());
      expect(op!.parameters.filter((p) => p.in === 'path').every((p) => p.required)).toBe(true);
      const scim = r.url.startsWith('/scim/');
      if (r.body && scim) {
        // SCIM clients send attributes Tocsin does not keep (RFC 7643 extensions): ignored, not refused.
        expect(Object.keys(op!.requestBody!.content), what).toEqual(['application/scim+json']);
      } else if (r.body) {
        const schema = op!.requestBody!.content['application/json']!.schema;
        expect(schema.type, what).toBe('object');
        // Unknown fields are rejected, and the document says so.
        expect(schema.additionalProperties, what).toBe(false);
      } else if (r.raw) {
        // A body read as raw bytes: documented with each media type it accepts.
        expect(Object.keys(op!.requestBody!.content).sort(), what).toEqual(Object.keys(r.raw.content).sort());
      } else {
        expect(op!.requestBody, what).toBeUndefined();
      }
      expect(op!.responses[String(r.response?.status ?? 200)], what).toBeDefined();
      expect(Object.keys(op!.responses['403']!.content ?? {}), what).toEqual([
        scim ? 'application/scim+json' : 'application/problem+json',
      ]);
    }
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    // Only the stream is documented on top of the route table (it is not a JSON route).
    expect(documented.length).toBe(routes.length + 1);
    expect(documented).toContain('GET /api/v1/stream');
  });

  it('describes the documented interfaces other tools rely on', () => {
    const create = doc.paths['/api/v1/incidents']!.post!;
    const body = create.requestBody!.content['application/json']!.schema;
    expect(Object.keys(body.properties!)).toEqual(expect.arrayContaining(['title', 'summary', 'category', 'grade']));
    expect(create.responses['201']).toBeDefined();
    const list = doc.paths['/api/v1/incidents']!.get!;
    expect(list.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['limit', 'cursor', 'status', 'q']));
    expect(doc.paths['/api/v1/incidents/{key}']!.get).toBeDefined();
  });
});
