/**
 * What a browser gets besides the API: the Content-Security-Policy asks to upgrade requests to https
 * only when Tocsin is reached over https (on plain http it would turn every asset into a failed https
 * load: a blank page under any host name but localhost), and source maps are neither built nor served.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, type Services } from '../../src/server/compose.js';
import { buildApp } from '../../src/server/http/app.js';
import { createTestApp } from '../helpers/app.js';
import { testConfig, tempDir } from '../helpers/store.js';

const csp = (h: Record<string, unknown>) => String(h['content-security-policy'] ?? '');

describe('Content-Security-Policy and HSTS follow TOCSIN_PUBLIC_URL', () => {
  it('plain http (the default, or an http:// public URL on any host): no upgrade-insecure-requests, no HSTS', async () => {
    for (const env of [{}, { TOCSIN_PUBLIC_URL: 'http://tocsin-trial.test:8080' }] as Record<string, string>[]) {
      const t = await createTestApp('sqlite', env);
      try {
        const res = await t.app.inject({ method: 'GET', url: '/api/v1/health' });
        expect(res.statusCode).toBe(200);
        expect(csp(res.headers)).toContain("default-src 'self'");
        expect(csp(res.headers)).toContain("frame-ancestors 'none'");
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(csp(res.headers), JSON.stringify(env)).not.toContain('upgrade-insecure-requests');
        expect(res.headers['strict-transport-security']).toBeUndefined();
      } finally {
        await t.close();
      }
    }
  });

  it('https: upgrade-insecure-requests and HSTS', async () => {
    const t = await createTestApp('sqlite', { TOCSIN_PUBLIC_URL: 'https://tocsin.example.com' });
    try {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/health' });
      expect(csp(res.headers)).toContain('upgrade-insecure-requests');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    } finally {
      await t.close();
    }
  });
});

describe('source maps', () => {
  const built = path.resolve('dist/web');

  it('the production build of the console has none', () => {
    expect(fs.existsSync(path.join(built, 'index.html')), 'build the console first: node scripts/build.mjs').toBe(true);
    const all = fs.readdirSync(built, { recursive: true }).map(String);
    expect(all.filter((f) => f.endsWith('.js')).length).toBeGreaterThan(0);
    expect(all.filter((f) => f.endsWith('.map'))).toEqual([]);
    for (const f of all.filter((x) => x.endsWith('.js')))
      expect(fs.readFileSync(path.join(built, f), 'utf8'), f).not.toMatch(/sourceMappingURL=/);
  });

  describe('a web folder that still holds one (an old build)', () => {
    let s: Services;
    let app: Awaited<ReturnType<typeof buildApp>>;
    let drop: () => Promise<void>;
    const web = tempDir('tocsin-web-');
    beforeAll(async () => {
      fs.mkdirSync(path.join(web, 'assets'));
      fs.writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>Tocsin</title>');
      fs.writeFileSync(
        path.join(web, 'assets', 'index-abc.js'),
        'console.log(1)\n//# sourceMappingURL=index-abc.js.map',
      );
      fs.writeFileSync(path.join(web, 'assets', 'index-abc.js.map'), '{"version":3,"sources":["secret.tsx"]}');
      const c = testConfig('sqlite');
      drop = c.drop;
      s = await compose(c.config);
      app = await buildApp(s, { webDir: web });
    });
    afterAll(async () => {
      await app.close();
      await s.close();
      await drop();
      fs.rmSync(web, { recursive: true, force: true });
    });

    it('serves the assets and the console routes, but a .map is 404 (not the console page)', async () => {
      expect((await app.inject({ method: 'GET', url: '/assets/index-abc.js' })).statusCode).toBe(200);
      for (const url of ['/assets/index-abc.js.map', '/assets/index-abc.js.MAP', '/assets/index-abc.js.map?x=1']) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(404);
        expect(res.body, url).not.toContain('secret.tsx');
        expect(res.headers['content-type'], url).toMatch(/problem\+json/);
      }
      expect((await app.inject({ method: 'GET', url: '/assets/gone-123.js' })).statusCode).toBe(404);
      const page = await app.inject({ method: 'GET', url: '/incidents/INC-2026-0001' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<title>Tocsin</title>');
    });
  });
});
