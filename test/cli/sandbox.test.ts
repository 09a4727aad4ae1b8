/** `tocsin sandbox` as a user runs it: the built CLI in a child process, its URLs answering, a clean stop. */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { beforeAll, expect, test } from 'vitest';
import { buildOnce, childEnv, CLI, ROOT, tocsin } from './harness.js';

beforeAll(() => buildOnce(), 180_000);

interface Running {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** Starts `tocsin sandbox ARGS` and waits until its output matches `ready`. */
async function startSandboxCli(args: string[], ready: RegExp): Promise<Running> {
  const child = spawn(process.execPath, [CLI, 'sandbox', ...args], {
    cwd: ROOT,
    env: childEnv({}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start within 20 s:\n${out}`)), 20_000);
    const onData = () => {
      if (ready.test(out)) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`sandbox exited before it was ready:\n${out}`));
    });
  });
  return { child, output: () => out, exited };
}

test('--json prints every URL, the stand-ins answer there, and SIGTERM stops it cleanly', async () => {
  const run = await startSandboxCli(['--json', '--port-base', 'auto'], /\}\n/);
  const urls = JSON.parse(run.output().trim());
  expect(Object.keys(urls)).toEqual([
    'overview',
    'trading',
    'edr',
    'firewall',
    'mail',
    'smtp',
    'robots',
    'sms',
    'notify',
  ]);
  for (const url of Object.values(urls)) expect(url).toMatch(/^(http|smtp):\/\/127\.0\.0\.1:\d+$/);
  const channels = await fetch(`${urls.trading}/channels`);
  expect(channels.status).toBe(200);
  expect((await (await fetch(`${urls.overview}/requests.json`)).json()).standIns[0].requests).toHaveLength(1);
  run.child.kill('SIGTERM');
  expect(await run.exited).toBe(0);
});

/**
 * A base port with `n` consecutive free ports below the kernel's ephemeral range (32768+), where the
 * outgoing connections of other tests cannot take one between this check and the sandbox binding it.
 */
async function freePortBase(n: number): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
  for (let tries = 0; tries < 50; tries++) {
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    let ok = true;
    for (let i = 0; i < n && ok; i++) ok = await free(base + i);
    if (ok) return base;
  }
  throw new Error(`no ${n} consecutive free ports found between 20000 and 32000`);
}

test('prints each stand-in with zh-CN/English labels, listens from --port-base, stops on SIGINT', async () => {
  const base = await freePortBase(9);
  const run = await startSandboxCli(['--port-base', String(base)], /SMS gateway.*http:\/\/\S+\n/);
  const text = run.output();
  expect(text).toContain('沙箱已启动');
  expect(text).toMatch(new RegExp(`Overview.*总览.*http://127\\.0\\.0\\.1:${base}\\n`));
  expect(text).toMatch(new RegExp(`Trading core / 交易核心.*http://127\\.0\\.0\\.1:${base + 1}\\n`));
  expect(text).toMatch(new RegExp(`SMTP server / 邮件服务器.*smtp://127\\.0\\.0\\.1:${base + 5}\\n`));
  expect(text).toMatch(new RegExp(`短信网关.*http://127\\.0\\.0\\.1:${base + 7}\\n`));
  expect((await fetch(`http://127.0.0.1:${base + 2}/hosts`)).status).toBe(200);
  run.child.kill('SIGINT');
  expect(await run.exited).toBe(0);
});

test('a bad --port-base is a one-line usage error', async () => {
  const r = await tocsin(['sandbox', '--port-base', '80'], {});
  expect(r.code).not.toBe(0);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toContain('--port-base');
});

test('a port in use is a one-line error naming --port-base', async () => {
  const taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
  const port = (taken.address() as net.AddressInfo).port;
  try {
    // The port taken is the trading core's (base + 1) when the base is one below it.
    const r = await tocsin(['sandbox', '--port-base', String(port - 1)], {});
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/port is in use; choose another --port-base/);
  } finally {
    await new Promise((resolve) => taken.close(resolve));
  }
});
