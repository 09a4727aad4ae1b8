/**
 * The public status site on the main listener (under /status, no session needed, its own CSP) and on
 * TOCSIN_PUBLIC_PORT (the public pages at / and /healthz, nothing of the API or console), each with the
 * public routes other modules install (subscriptions).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, type Services } from '../../src/server/compose.js';
import { buildApp } from '../../src/server/http/app.js';
import type { PublicRoutesInstaller } from '../../src/site/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { testConfig } from '../helpers/store.js';

const SITE_CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'";

/** An installer beside the real ones (subscriptions): a POST under the prefix, to see where it is mounted. */
const fakeSubscriptions: PublicRoutesInstaller = (app, { prefix }) => {
  app.post(`${prefix}/installer-check`, async (_req, reply) => reply.code(202).send({ prefix }));
};

describe('public status site on the main listener', () => {
  let s: Services;
  let drop: () => Promise<void>;
  let app: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    const t = testConfig('sqlite', {}, { migrated: true });
    drop = t.drop;
    s = await compose(t.config);
    s.publicRoutes.push(fakeSubscriptions);
    app = await buildApp(s);
  });
  afterAll(async () => {
    await app?.close();
    await s?.close();
    await drop?.();
  });

  it('serves /status to anyone, without a session, with the site CSP', async () => {
    const res = await app.inject({ method: 'GET', url: '/status' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('所有系统运行正常');
    expect(res.headers['content-security-policy']).toBe(SITE_CSP);
    expect(res.headers['set-cookie']).toBeUndefined();
    const en = await app.inject({ method: 'GET', url: '/status/history', headers: { 'accept-language': 'en' } });
    expect(en.body).toContain('No incidents in the last 90 days.');
    // A stale session cookie changes nothing: the pages never read it.
    const cookie = await app.inject({ method: 'GET', url: '/status', headers: { cookie: 'tocsin_session=nope' } });
    expect(cookie.statusCode).toBe(200);
  });

  it('answers the Statuspage-compatible API cross-origin and mounts the installers under /status', async () => {
    const summary = await app.inject({ method: 'GET', url: '/status/api/v2/summary.json' });
    expect(summary.headers['access-control-allow-origin']).toBe('*');
    expect(summary.json()).toMatchObject({
      status: { indicator: 'none' },
      components: [],
      incidents: [],
      scheduled_maintenances: [],
    });
    expect(summary.json().page.url).toMatch(/\/status$/);
    const sub = await app.inject({ method: 'POST', url: '/status/installer-check', payload: {} });
    expect(sub.statusCode).toBe(202);
    expect(sub.json()).toEqual({ prefix: '/status' });
  });
});

describe('public status site on TOCSIN_PUBLIC_PORT', () => {
  let server: TestServer;
  let pub = '';
  beforeAll(async () => {
    server = await startTestServer({
      env: { TOCSIN_PUBLIC_PORT: '0' },
      serve: { prepare: (services) => void services.publicRoutes.push(fakeSubscriptions) },
    });
    pub = server.running.publicApp!.url;
  });
  afterAll(() => server?.stop());

  it('serves the public pages at / and /healthz, and nothing of the API or the console', async () => {
    const home = await fetch(`${pub}/?lang=en`, { headers: { 'accept-encoding': 'br' } });
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('All systems operational');
    expect(html).toContain('href="/history?lang=en"');
    expect(html).not.toContain('/status/');
    expect((await fetch(`${pub}/healthz`)).status).toBe(200);
    expect((await fetch(`${pub}/api/v2/status.json`)).status).toBe(200);
    for (const path of ['/api/v1/health', '/api/v1/incidents', '/api/v1/openapi.json', '/status', '/metrics'])
      expect((await fetch(`${pub}${path}`)).status, path).toBe(404);
    expect((await fetch(`${pub}/api/v1/session`, { method: 'POST', body: '{}' })).status).toBe(404);
    const sub = await fetch(`${pub}/installer-check`, { method: 'POST' });
    expect(sub.status).toBe(202);
    expect(await sub.json()).toEqual({ prefix: '' });
    // The main listener still has both.
    expect((await fetch(`${server.url}/status`)).status).toBe(200);
    expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);
  });
});
