/**
 * The locked-out administrator at the terminal: `tocsin users reset-password` and `tocsin users unlock`
 * against the store a running server uses, and the first-start password that must be changed.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  buildOnce,
  lines,
  startServer,
  tempDir,
  tocsin,
  type ServerProcess,
} from './harness.js';

const dirs: string[] = [];
const freshDir = () => {
  const d = tempDir();
  dirs.push(d);
  return d;
};

async function signIn(url: string, email: string, password: string) {
  const res = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as { csrfToken?: string; passwordChangeRequired?: boolean; detail?: string };
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { status: res.status, body, cookie };
}

const call = (
  url: string,
  s: { cookie: string; body: { csrfToken?: string } },
  method: string,
  p: string,
  body?: unknown,
) =>
  fetch(`${url}${p}`, {
    method,
    headers: {
      cookie: s.cookie,
      'x-csrf-token': s.body.csrfToken ?? '',
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });

beforeAll(buildOnce, 180_000);
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('users reset-password and unlock', () => {
  let server: ServerProcess;
  let env: Record<string, string>;
  beforeAll(async () => {
    const dir = freshDir();
    env = { TOCSIN_DATA_DIR: dir };
    server = await startServer(dir);
  }, 30_000);
  afterAll(() => server?.stop());

  test('a locked-out administrator gets a one-time password that must be changed at the next sign-in', async () => {
    for (let i = 0; i < 5; i++) expect((await signIn(server.url, ADMIN_EMAIL, 'wrong-password-123')).status).toBe(401);
    expect((await signIn(server.url, ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(429);

    const r = await tocsin(['users', 'reset-password', '--email', ADMIN_EMAIL.toUpperCase()], env);
    expect(r.code, r.stderr).toBe(0);
    const otp = /^one-time password for admin@cli-test\.example: (\S{20})$/m.exec(r.stdout)?.[1];
    expect(otp, r.stdout).toBeDefined();
    expect(r.stdout).toMatch(/must choose a new password/);

    expect((await signIn(server.url, ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(401); // the old one is gone
    const s = await signIn(server.url, ADMIN_EMAIL, otp!); // and the throttle was cleared with it
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    expect(s.body.passwordChangeRequired).toBe(true);
    expect((await call(server.url, s, 'GET', '/api/v1/incidents')).status).toBe(403);
    const changed = await call(server.url, s, 'POST', '/api/v1/me/password', {
      currentPassword: otp,
      newPassword: 'violet-harbour-compass-42',
    });
    expect(changed.status, await changed.clone().text()).toBe(200);
    expect((await call(server.url, s, 'GET', '/api/v1/incidents')).status).toBe(200);
  });

  test('unlock clears the throttle without touching the password', async () => {
    const made = await tocsin(
      [
        'users',
        'create',
        '--email',
        'ic@cli-test.example',
        '--name',
        'IC',
        '--role',
        'incident_commander',
        '--password',
        'ic-password-long-enough',
      ],
      env,
    );
    expect(made.code, made.stderr).toBe(0);
    for (let i = 0; i < 5; i++) await signIn(server.url, 'ic@cli-test.example', 'wrong-password-123');
    expect((await signIn(server.url, 'ic@cli-test.example', 'ic-password-long-enough')).status).toBe(429);
    const r = await tocsin(['users', 'unlock', '--email', 'ic@cli-test.example'], env);
    expect(r).toMatchObject({ code: 0, stdout: 'unlocked ic@cli-test.example (1 address(es) cleared)\n' });
    expect((await signIn(server.url, 'ic@cli-test.example', 'ic-password-long-enough')).status).toBe(200);
  });

  test('a user created with a generated password changes it at the first sign-in', async () => {
    const made = await tocsin(
      ['users', 'create', '--email', 'gen@cli-test.example', '--name', 'Gen', '--role', 'responder'],
      env,
    );
    const password = /password: (\S+)$/m.exec(made.stdout)![1]!;
    expect((await signIn(server.url, 'gen@cli-test.example', password)).body.passwordChangeRequired).toBe(true);
  });

  test('an unknown email is a one-line error', async () => {
    for (const cmd of ['reset-password', 'unlock']) {
      const r = await tocsin(['users', cmd, '--email', 'nobody@cli-test.example'], env);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(lines(r.stderr)).toEqual([
        'tocsin: no user with email nobody@cli-test.example (list them with `tocsin users list`)',
      ]);
    }
  });
});

test('the first start prints a one-time password, and the first sign-in must change it', async () => {
  const server = await startServer(freshDir(), { TOCSIN_ADMIN_EMAIL: '', TOCSIN_ADMIN_PASSWORD: '' });
  try {
    expect(server.output()).toMatch(/One-time password, shown only now: the first sign-in asks for a new one/);
    const password = /password: (\S+)/.exec(server.output())![1]!;
    const s = await signIn(server.url, 'admin@tocsin.local', password);
    expect(s.status).toBe(200);
    expect(s.body.passwordChangeRequired).toBe(true);
  } finally {
    await server.stop();
  }
}, 30_000);
