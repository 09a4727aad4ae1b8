/** Runs the real `tocsin` command and server as child processes, as a user or a script would. */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = path.join(ROOT, 'bin', 'tocsin.mjs');
/** The built CLI without bin's staleness check; see fixtures/built-cli.mjs for why. */
export const CLI = path.join(ROOT, 'test', 'cli', 'fixtures', 'built-cli.mjs');

export const ADMIN_EMAIL = 'admin@cli-test.example';
export const ADMIN_PASSWORD = 'correct-horse-battery-staple';

/**
 * Builds the server once (a no-op when dist/ is fresh). A lock keeps the CLI test files, which
 * vitest runs in parallel, from running two tsc builds into the same dist/ at once.
 */
export async function buildOnce(): Promise<void> {
  const lock = path.join(os.tmpdir(), `tocsin-build-lock-${Buffer.from(ROOT).toString('hex').slice(-24)}`);
  const deadline = Date.now() + 170_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 180_000) fs.rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`waited too long for the build lock ${lock}`);
      else await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    const r = spawnSync(process.execPath, ['scripts/build.mjs', '--server-only'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

export const tempDir = (prefix = 'tocsin-cli-') => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** The caller's environment without any TOCSIN_* setting (a developer's own must not leak in), plus `env` (undefined: unset). */
export function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('TOCSIN_') && !k.startsWith('VITEST')),
  );
  const merged: NodeJS.ProcessEnv = { ...base, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete merged[k];
  return merged;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `tocsin ARGS` to completion. */
export function tocsin(
  args: string[],
  env: Record<string, string | undefined>,
  opts: { entry?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [opts.entry ?? CLI, ...args],
      { cwd: ROOT, env: childEnv(env), timeout: opts.timeoutMs ?? 20_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number')
          return reject(new Error(`tocsin ${args.join(' ')}: ${err.message}\n${stderr}`));
        resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
      },
    );
  });
}

/** The lines of a stream's text, without the empty last one. */
export const lines = (text: string) => text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the server printed so far. */
  output(): string;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL: no shutdown code runs, as in a crash or power loss of the process. */
  kill(): Promise<void>;
}

/** Starts `tocsin serve` on `dataDir` on a free port and waits until it answers. */
export async function startServer(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [CLI, 'serve'], {
    cwd: ROOT,
    env: childEnv({
      TOCSIN_DATA_DIR: dataDir,
      // Port 0: the OS picks a free one and `serve` prints the address it really listens on.
      TOCSIN_PORT: '0',
      TOCSIN_HOST: '127.0.0.1',
      TOCSIN_LOG_LEVEL: 'error',
      TOCSIN_ADMIN_EMAIL: ADMIN_EMAIL,
      TOCSIN_ADMIN_PASSWORD: ADMIN_PASSWORD,
      TOCSIN_WEB_DIR: path.join(dataDir, 'no-web'),
      ...env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 20 s:\n${out}`)), 20_000);
    const onData = () => {
      const m = /Tocsin is running at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`server exited before it was ready (code ${child.exitCode}):\n${out}`));
    });
  });
  const health = await fetch(`${url}/api/v1/health`);
  if (health.status !== 200) throw new Error(`health answered ${health.status}`);
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return { url, child, output: () => out, stop: () => signal('SIGTERM'), kill: () => signal('SIGKILL') };
}

/** A JSON API call with a bearer token; returns status and parsed body. */
// biome-ignore lint/suspicious/noExplicitAny: tests read API bodies ad hoc, as inject()'s json() does
export async function api<T = any>(
  url: string,
  token: string,
  method: string,
  p: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${p}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export const incidentBody = (title: string) => ({
  title,
  summary: 'written by the CLI tests',
  category: 'equipment_failure',
  grade: 'IV',
});
