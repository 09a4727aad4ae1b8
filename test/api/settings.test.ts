/**
 * GET /api/v1/settings: the effective configuration for administrators and auditors — every TOCSIN_*
 * variable the server validates, with the value in use and its source — and never a secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/platform/config.js';
import type { Setting } from '../../src/shared/settings-schemas.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildToken } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

const ADMIN_PASSWORD = 'Very-Secret-Admin-Pass-42';

describe.each(STORE_KINDS)('settings (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  beforeAll(async () => {
    t = await createTestApp(kind, {
      TOCSIN_ADMIN_EMAIL: 'root@test.example',
      TOCSIN_ADMIN_PASSWORD: ADMIN_PASSWORD,
      TOCSIN_SESSION_TTL_HOURS: '8',
      TOCSIN_PROBE_ALLOW_LOOPBACK: 'true',
    });
    admin = await t.login('admin');
  });
  afterAll(() => t.close());

  const get = (s: Session | null, headers: Record<string, string> = {}) =>
    t.as(s, { method: 'GET', url: '/api/v1/settings', headers });

  it('lists every TOCSIN_* setting with the value in use and whether it came from the environment or the default', async () => {
    const res = await get(admin);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as Setting[];
    const by = new Map(items.map((s) => [s.name, s]));
    expect(items.length).toBeGreaterThanOrEqual(30);
    for (const s of items) expect(s.name).toMatch(/^TOCSIN_[A-Z0-9_]+$/);
    expect(by.get('TOCSIN_SESSION_TTL_HOURS')).toEqual({
      name: 'TOCSIN_SESSION_TTL_HOURS',
      value: '8',
      source: 'env',
      secret: false,
      set: true,
    });
    expect(by.get('TOCSIN_BODY_LIMIT_BYTES')).toEqual({
      name: 'TOCSIN_BODY_LIMIT_BYTES',
      value: '1048576',
      source: 'default',
      secret: false,
      set: true,
    });
    expect(by.get('TOCSIN_PROBE_ALLOW_LOOPBACK')).toMatchObject({ value: 'true', source: 'env' });
    expect(by.get('TOCSIN_SYSLOG_PORT')).toMatchObject({ value: null, source: 'default', set: false });
    expect(by.get('TOCSIN_PUBLIC_URL')).toMatchObject({
      value: expect.stringMatching(/^http:\/\/127\.0\.0\.1:0$/),
      source: 'default',
    });
    expect(by.get('TOCSIN_RULES_DIRS')).toMatchObject({ value: 'rules/tocsin (bundled)', source: 'default' });
    expect(res.json().version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('never shows a secret: the admin password is "set", and its value is nowhere in the answer', async () => {
    const res = await get(admin);
    expect(res.body).not.toContain(ADMIN_PASSWORD);
    const pw = (res.json().items as Setting[]).find((s) => s.name === 'TOCSIN_ADMIN_PASSWORD');
    expect(pw).toEqual({ name: 'TOCSIN_ADMIN_PASSWORD', value: null, source: 'env', secret: true, set: true });
  });

  it('admins and auditors may read it; other roles get 403, no session 401; a token needs the admin scope', async () => {
    expect((await get(await t.login('auditor'))).statusCode).toBe(200);
    for (const role of ['incident_commander', 'responder', 'executive', 'compliance'] as const)
      expectProblem(await get(await t.login(role)), 403);
    expectProblem(await get(null), 401);
    const read = await buildToken(t.s, admin.userId, { scopes: ['read'] });
    expectProblem(await get(null, { authorization: `Bearer ${read.token}` }), 403);
    const full = await buildToken(t.s, admin.userId, { scopes: ['admin'] });
    expect((await get(null, { authorization: `Bearer ${full.token}` })).statusCode).toBe(200);
  });
});

describe('secrets in the configuration', () => {
  it('a database URL keeps its host and database but not its password or secret parameters', () => {
    const c = loadConfig({
      TOCSIN_DATABASE_URL: 'postgres://tocsin:s3cr3t-Pw@db.internal:5432/tocsin?schema=prod&sslpassword=k3y-pass',
      TOCSIN_ADMIN_PASSWORD: 'another-long-secret',
    });
    const db = c.settings.find((s) => s.name === 'TOCSIN_DATABASE_URL')!;
    expect(db).toMatchObject({ source: 'env', secret: false });
    expect(db.value).toBe('postgres://tocsin:***@db.internal:5432/tocsin?schema=prod&sslpassword=***');
    const all = JSON.stringify(c.settings);
    for (const secret of ['s3cr3t-Pw', 'k3y-pass', 'another-long-secret']) expect(all).not.toContain(secret);
    expect(c.settings.find((s) => s.name === 'TOCSIN_ADMIN_EMAIL')).toMatchObject({
      value: null,
      set: false,
      source: 'default',
    });
  });
});
