/**
 * `tocsin vulns import` as an operator runs it on the store (spawned): a Nessus file prints the import's
 * result as one JSON line (new findings, refused items with where and why); the same file again updates,
 * never doubles; a billion-laughs file is refused with the line, exits 1 and adds nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { compose } from '../../src/server/compose.js';
import { loadConfig } from '../../src/server/platform/config.js';
import { buildOnce, lines, ROOT, tempDir, tocsin } from './harness.js';

const data = tempDir('tocsin-cli-vulns-');
const env = { TOCSIN_DATA_DIR: data, TOCSIN_LOG_LEVEL: 'silent', TOCSIN_DETECTION_THREAD: 'main' };
const FIX = path.join(ROOT, 'test/fixtures/vulns');

beforeAll(async () => {
  await buildOnce();
  await (await compose(loadConfig({ ...env, TOCSIN_PORT: '0' }))).close(); // the store, migrated
}, 180_000);
afterAll(() => fs.rmSync(data, { recursive: true, force: true }));

test('imports a Nessus file and prints its result; again updates; a billion-laughs file is refused', async () => {
  const args = ['vulns', 'import', path.join(FIX, 'scan.nessus'), '--format', 'nessus', '--scanner', 'nessus-dc1'];
  const first = await tocsin(args, env);
  expect(first).toMatchObject({ code: 0, stderr: '' });
  const [line, ...rest] = lines(first.stdout);
  expect(rest).toEqual([]);
  const result = JSON.parse(line!) as { state: string; counts: Record<string, number>; rejections: unknown[] };
  expect(result).toMatchObject({
    state: 'done',
    scanner: 'nessus-dc1',
    counts: { new: 4, updated: 0, reopened: 0, closed: 0, rejected: 2 },
    by: { label: expect.stringMatching(/^cli:/) },
  });
  expect(result.rejections).toContainEqual({
    ref: 'ReportItem 4 (line 27, host trade-gw-01.donghai.example)',
    reason: 'the ReportItem has no numeric pluginID',
  });
  const again = JSON.parse(lines((await tocsin(args, env)).stdout)[0]!) as { counts: Record<string, number> };
  expect(again.counts).toMatchObject({ new: 0, updated: 4 });

  const lol = await tocsin(['vulns', 'import', path.join(FIX, 'billion-laughs.nessus'), '--format', 'nessus'], env);
  expect(lol.code).toBe(1);
  expect(lol.stdout).toBe('');
  expect(lol.stderr).toMatch(
    /^tocsin: the file cannot be read as nessus: malformed XML at line 12, column \d+: a document type declaration/,
  );
});
