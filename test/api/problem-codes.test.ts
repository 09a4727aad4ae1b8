/**
 * Problem codes: every problem+json carries a stable `code` (and `params`), every field error zod's
 * issue code (or ours) with its params; every code the server can send is worded in zh-CN and English
 * in the console's catalogs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THROTTLE } from '../../src/server/modules/auth/index.js';
import { AppError, notFound } from '../../src/server/platform/errors.js';
import { FIELD_CODES, PROBLEM_CODES, isFieldCode, isProblemCode } from '../../src/shared/problem-codes.js';
import { en } from '../../src/web/i18n/en.js';
import { zhCN } from '../../src/web/i18n/zh-CN.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildUser } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

const at = (catalog: unknown, dotted: string): unknown =>
  dotted
    .split('.')
    .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), catalog);
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('problem codes in the console catalogs', () => {
  it.each([
    ['problemCode', PROBLEM_CODES],
    ['fieldCode', FIELD_CODES],
  ] as const)('words every %s in zh-CN and English, with the same placeholders', (section, codes) => {
    for (const code of codes) {
      const e = at(en, `${section}.${code}`);
      const z = at(zhCN, `${section}.${code}`);
      expect(typeof e === 'string' && e.length > 0, `en ${section}.${code}`).toBe(true);
      expect(typeof z === 'string' && /\p{Script=Han}/u.test(z), `zh-CN ${section}.${code} is Chinese`).toBe(true);
      expect(placeholders(z as string), `${section}.${code} placeholders`).toEqual(placeholders(e as string));
    }
  });

  it('gives an error without a code of its own the generic code of its type', () => {
    expect(new AppError(413, 'too-large', 'Payload too large', 'send smaller batches').code).toBe('too_large');
    expect(new AppError(400, 'malformed-body', 'Malformed body').code).toBe('malformed_body');
    expect(new AppError(418, 'teapot', 'I am a teapot').code).toBe('bad_request');
    expect(new AppError(503, 'somewhere-else', 'Down').code).toBe('internal');
    expect(notFound('incident X', { code: 'incident.not_found', params: { key: 'X' } })).toMatchObject({
      status: 404,
      type: 'not-found',
      code: 'incident.not_found',
      params: { key: 'X' },
    });
  });

  it('knows every code the server source names', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, d.name);
        if (d.isDirectory()) walk(p);
        else if (/\.ts$/.test(d.name) && !/\.test\.ts$/.test(d.name)) files.push(p);
      }
    };
    walk(path.resolve('src/server'));
    const found = new Set<string>();
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      // Codes handed to AppError, the helpers and field errors: `code: '...'` in an object literal.
      for (const m of text.matchAll(/\bcode: '([a-z_.]+)'/g)) found.add(m[1]!);
    }
    expect(found.size).toBeGreaterThan(40);
    const unknown = [...found].filter((c) => !isProblemCode(c) && !isFieldCode(c));
    expect(unknown).toEqual([]);
  });
});

describe.each(STORE_KINDS)('problem codes over HTTP (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let ic: Session;
  let executive: Session;

  beforeAll(async () => {
    t = await createTestApp(
      kind,
      {},
      { throttle: { ...DEFAULT_THROTTLE, freeFailures: 1, baseDelayMs: 60_000, maxPerAddress: 1000 } },
    );
    admin = await t.login('admin');
    ic = await t.login('incident_commander');
    executive = await t.login('executive');
  });
  afterAll(() => t.close());

  const codeOf = (res: Parameters<typeof expectProblem>[0], status: number) => {
    const p = expectProblem(res, status) as ReturnType<typeof expectProblem> & {
      code: string;
      params?: Record<string, unknown>;
    };
    expect(isProblemCode(p.code), `${p.code} is a known code`).toBe(true);
    return p;
  };

  it("gives field errors zod's issue code and params, and unknown fields their name", async () => {
    const res = await t.as(ic, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: '', category: 'weather', grade: 'IV', severity: 9, tags: ['x'.repeat(65)], colour: 'red' },
    });
    const p = codeOf(res, 400);
    expect(p.code).toBe('validation');
    const byPath = Object.fromEntries((p.errors ?? []).map((e) => [e.path, e]));
    expect(byPath['body.title']).toMatchObject({ code: 'too_small', params: { minimum: 1, origin: 'string' } });
    expect(byPath['body.category']).toMatchObject({
      code: 'invalid_value',
      params: { values: expect.stringContaining('network_attack') },
    });
    expect(byPath['body.severity']).toMatchObject({ code: 'too_big', params: { maximum: 5, origin: 'number' } });
    expect(byPath['body.tags.0']).toMatchObject({ code: 'too_big', params: { maximum: 64, origin: 'string' } });
    expect(byPath['body.colour']).toMatchObject({ code: 'unrecognized_keys', params: { key: 'colour' } });
  });

  it('names what was not allowed on incidents: transitions, visibility, permissions, stale versions', async () => {
    const created = await t.as(ic, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Gateway down', category: 'equipment_failure', grade: 'III' },
    });
    const key = created.json().key as string;
    const tr = codeOf(
      await t.as(ic, { method: 'POST', url: `/api/v1/incidents/${key}/transitions`, payload: { to: 'closed' } }),
      409,
    );
    expect(tr).toMatchObject({ code: 'incident.transition_not_allowed', params: { from: 'detected', to: 'closed' } });
    expect(codeOf(await t.as(ic, { method: 'GET', url: '/api/v1/incidents/INC-1999-0001' }), 404)).toMatchObject({
      code: 'incident.not_found',
      params: { key: 'INC-1999-0001' },
    });
    expect(
      codeOf(
        await t.as(executive, {
          method: 'POST',
          url: '/api/v1/incidents',
          payload: { title: 'x', category: 'other', grade: 'IV' },
        }),
        403,
      ),
    ).toMatchObject({
      code: 'permission.denied',
      params: { role: 'executive', permission: 'incident.create' },
    });
    expect(
      codeOf(
        await t.as(ic, {
          method: 'PATCH',
          url: `/api/v1/incidents/${key}`,
          payload: { title: 'Gateway down hard', version: 99 },
        }),
        409,
      ),
    ).toMatchObject({
      code: 'incident.version_conflict',
      params: { key, seen: 99, current: 1 },
    });
    const unknown = codeOf(
      await t.as(ic, {
        method: 'POST',
        url: '/api/v1/incidents',
        payload: { title: 'x', category: 'other', grade: 'IV', services: ['nowhere'] },
      }),
      422,
    );
    expect(unknown).toMatchObject({
      code: 'service.unknown',
      params: { services: 'nowhere' },
      errors: [{ path: 'services', code: 'unknown_service', params: { key: 'nowhere' } }],
    });
    expect(
      codeOf(
        await t.as(ic, { method: 'PATCH', url: `/api/v1/incidents/${key}/tasks/nope`, payload: { status: 'done' } }),
        404,
      ),
    ).toMatchObject({ code: 'task.not_found' });
  });

  it('names what was not found or not accepted on alerts, suppressions, probes, rules and users', async () => {
    expect(codeOf(await t.as(admin, { method: 'GET', url: '/api/v1/alerts/nope' }), 404)).toMatchObject({
      code: 'alert.not_found',
      params: { id: 'nope' },
    });
    const sup = codeOf(
      await t.as(admin, { method: 'POST', url: '/api/v1/suppressions', payload: { reason: 'noise' } }),
      422,
    );
    expect(sup).toMatchObject({
      code: 'suppression.needs_scope',
      errors: [
        { path: 'ruleId', code: 'needs_scope' },
        { path: 'entity', code: 'needs_scope' },
      ],
    });
    const ip = codeOf(
      await t.as(admin, {
        method: 'POST',
        url: '/api/v1/suppressions',
        payload: { reason: 'noise', entity: { kind: 'ip', value: '999.1.1.1' } },
      }),
      422,
    );
    expect(ip).toMatchObject({ code: 'entity.invalid_ip', params: { value: '999.1.1.1' } });
    expect(codeOf(await t.as(admin, { method: 'GET', url: '/api/v1/rules/nope' }), 404)).toMatchObject({
      code: 'rule.not_found',
      params: { id: 'nope' },
    });
    expect(codeOf(await t.as(admin, { method: 'GET', url: '/api/v1/users/nope' }), 404)).toMatchObject({
      code: 'user.not_found',
    });
    expect(codeOf(await t.as(admin, { method: 'GET', url: '/api/v1/nowhere' }), 404)).toMatchObject({
      code: 'not_found',
    });
  });

  it('names sign-in failures: wrong password (401), then the wait (429) in seconds', async () => {
    const { email } = await buildUser(t.s);
    const wrong = () => t.signIn(email, 'not-the-password');
    expect(codeOf(await wrong(), 401)).toMatchObject({ code: 'auth.bad_credentials' });
    let res = await wrong();
    for (let i = 0; i < 3 && res.statusCode === 401; i++) res = await wrong();
    const p = codeOf(res, 429);
    expect(p).toMatchObject({ code: 'auth.throttled', params: { seconds: expect.any(Number) } });
    expect(p.params!.seconds).toBeGreaterThan(0);
    expect(p.params!.seconds).toBeLessThanOrEqual(60);
  });

  it('gives transport failures generic codes', async () => {
    expect(
      codeOf(
        await t.as(ic, {
          method: 'POST',
          url: '/api/v1/incidents',
          headers: { 'content-type': 'application/json' },
          payload: '{"title": ',
        }),
        400,
      ),
    ).toMatchObject({ code: 'malformed_json' });
    expect(
      codeOf(
        await t.as(ic, {
          method: 'POST',
          url: '/api/v1/incidents',
          headers: { 'content-type': 'application/xml' },
          payload: '<x/>',
        }),
        415,
      ),
    ).toMatchObject({ code: 'unsupported_media_type' });
  });
});
