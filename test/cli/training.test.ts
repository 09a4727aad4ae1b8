/**
 * `tocsin training import` as an HR or compliance script runs it (spawned, on the store): a GBK file with
 * one bad row keeps the good rows, names the bad one on stderr as FILE:LINE, prints the counts and exits 1;
 * the same file again adds nothing; phishing results import with --kind phishing.
 */
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { compose } from '../../src/server/compose.js';
import { loadConfig } from '../../src/server/platform/config.js';
import { buildOnce, lines, tempDir, tocsin } from './harness.js';

const data = tempDir('tocsin-cli-training-');
const env = { TOCSIN_DATA_DIR: data, TOCSIN_LOG_LEVEL: 'silent', TOCSIN_DETECTION_THREAD: 'main' };

beforeAll(async () => {
  await buildOnce();
  const s = await compose(loadConfig({ ...env, TOCSIN_PORT: '0' })); // migrates the store
  await s.close();
}, 180_000);
afterAll(() => fs.rmSync(data, { recursive: true, force: true }));

test('imports records (GBK) keeping good rows and naming bad ones, without duplicates; and phishing results', async () => {
  const file = path.join(tempDir(), '培训记录.csv');
  fs.writeFileSync(
    file,
    iconv.encode(
      '工号,姓名,部门,课程编号,课程名称,完成日期,成绩\nE1,王芳,运维部,SEC-101,信息安全意识,2026-03-01,90\nE2,李强,运维部,SEC-101,信息安全意识,昨天,80\n',
      'gbk',
    ),
  );
  const first = await tocsin(['training', 'import', file], env);
  expect(first.code).toBe(1);
  expect(first.stderr).toContain(`${file}:3: completed_on "昨天" is not a date (YYYY-MM-DD)`);
  expect(lines(first.stdout).map((l) => JSON.parse(l))).toEqual([
    { kind: 'records', encoding: 'gb18030', rows: 2, added: 1, updated: 0, errors: 1 },
  ]);
  const again = await tocsin(['training', 'import', file], env);
  expect(JSON.parse(lines(again.stdout)[0]!)).toMatchObject({ added: 0, updated: 1 });

  const phishing = path.join(tempDir(), 'phishing.csv');
  fs.writeFileSync(phishing, 'campaign,employee_id,department,sent,clicked,reported\nQ4,E1,运维部,1,0,1\n');
  const p = await tocsin(['training', 'import', phishing, '--kind', 'phishing'], env);
  expect(p).toMatchObject({ code: 0, stderr: '' });
  expect(JSON.parse(lines(p.stdout)[0]!)).toMatchObject({ kind: 'phishing', encoding: 'utf-8', added: 1 });
});
