/** `tocsin rules` as a user runs it: the built CLI in a child process against a real server. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { buildOnce, lines, tempDir, tocsin } from './harness.js';
import { SYSTEM } from '../helpers/fixtures.js';

const RANSOM_NOTE = '59c192dd-851b-4125-8b63-a057287c1451';

let server: TestServer;
let env: Record<string, string>;
let readEnv: Record<string, string>;
let dir: string;

beforeAll(async () => {
  dir = tempDir();
  await buildOnce();
  server = await startTestServer();
  const s = server.running.services;
  const admin = (await s.users.list(undefined, 10)).items[0]!;
  env = {
    TOCSIN_URL: server.url,
    TOCSIN_TOKEN: (await s.tokens.create(SYSTEM, admin.id, { name: 'cli-rules', scopes: ['admin'] })).token,
  };
  readEnv = {
    TOCSIN_URL: server.url,
    TOCSIN_TOKEN: (await s.tokens.create(SYSTEM, admin.id, { name: 'cli-read', scopes: ['read'] })).token,
  };
}, 180_000);
afterAll(async () => {
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('tocsin rules', () => {
  test('--help names its commands', async () => {
    const r = await tocsin(['rules', '--help'], {});
    expect(r.code).toBe(0);
    for (const c of ['list', 'enable', 'disable', 'upload', 'errors'])
      expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
  });

  test('lists, disables and enables rules, uploads a file and says why one does not compile', async () => {
    const list = await tocsin(['rules', 'list', '-q', 'ransom note'], readEnv);
    expect(list.code, list.stderr).toBe(0);
    expect(lines(list.stdout)).toEqual([
      expect.stringMatching(new RegExp(`^on  high +0  ${RANSOM_NOTE}  Ransom Note File Created$`)),
    ]);

    const off = await tocsin(['rules', 'disable', RANSOM_NOTE], env);
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout).toMatch(/^off high/);
    expect(lines((await tocsin(['rules', 'list', '--disabled'], readEnv)).stdout)).toHaveLength(1);
    const denied = await tocsin(['rules', 'enable', RANSOM_NOTE], readEnv);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/403/);
    expect((await tocsin(['rules', 'enable', RANSOM_NOTE], env)).stdout).toMatch(/^on {2}high/);

    const good = path.join(dir, 'local.yml');
    fs.writeFileSync(
      good,
      'title: Local probe\nid: cli-probe-1\nlogsource: {product: tocsin, service: cli}\ndetection: {sel: {message|contains: probe}, condition: sel}\nlevel: low\n',
    );
    const up = await tocsin(['rules', 'upload', good], env);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toBe('uploaded cli-probe-1  Local probe\n');
    expect((await tocsin(['rules', 'list', '--uploaded', '--json'], readEnv)).stdout).toMatch(/"file":"local.yml"/);

    const bad = path.join(dir, 'bad.yml');
    fs.writeFileSync(
      bad,
      'title: Bad probe\nid: cli-probe-2\nlogsource: {product: tocsin}\ndetection: {sel: {message|nosuchmodifier: x}, condition: sel}\n',
    );
    const refused = await tocsin(['rules', 'upload', bad], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/nothing was stored\n {2}cli-probe-2: .*nosuchmodifier/);

    const errors = await tocsin(['rules', 'errors'], readEnv);
    expect(errors.code, errors.stderr).toBe(0);
    expect(errors.stdout).toMatch(/^\d+ compiled, 0 disabled, 0 errors\n$/);
  });
});
