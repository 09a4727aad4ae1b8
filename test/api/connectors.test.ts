/**
 * Connectors over the API: kinds as JSON Schema, create/update with 422 naming the fields, secrets
 * sealed and never returned (nor in the audit log or the store in clear), "test connection" against
 * the sandbox stand-ins, and the allowed hosts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../src/server/sandbox/index.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

const API_KEY = 'tr-api-key-7f3c9a51d2';

describe.each(STORE_KINDS)('connectors (%s)', (kind) => {
  let t: TestApp;
  let sandbox: RunningSandbox;
  let admin: Session;
  let responder: Session;

  beforeAll(async () => {
    sandbox = await startSandbox();
    t = await createTestApp(kind);
    admin = await t.login('admin');
    responder = await t.login('responder');
  });
  afterAll(async () => {
    await t.close();
    await sandbox.stop();
  });

  const create = (body: Record<string, unknown>, as = admin) =>
    t.as(as, { method: 'POST', url: '/api/v1/connectors', payload: body });

  it('lists the built-in kinds with JSON Schemas of their configuration and secrets', async () => {
    const res = await t.as(responder, { method: 'GET', url: '/api/v1/connector-kinds' });
    expect(res.statusCode).toBe(200);
    const kinds = res.json().items as {
      kind: string;
      config: { properties: Record<string, unknown> };
      actions: { name: string; rollback: boolean }[];
    }[];
    expect(kinds.map((k) => k.kind)).toEqual(
      expect.arrayContaining(['http', 'command', 'trading-core', 'edr', 'firewall']),
    );
    const firewall = kinds.find((k) => k.kind === 'firewall')!;
    expect(Object.keys(firewall.config.properties)).toContain('baseUrl');
    expect(firewall.actions).toEqual([{ name: 'block_ip', rollback: true, parameters: expect.any(Object) }]);
  });

  it('creates a connector, seals its secrets and never returns them', async () => {
    const res = await create({
      name: 'trading-core',
      kind: 'trading-core',
      config: { baseUrl: `${sandbox.urls.trading}/` },
      secrets: { apiKey: API_KEY },
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({
      name: 'trading-core',
      kind: 'trading-core',
      purpose: 'action',
      config: { baseUrl: sandbox.urls.trading, timeoutMs: 10000, maxAttempts: 4 },
      secretsSet: ['apiKey'],
      allowedHosts: ['127.0.0.1'],
      enabled: true,
    });
    expect(res.body).not.toContain(API_KEY);
    for (const url of ['/api/v1/connectors', '/api/v1/connectors/trading-core']) {
      const got = await t.as(responder, { method: 'GET', url });
      expect(got.statusCode).toBe(200);
      expect(got.body).not.toContain(API_KEY);
    }
    // Not in clear anywhere in the store (the connector row, the audit log).
    const rows = await t.s.store.db.selectFrom('connectors').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(API_KEY);
    expect(rows[0]!.secrets).toMatch(/^v1\./);
    const audit = await t.s.store.db.selectFrom('audit_log').selectAll().execute();
    expect(JSON.stringify(audit)).not.toContain(API_KEY);
    expect(JSON.stringify(audit)).toContain('connector.create');
  });

  it('refuses an invalid configuration with 422 naming each field', async () => {
    const res = await create({
      name: 'bad-fw',
      kind: 'firewall',
      config: { baseUrl: 'ftp://x', timeoutMs: 5, extra: 1 },
    });
    const p = expectProblem(res, 422);
    expect(p.errors!.map((e) => e.path)).toEqual(
      expect.arrayContaining(['config.baseUrl', 'config.timeoutMs', 'config.extra']),
    );
    expectProblem(await create({ name: 'x1', kind: 'nope', config: {} }), 422);
    expectProblem(await create({ name: 'trading-core', kind: 'edr', config: { baseUrl: sandbox.urls.edr } }), 409);
    expectProblem(
      await create({ name: 'fw2', kind: 'firewall', config: { baseUrl: sandbox.urls.firewall } }, responder),
      403,
    );
  });

  it('keeps a secret left out of an update, replaces one given, removes one set to null', async () => {
    const up = await t.as(admin, {
      method: 'PATCH',
      url: '/api/v1/connectors/trading-core',
      payload: { config: { timeoutMs: 2000 } },
    });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json()).toMatchObject({ config: { timeoutMs: 2000 }, secretsSet: ['apiKey'] });
    expect((await t.s.connectors.context('trading-core')).secrets).toEqual({ apiKey: API_KEY });
    await t.as(admin, {
      method: 'PATCH',
      url: '/api/v1/connectors/trading-core',
      payload: { secrets: { apiKey: 'other-key-123' } },
    });
    expect((await t.s.connectors.context('trading-core')).secrets).toEqual({ apiKey: 'other-key-123' });
    const cleared = await t.as(admin, {
      method: 'PATCH',
      url: '/api/v1/connectors/trading-core',
      payload: { secrets: { apiKey: null } },
    });
    expect(cleared.json().secretsSet).toEqual([]);
    await t.as(admin, {
      method: 'PATCH',
      url: '/api/v1/connectors/trading-core',
      payload: { secrets: { apiKey: API_KEY } },
    });
  });

  it('tests the connection against the stand-in and audits the result', async () => {
    const res = await t.as(admin, { method: 'POST', url: '/api/v1/connectors/trading-core/test' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, detail: expect.stringContaining('account "test"') });
    const seen = sandbox.standIns.find((s) => s.name === 'trading')!.requests.at(-1)!;
    expect(seen).toMatchObject({ method: 'GET', path: '/accounts/test/sessions' });
    expect(seen.headers['x-api-key']).toBe('[redacted]'); // it was sent
    expectProblem(await t.as(admin, { method: 'POST', url: '/api/v1/connectors/nope/test' }), 404);
  });

  it('refuses hosts outside the allowed hosts, and loopback unless named', async () => {
    const port = new URL(sandbox.urls.firewall).port;
    const made = await create({
      name: 'fw-elsewhere',
      kind: 'firewall',
      config: { baseUrl: `http://localhost:${port}` },
      allowedHosts: ['firewall.example'],
    });
    expect(made.statusCode, made.body).toBe(201);
    const res = (await t.as(admin, { method: 'POST', url: '/api/v1/connectors/fw-elsewhere/test' })).json();
    expect(res.ok).toBe(false);
    expect(res.detail).toMatch(/not among the allowed hosts/);
    // Named by name but not as loopback: localhost resolves to loopback, refused unless allowed.
    await t.as(admin, {
      method: 'PATCH',
      url: '/api/v1/connectors/fw-elsewhere',
      payload: { allowedHosts: ['localhost'] },
    });
    expect((await t.as(admin, { method: 'POST', url: '/api/v1/connectors/fw-elsewhere/test' })).json().ok).toBe(true);
    const meta = await create({ name: 'fw-meta', kind: 'firewall', config: { baseUrl: 'http://169.254.169.254' } });
    const r = (await t.as(admin, { method: 'POST', url: '/api/v1/connectors/fw-meta/test' })).json();
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/refused range/);
    expect(meta.json().allowedHosts).toEqual(['169.254.169.254']);
  });

  it('removes a connector (admins only)', async () => {
    expectProblem(await t.as(responder, { method: 'DELETE', url: '/api/v1/connectors/fw-meta' }), 403);
    expect((await t.as(admin, { method: 'DELETE', url: '/api/v1/connectors/fw-meta' })).statusCode).toBe(204);
    expectProblem(await t.as(admin, { method: 'GET', url: '/api/v1/connectors/fw-meta' }), 404);
  });
});
