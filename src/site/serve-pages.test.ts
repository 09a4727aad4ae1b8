/** The public pages served from memory: languages, ETag/304, encodings, headers, re-render on change. */
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { siteHarness, type SiteHarness } from '../../test/helpers/public-site.js';

let h: SiteHarness;
beforeEach(async () => {
  h = await siteHarness();
});
afterEach(() => h.close());

const get = (url: string, headers: Record<string, string> = {}) => h.app.inject({ method: 'GET', url, headers });

describe('public status pages', () => {
  it('serves the home page in Chinese by default and in English by ?lang=en or Accept-Language', async () => {
    const zh = await get('/status');
    expect(zh.statusCode).toBe(200);
    expect(zh.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(zh.body).toContain('<html lang="zh-CN">');
    expect(zh.body).toContain('部分服务性能下降');
    expect(zh.body).toContain('部分客户登录移动证券 App 缓慢');
    expect(zh.body).toContain('辟谣 / 事实核查');
    expect(zh.body).toContain('href="/status?lang=en">English</a>');
    const en = await get('/status?lang=en');
    expect(en.body).toContain('Degraded performance');
    expect(en.body).toContain('Slow sign-in to the mobile trading app');
    const accept = await get('/status/', { 'accept-language': 'en-US,en;q=0.9,zh-CN;q=0.5' });
    expect(accept.body).toContain('<html lang="en">');
    expect((await get('/status', { 'accept-language': 'fr, zh-TW;q=0.8, en;q=0.5' })).body).toContain('lang="zh-CN"');
  });

  it('links every page to the compensation portal, under the mount, in the visitor language', async () => {
    const zh = await get('/status/history');
    expect(zh.body).toContain('<a href="/status/compensation?lang=zh-CN">补偿方案</a>');
    const en = await get('/status/incidents/2026-0005?lang=en');
    expect(en.body).toContain('<a href="/status/compensation?lang=en">Compensation</a>');
    // On TOCSIN_PUBLIC_PORT the site (and the portal) sit at the root.
    const root = await siteHarness('');
    try {
      const page = await root.app.inject({ method: 'GET', url: '/?lang=en' });
      expect(page.body).toContain('<a href="/compensation?lang=en">Compensation</a>');
      expect((await root.app.inject({ method: 'GET', url: '/' })).body).toContain(
        '<a href="/compensation?lang=zh-CN">补偿方案</a>',
      );
    } finally {
      await root.close();
    }
  });

  it('announces Atom, RSS and JSON Feed on every page and shows the structured facts', async () => {
    const page = await get('/status/incidents/2026-0005?lang=en');
    expect(page.statusCode).toBe(200);
    for (const type of ['application/atom+xml', 'application/rss+xml', 'application/feed+json'])
      expect(page.body).toMatch(
        new RegExp(`<link rel="alternate" type="${type.replace('+', '\\+')}"[^>]+href="/status/feed\\.`),
      );
    for (const label of [
      'What happened',
      'Started',
      'Detected',
      'Resolved',
      'Cause',
      'Impact scope',
      'Measures taken',
      'What customers should do',
    ])
      expect(page.body).toContain(`<dt>${label}</dt>`);
    expect(page.body).toContain('Investigation results');
    expect(page.body).toContain('Root cause: a failed switch at the vendor.');
    expect(page.body).toContain('Were orders placed during the delay valid?');
    expect(page.body).toContain('2026-11-23 14:10'); // the first update, in Shanghai time
    const service = await get('/status/services/market-data?lang=en');
    expect(service.body).toContain('href="/status/services/market-data/feed.atom?lang=en"');
    expect(service.body).toContain('Delayed market data');
    const maint = await get('/status/maintenance/m1');
    expect(maint.body).toContain('融资融券系统升级');
  });

  it('answers 304 to a matching If-None-Match and sends brotli or gzip as accepted', async () => {
    const br = await get('/status', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toContain('部分服务性能下降');
    const gz = await get('/status', { 'accept-encoding': 'gzip, br;q=0' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.rawPayload).toString()).toContain('部分服务性能下降');
    const plain = await get('/status');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(br.headers.etag).not.toBe(plain.headers.etag);
    const again = await get('/status', { 'if-none-match': br.headers.etag as string, 'accept-encoding': 'br' });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(br.headers.etag);
    // The English page is another representation: its ETag does not match.
    expect((await get('/status?lang=en', { 'if-none-match': plain.headers.etag as string })).statusCode).toBe(200);
  });

  it('sends cache, vary and security headers, with a CSP that allows no script', async () => {
    const res = await get('/status');
    expect(res.headers['cache-control']).toBe('public, max-age=15, stale-while-revalidate=30');
    expect(res.headers.vary).toBe('Accept-Encoding, Accept-Language');
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'",
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).not.toMatch(/<script|style="/i);
    const css = await get('/status/site.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.body).toContain('PingFang SC');
  });

  it('renders again when the status changes, and serves the new text', async () => {
    const before = await get('/status/incidents/2026-0007?lang=en');
    h.snap = structuredClone(h.snap);
    h.snap.announcements[0]!.updates.unshift({
      id: 'u3',
      status: 'monitoring',
      body: { zh: '<p>已恢复，持续观察。</p>', en: '<p>Recovered; we keep watching.</p>' },
      at: h.snap.generatedAt + 60_000,
    });
    await h.changed();
    const after = await get('/status/incidents/2026-0007?lang=en', { 'if-none-match': before.headers.etag as string });
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('Recovered; we keep watching.');
  });

  it('pages the history and answers unknown pages with a 404 page in the visitor language', async () => {
    h.snap = structuredClone(h.snap);
    const base = h.snap.announcements[1]!;
    for (let i = 0; i < 25; i++)
      h.snap.announcements.push({
        ...base,
        id: `old-${i}`,
        slug: `2025-${1000 + i}`,
        startedAt: base.startedAt! - (i + 1) * 86_400_000,
      });
    await h.changed();
    const p1 = await get('/status/history?lang=en');
    expect(p1.body).toContain('Page 1 of 2');
    expect(p1.body).toContain('href="/status/history?page=2&amp;lang=en"');
    const p2 = await get('/status/history?page=2&lang=en');
    expect(p2.body).toContain('Page 2 of 2');
    expect(p2.body).toContain('/status/incidents/2025-1024');
    const missing = await get('/status/incidents/nope?lang=en');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('Page not found');
  });

  it('serves the badge, the banner script and the JSON API cross-origin', async () => {
    const badge = await get('/status/badge.svg?lang=en');
    expect(badge.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(badge.headers['access-control-allow-origin']).toBe('*');
    expect(badge.body).toContain('Degraded performance');
    expect((await get('/status/badge.svg')).body).toContain('服务状态');
    const banner = await get('/status/banner.js');
    expect(banner.headers['access-control-allow-origin']).toBe('*');
    expect(banner.body).toContain('/api/v2/status.json');
    expect(banner.body).not.toContain('innerHTML');
    const status = await get('/status/api/v2/status.json?lang=en');
    expect(status.headers['access-control-allow-origin']).toBe('*');
    expect(status.json()).toEqual({
      page: {
        id: 'tocsin',
        name: 'Example Securities',
        url: 'https://status.example.com',
        time_zone: 'Asia/Shanghai',
        updated_at: '2026-12-03T05:30:00.000Z',
      },
      status: { indicator: 'minor', description: 'Degraded performance' },
    });
  });
});
