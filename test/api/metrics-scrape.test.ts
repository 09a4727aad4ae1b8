/**
 * Scraping real local HTTP servers that serve Prometheus and OpenMetrics text: samples stored with the
 * target's labels, `up` 1; failing targets (HTTP 500, nothing listening, a redirect, too large, too
 * slow, a link-local address, loopback unless allowed) are `up` 0 with their reason, visible in
 * GET /api/v1/metrics/targets; the scrape loop runs at its interval and stops. The test's endpoints
 * listen on loopback, so the scrapes here use a guard that allows it (TOCSIN_PROBE_ALLOW_LOOPBACK=true).
 * The loop's timers are Vitest's fake timers: its schedule is checked in fake time, whatever the machine's load.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { scrapeOnce, startScrapers } from '../../src/server/modules/metrics/index.js';
import { createOutboundGuard } from '../../src/server/platform/outbound-guard.js';
import { SCRAPE_MAX_BYTES } from '../../src/server/modules/metrics/scraper.js';
import type { ScrapeTargetConfig } from '../../src/server/platform/metrics-file.js';
import { systemClock } from '../../src/server/platform/ids.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { startTestServer } from '../helpers/server.js';
import { STORE_KINDS, tempDir } from '../helpers/store.js';

const PROM_TEXT = `# HELP node_load1 1m load average.
# TYPE node_load1 gauge
node_load1 0.42
# TYPE http_requests_total counter
http_requests_total{code="200",handler="/api"} 1027
http_requests_total{code="500",handler="/api"} 3
nan_gauge NaN
broken{line 1
`;
const OPENMETRICS_TEXT = `# TYPE trades counter
trades_total{venue="sse"} 17 1764300000.5
# EOF
`;

/** What the server builds from TOCSIN_PROBE_ALLOW_LOOPBACK=true. */
const loopbackAllowed = createOutboundGuard({ allowLoopback: true });

let server: http.Server;
let base: string;
let hits = 0;

/**
 * Waits for real I/O (a scrape's HTTP exchange and store writes) while fake timers hold the loop's schedule:
 * checks between turns of the event loop (setImmediate is never faked here); the deadline only ends a hung test.
 */
async function until(what: string, done: () => boolean): Promise<void> {
  const deadline = performance.now() + 15_000;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

function target(path: string, extra: Partial<ScrapeTargetConfig> = {}): ScrapeTargetConfig {
  return {
    name: path.replace(/[^a-z0-9]/g, '') || 'root',
    url: `${base}${path}`,
    interval: 1000,
    timeout: 2000,
    labels: { env: 'test' },
    ...extra,
  };
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits++;
    if (req.url === '/metrics')
      return res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(PROM_TEXT);
    if (req.url === '/openmetrics')
      return res
        .writeHead(200, { 'content-type': 'application/openmetrics-text; version=1.0.0' })
        .end(OPENMETRICS_TEXT);
    if (req.url === '/fail') return res.writeHead(500).end('boom');
    if (req.url === '/redirect') return res.writeHead(302, { location: '/metrics' }).end();
    if (req.url === '/huge') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const line = `${'x'.repeat(1000)} 1\n`;
      let sent = 0;
      const more = () => {
        while (sent < SCRAPE_MAX_BYTES + 100_000) {
          sent += line.length;
          if (!res.write(line)) return void res.once('drain', more);
        }
        res.end();
      };
      res.on('error', () => undefined);
      return more();
    }
    if (req.url === '/slow') return void setTimeout(() => res.writeHead(200).end('late 1'), 3000).unref();
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('the outbound guard', () => {
  it('refuses link-local and cloud metadata addresses, in any spelling', () => {
    const guard = createOutboundGuard();
    for (const a of [
      '169.254.169.254',
      '169.254.0.1',
      'fe80::1',
      '::ffff:169.254.169.254',
      '100.100.100.200',
      'fd00:ec2::254',
    ])
      expect(guard.refusal(a), a).not.toBeNull();
    for (const a of ['10.1.2.3', '192.168.1.10']) expect(guard.refusal(a), a).toBeNull();
  });

  it('refuses loopback by default: a scrape of 127.0.0.1 or localhost is up = 0 naming the setting, and nothing is sent', async () => {
    const t = await createTestApp('sqlite');
    try {
      const before = hits;
      for (const url of [`${base}/metrics`, `http://localhost:${new URL(base).port}/metrics`]) {
        const o = await scrapeOnce(
          { name: 'local', url, interval: 1000, timeout: 1000, labels: {} },
          t.s.metrics,
          systemClock,
        );
        expect(o, url).toMatchObject({ up: 0, samples: 0 });
        expect(o.error, url).toMatch(/loopback address: .*TOCSIN_PROBE_ALLOW_LOOPBACK=true/);
      }
      expect(hits).toBe(before);
    } finally {
      await t.close();
    }
  });
});

describe.each(STORE_KINDS)('scraping (%s)', (kind) => {
  let t: TestApp;
  let analyst: Session;

  beforeAll(async () => {
    t = await createTestApp(kind);
    analyst = await t.login('compliance');
  });
  afterAll(() => t.close());

  const series = async (name: string) => {
    const res = await t.as(analyst, { method: 'GET', url: `/api/v1/metrics/series?name=${name}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as {
      id: string;
      labels: Record<string, string>;
      lastValue: number;
      source: string;
      lastTime: string;
    }[];
  };

  it('stores every good sample of a Prometheus text endpoint with job, instance and the target labels, and up = 1', async () => {
    const tg = target('/metrics');
    const o = await scrapeOnce(tg, t.s.metrics, systemClock, loopbackAllowed);
    expect(o).toMatchObject({ up: 1, samples: 3, dropped: 2, error: null });
    const reqs = await series('http_requests_total');
    expect(reqs.map((s) => s.labels).sort((a, b) => a.code!.localeCompare(b.code!))).toEqual([
      { code: '200', handler: '/api', job: 'metrics', instance: new URL(base).host, env: 'test' },
      { code: '500', handler: '/api', job: 'metrics', instance: new URL(base).host, env: 'test' },
    ]);
    expect(reqs.find((s) => s.labels.code === '200')).toMatchObject({ lastValue: 1027, source: 'metrics' });
    expect((await series('node_load1'))[0]!.lastValue).toBe(0.42);
    const up = (await series('up')).find((s) => s.labels.job === 'metrics')!;
    expect(up.lastValue).toBe(1);
    expect((await series('scrape_samples_scraped')).find((s) => s.labels.job === 'metrics')!.lastValue).toBe(3);
  });

  it('reads OpenMetrics with its timestamps in seconds', async () => {
    await scrapeOnce(target('/openmetrics'), t.s.metrics, systemClock, loopbackAllowed);
    const [trades] = await series('trades_total');
    expect(trades).toMatchObject({ lastValue: 17, lastTime: new Date(1764300000500).toISOString() });
  });

  // Only /slow is meant to time out (its answer comes 3 s later); the others get time to spare on a busy machine.
  it.each([
    ['/fail', /HTTP 500/, 20_000],
    ['/redirect', /HTTP 302: redirects are not followed/, 20_000],
    ['/huge', /larger than/, 20_000],
    ['/slow', /timed out after 300 ms/, 300],
  ])(
    'a failing target %s is up = 0 with its reason, and nothing else from it is stored',
    async (path, reason, timeout) => {
      const tg = target(path, { timeout });
      const o = await scrapeOnce(tg, t.s.metrics, systemClock, loopbackAllowed);
      expect(o.up).toBe(0);
      expect(o.error).toMatch(reason);
      const up = (await series('up')).find((s) => s.labels.job === tg.name)!;
      expect(up.lastValue).toBe(0);
    },
  );

  it('a target where nothing listens, or at a metadata address, is up = 0 without crashing anything', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = http.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    expect(
      await scrapeOnce(
        { name: 'gone', url: `http://127.0.0.1:${closed}/metrics`, interval: 1000, timeout: 1000, labels: {} },
        t.s.metrics,
        systemClock,
        loopbackAllowed,
      ),
    ).toMatchObject({ up: 0, error: 'ECONNREFUSED' });
    const meta = await scrapeOnce(
      { name: 'meta', url: 'http://169.254.169.254/latest/meta-data/', interval: 1000, timeout: 1000, labels: {} },
      t.s.metrics,
      systemClock,
      loopbackAllowed,
    );
    expect(meta).toMatchObject({ up: 0 });
    expect(meta.error).toMatch(/refused: 169\.254\.169\.254 is in a refused range \(169\.254\.0\.0\/16: link-local/);
  });
});

describe('the scrape loop', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('scrapes each target at once, then at its interval, shows its health on GET /api/v1/metrics/targets, and stops', async () => {
    const file = `${tempDir()}/metrics.yaml`;
    fs.writeFileSync(
      file,
      `targets:
  - { name: gw, url: "${base}/metrics", interval: 1s, timeout: 1s, labels: { env: test } }
  - { name: broken, url: "${base}/fail", interval: 1s }
`,
    );
    const t = await createTestApp('sqlite', { TOCSIN_METRICS_FILE: file });
    try {
      const admin = await t.login('admin');
      const before = await t.as(admin, { method: 'GET', url: '/api/v1/metrics/targets' });
      expect(before.json().items.map((x: { name: string; up: unknown }) => [x.name, x.up])).toEqual([
        ['gw', null],
        ['broken', null],
      ]);
      // From here the loop's timers and the clock it reads (systemClock: Date.now) move only when told.
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      const t0 = Date.now();
      const at = (ms: number) => new Date(t0 + ms).toISOString();
      const lastScrapes = () => t.s.metrics.targets().map((x) => [x.name, x.lastScrape]);
      /** Both targets scraped at these times, and each has its next scrape scheduled (no request in flight). */
      const scrapedAt = (gw: number, broken: number) =>
        until(`scrapes at ${gw} and ${broken} ms`, () => {
          const [a, b] = t.s.metrics.targets();
          return a?.lastScrape === at(gw) && b?.lastScrape === at(broken) && vi.getTimerCount() === 2;
        });
      const start = hits;
      const loop = startScrapers({
        targets: t.s.config.metrics.targets,
        metrics: t.s.metrics,
        clock: systemClock,
        guard: loopbackAllowed,
      });
      // The first scrape at once; the second target 50 ms later (first scrapes are spread a little).
      await vi.advanceTimersByTimeAsync(50);
      await scrapedAt(0, 50);
      expect(hits - start).toBe(2);
      // Then every interval from the start of the previous scrape.
      await vi.advanceTimersByTimeAsync(949);
      expect(lastScrapes()).toEqual([
        ['gw', at(0)],
        ['broken', at(50)],
      ]);
      await vi.advanceTimersByTimeAsync(101);
      await scrapedAt(1000, 1050);
      expect(hits - start).toBe(4);
      await loop.stop();
      // Stopped: no scrape is scheduled any more, so none can come.
      expect(vi.getTimerCount()).toBe(0);
      vi.useRealTimers();
      const items = (await t.as(admin, { method: 'GET', url: '/api/v1/metrics/targets' })).json().items as {
        name: string;
        up: number;
        lastError: string | null;
        intervalMs: number;
      }[];
      expect(items).toEqual([
        expect.objectContaining({ name: 'gw', up: 1, lastError: null, intervalMs: 1000 }),
        expect.objectContaining({ name: 'broken', up: 0, lastError: 'HTTP 500' }),
      ]);
    } finally {
      vi.useRealTimers();
      await t.close();
    }
  });
});

describe('tocsin serve', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts the scrapers with the server and stops them with it', async () => {
    const file = `${tempDir()}/metrics.yaml`;
    fs.writeFileSync(file, `targets:\n  - { name: served, url: "${base}/metrics", interval: 1s }\n`);
    // Fake setTimeout: the scrape loop's next scrape is a timer the test can see (the server starts as usual).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const srv = await startTestServer({ env: { TOCSIN_METRICS_FILE: file, TOCSIN_PROBE_ALLOW_LOOPBACK: 'true' } });
    let stopped = false;
    try {
      const served = () => srv.running.services.metrics.targets()[0]!;
      await vi.advanceTimersByTimeAsync(0);
      await until('the first scrape', () => served().up === 1);
      expect(served()).toMatchObject({ name: 'served', up: 1, samples: 3 });
      await until('the next scrape scheduled', () => vi.getTimerCount() > 0);
      await srv.stop();
      stopped = true;
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      if (!stopped) await srv.stop();
    }
  });
});
