/**
 * `tocsin access-review --out FILE.csv` as the security officer runs it on the server's store: one
 * sentence printed, a CSV Excel opens (BOM, Chinese names, formulas defused), an audit entry as the
 * operating-system account; bad options are one line with exit 2.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { compose } from '../../src/server/compose.js';
import { loadConfig } from '../../src/server/platform/config.js';
import { SYSTEM } from '../helpers/fixtures.js';
import { buildOnce, tempDir, tocsin } from './harness.js';

const data = tempDir('tocsin-cli-access-review-');
const env = { TOCSIN_DATA_DIR: data, TOCSIN_LOG_LEVEL: 'silent', TOCSIN_DETECTION_THREAD: 'main' };
const config = () => loadConfig({ ...env, TOCSIN_PORT: '0' });

beforeAll(async () => {
  await buildOnce();
  const s = await compose(config()); // migrates the store
  const u = await s.users.create(SYSTEM, {
    email: 'wang.jing@firm.test',
    name: '王静',
    role: 'auditor',
    password: 'correct-horse-battery-staple',
  });
  await s.users.create(SYSTEM, {
    email: 'odd@firm.test',
    name: '+cmd|calc',
    role: 'responder',
    password: 'correct-horse-battery-staple',
  });
  await s.tokens.create(SYSTEM, u.id, { name: '审计导出', scopes: ['read'] });
  await s.close();
}, 180_000);
afterAll(() => fs.rmSync(data, { recursive: true, force: true }));

test('writes the review as CSV, prints one sentence and is audited', async () => {
  const out = path.join(tempDir(), '访问审查.csv');
  const r = await tocsin(['access-review', '--out', out, '--lang', 'en'], env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(`Wrote ${out}: 2 accounts (0 dormant after 90 days) and 1 API tokens (1 active).\n`);
  const bytes = fs.readFileSync(out);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString('utf8');
  expect(text.split('\r\n')[0]).toMatch(/^Name,Email,Role,Sign-in method,/);
  expect(text).toContain('王静,wang.jing@firm.test,auditor,password,no,');
  expect(text).toContain("'+cmd|calc,odd@firm.test,responder,");
  expect(text).toContain('王静,wang.jing@firm.test,审计导出,read,');

  const s = await compose(config(), { skipMigrate: true });
  try {
    const entry = (await s.audit.list({ action: 'access_review.export' }, 5)).items[0];
    expect(entry?.actor.label).toMatch(/^cli:/);
    expect(entry?.after).toMatchObject({ format: 'csv', accounts: 2, tokens: 1 });
  } finally {
    await s.close();
  }

  const bad = await tocsin(['access-review', '--out', out, '--dormant-days', 'ninety'], env);
  expect(bad).toMatchObject({ code: 2, stdout: '' });
  expect(bad.stderr).toBe('tocsin: --dormant-days must be a whole number from 1 to 3650\n');
});
