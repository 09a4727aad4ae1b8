/**
 * bench:status — the public status site under panic traffic (issue 11, "Stays up when panic traffic
 * arrives"). One JSON line per case on stdout, progress on stderr.
 *
 * Tocsin: a child process serving the public pages (src/site, rendered on change, from memory) of a fake
 * StatusSite whose snapshot gains an announcement update every second, announced by `status.changed`
 * on the bus, as the status module does. Load: autocannon on loopback (gzip accepted) against the home
 * page and an announcement page at 100 and 1,000 connections, BENCH_DURATION_S (default 10) seconds each.
 * Meanwhile the bench asks the page every 5 ms after each publish until it shows the new update's text:
 * `publish_to_served_*_ms`. Baseline: the same bytes (the page as rendered, and its gzip) served by
 * nginx (Debian's package; gzip_static on, one worker, a temporary config on a free port) under the
 * same load; `ratio` = Tocsin req/s / nginx req/s. Target: ratio >= 0.5 and p99 < 20 ms (goal 0.8, 10 ms);
 * a publish served within 1 s under that load.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { createLocalBus } from '../src/server/platform/bus.js';
import { createPublicSite, installPublicPages } from '../src/site/index.js';
import type { StatusSnapshot } from '../src/shared/status-site.js';
import { statusSnapshot } from '../test/helpers/status-snapshot.js';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '100,1000').split(',').map(Number);
const PAGES = { home: '/status', announcement: '/status/incidents/2026-0007' };
const NGINX = process.env.BENCH_NGINX ?? '/usr/sbin/nginx';
/** Publish period (default 1 s); 0: none, to see what the renders cost the requests. */
const PUBLISH_MS = Number(process.env.BENCH_PUBLISH_MS ?? 1000);
const log = (msg: string) => process.stderr.write(`[bench:status] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The child: the public site of a snapshot that gains an update every second, on a port it reports. */
async function runServer(): Promise<void> {
  const bus = createLocalBus();
  let snap: StatusSnapshot = statusSnapshot(Date.now());
  const site = createPublicSite({ site: { snapshot: async () => snap }, bus, prefixes: ['/status'] });
  site.start();
  await site.settled();
  const app = Fastify({ logger: false });
  await installPublicPages(app, { site, prefix: '/status' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as net.AddressInfo).port;
  let n = 0;
  process.on('message', (m: { publish?: boolean }) => {
    if (!m.publish) return;
    n += 1;
    const next = structuredClone(snap);
    const active = next.announcements[0]!;
    const at = Date.now();
    const text = `bench-update-${n}`;
    active.updates.unshift({
      id: `b${n}`,
      status: 'identified',
      body: { zh: `<p>${text}</p>`, en: `<p>${text}</p>` },
      at,
    });
    active.updatedAt = at;
    next.generatedAt = at;
    snap = next;
    // What the status module does after its commit.
    bus.publish({
      event: 'status.changed' as never,
      incidentKey: null,
      audience: { restricted: false, memberIds: [] },
    });
    process.send!({ published: n, text, at });
  });
  process.send!({ port });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** nginx with gzip_static serving `files` (path -> bytes) from a temporary root. */
async function startNginx(files: Record<string, Buffer>): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-nginx-'));
  // nginx's worker drops to `nobody` when started as root: it must be able to read the root.
  fs.chmodSync(dir, 0o755);
  for (const [p, body] of Object.entries(files)) {
    const file = path.join(dir, 'root', p, 'index.html');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, body);
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(body, { level: 9 }));
  }
  const port = await freePort();
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 8192; }
http {
  access_log off;
  default_type text/html;
  charset utf-8;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  gzip_static on;
  gzip_vary on;
  client_body_temp_path ${dir}/tmp;
  proxy_temp_path ${dir}/tmp;
  fastcgi_temp_path ${dir}/tmp;
  uwsgi_temp_path ${dir}/tmp;
  scgi_temp_path ${dir}/tmp;
  server {
    listen 127.0.0.1:${port};
    root ${dir}/root;
    location / { try_files $uri/index.html =404; }
  }
}
`,
  );
  const proc = spawn(NGINX, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-2000);
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
    const ok = await fetch(`${url}${Object.keys(files)[0]}`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 100) throw new Error(`nginx did not answer: ${stderr}`);
    await sleep(50);
  }
  return {
    url,
    async stop() {
      proc.kill('SIGQUIT');
      await new Promise((r) => proc.once('exit', r));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : Number.NaN;

function cannon(url: string, connections: number) {
  return autocannon({
    url,
    connections,
    duration: DURATION_S,
    headers: { 'accept-encoding': 'gzip', 'accept-language': 'zh-CN' },
  });
}

async function main(): Promise<void> {
  if (!fs.existsSync(NGINX)) throw new Error(`${NGINX} not found: apt-get install -y nginx-light (or set BENCH_NGINX)`);
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, BENCH_STATUS_ROLE: 'server' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve) =>
    child.on('message', (m: { port?: number }) => m.port && resolve(m.port)),
  );
  const base = `http://127.0.0.1:${port}`;
  // The same bytes for nginx: each page as Tocsin renders it now (identity; nginx gzips it once, statically).
  const files: Record<string, Buffer> = {};
  for (const p of Object.values(PAGES))
    files[p] = Buffer.from(
      await (await fetch(`${base}${p}`, { headers: { 'accept-language': 'zh-CN' } })).arrayBuffer(),
    );
  const nginx = await startNginx(files);
  log(`tocsin ${base}, nginx ${nginx.url}, ${DURATION_S} s per run`);

  try {
    for (const [name, p] of Object.entries(PAGES))
      for (const connections of CONNECTIONS) {
        // Publishing every second while Tocsin is under load; each publish polled until served.
        const delays: number[] = [];
        let missed = 0;
        const watch = (m: { text?: string; at?: number }) => {
          if (!m.text) return;
          const deadline = m.at! + 5_000;
          void (async () => {
            while (Date.now() < deadline) {
              const body = await fetch(`${base}${p}`, { headers: { 'accept-language': 'zh-CN' } })
                .then((r) => r.text())
                .catch(() => '');
              if (body.includes(m.text!)) return void delays.push(Date.now() - m.at!);
              await sleep(5);
            }
            missed += 1;
          })();
        };
        child.on('message', watch);
        const ticker = PUBLISH_MS > 0 ? setInterval(() => child.send({ publish: true }), PUBLISH_MS) : null;
        const t = await cannon(`${base}${p}`, connections);
        if (ticker) clearInterval(ticker);
        await sleep(1_200);
        child.off('message', watch);
        const n = await cannon(`${nginx.url}${p}`, connections);
        delays.sort((a, b) => a - b);
        console.log(
          JSON.stringify({
            bench: 'status',
            case: `${name}_c${connections}`,
            duration_s: DURATION_S,
            tocsin_req_per_s: Math.round(t.requests.average),
            tocsin_p50_ms: t.latency.p50,
            tocsin_p99_ms: t.latency.p99,
            tocsin_errors: t.errors + t.timeouts + t.non2xx,
            nginx_req_per_s: Math.round(n.requests.average),
            nginx_p50_ms: n.latency.p50,
            nginx_p99_ms: n.latency.p99,
            nginx_errors: n.errors + n.timeouts + n.non2xx,
            ratio: Number((t.requests.average / n.requests.average).toFixed(2)),
            publishes: delays.length + missed,
            publish_to_served_p50_ms: percentile(delays, 50),
            publish_to_served_p99_ms: percentile(delays, 99),
            publish_to_served_max_ms: delays.at(-1) ?? null,
            publish_missed: missed,
          }),
        );
      }
  } finally {
    await nginx.stop();
    child.kill('SIGTERM');
  }
}

if (process.env.BENCH_STATUS_ROLE === 'server') await runServer();
else
  await main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
