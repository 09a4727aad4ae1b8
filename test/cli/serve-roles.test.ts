/**
 * `tocsin serve --role` through the real CLI: the flag overrides TOCSIN_ROLE (a worker's port serves no
 * API), an unknown role is a one-line usage error, and SIGTERM stops the server with exit 0.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildOnce, childEnv, CLI, ROOT, tempDir, tocsin } from './harness.js';

beforeAll(() => buildOnce(), 180_000);

describe('tocsin serve --role', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  test('refuses a role it does not know in one line', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const r = await tocsin(['serve', '--role', 'scheduler'], { TOCSIN_DATA_DIR: dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')[0]).toMatch(/--role <role>' argument 'scheduler' is invalid.*all, web, worker/);
    expect(r.stdout).toBe('');
  });

  test('runs a worker when told so over TOCSIN_ROLE=web: operators only on its port; SIGTERM exits 0', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const child = spawn(process.execPath, [CLI, 'serve', '--role', 'worker'], {
      cwd: ROOT,
      env: childEnv({
        TOCSIN_DATA_DIR: dir,
        TOCSIN_PORT: '0',
        TOCSIN_HOST: '127.0.0.1',
        TOCSIN_LOG_LEVEL: 'error',
        TOCSIN_ROLE: 'web',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while (!/Tocsin is running at/.test(out)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const m = /Tocsin is running at (http:\/\/\S+)\s+\(role: (\w+), store: sqlite\)/.exec(out)!;
    expect(m[2]).toBe('worker');
    expect((await fetch(`${m[1]}/api/v1/incidents`)).status).toBe(404);
    expect((await fetch(`${m[1]}/readyz`)).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('SIGTERM: stopping');
  });
});
