/**
 * `tocsin activity import FILE` as a user runs it: the good lines of an extract go into the store's
 * account-activity index, the bad ones are printed FILE:LINE: reason on stderr, and the exit is 1.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { buildOnce, tempDir, tocsin } from './harness.js';

beforeAll(async () => {
  await buildOnce();
}, 180_000);

test('imports an extract and reports its bad lines', async () => {
  const data = tempDir();
  const file = path.join(tempDir(), 'core-login.csv');
  fs.writeFileSync(
    file,
    [
      'time,account,customer,ip,device,action,outcome',
      '2026-12-03T09:31:00+08:00,A10000001,,203.0.113.7,,login,failure',
      'not-a-time,A10000002,,203.0.113.7,,login,failure',
      '2026-12-03T09:32:00+08:00,A10000003,,203.0.113.7,,login,failure',
      '',
    ].join('\n'),
  );
  const r = await tocsin(['activity', 'import', file], { TOCSIN_DATA_DIR: data, TOCSIN_LOG_LEVEL: 'silent' });
  expect(r.code).toBe(1);
  expect(r.stdout).toBe(`imported ${file}: 2 rows, 1 rejected\n`);
  expect(r.stderr).toBe(`${file}:3: time is missing or not a date (ISO-8601 or epoch ms)\n`);
  const nd = path.join(path.dirname(file), 'transfers.ndjson');
  fs.writeFileSync(nd, `${JSON.stringify({ time: 1764725400000, account: 'A10000004', action: 'transfer' })}\n`);
  const ok = await tocsin(['activity', 'import', nd], { TOCSIN_DATA_DIR: data, TOCSIN_LOG_LEVEL: 'silent' });
  expect(ok).toMatchObject({ code: 0, stdout: `imported ${nd}: 1 row, 0 rejected\n` });
});
