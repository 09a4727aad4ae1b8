/**
 * `tocsin evidence add` and `verify` as an investigator or a nightly job runs them (spawned, on the
 * store): add prints one JSON line with the item's id and hashes; verify re-hashes every stored item,
 * passes while the bytes are intact, and after a blob file is changed on disk names the item that
 * changed and exits 1.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { compose } from '../../src/server/compose.js';
import { loadConfig } from '../../src/server/platform/config.js';
import { buildIncident } from '../helpers/fixtures.js';
import { buildOnce, lines, tempDir, tocsin } from './harness.js';

const data = tempDir('tocsin-cli-evidence-');
const env = { TOCSIN_DATA_DIR: data, TOCSIN_LOG_LEVEL: 'silent', TOCSIN_DETECTION_THREAD: 'main' };
let key = '';

beforeAll(async () => {
  await buildOnce();
  const s = await compose(loadConfig({ ...env, TOCSIN_PORT: '0' }));
  try {
    key = (await buildIncident(s, { title: 'Account takeover wave' })).key;
  } finally {
    await s.close();
  }
}, 180_000);
afterAll(() => {
  // Blob files are read-only, their folders are not: removing the tree works.
  fs.rmSync(data, { recursive: true, force: true });
});

test('add prints the id and hashes; verify passes, then names an item whose bytes changed on disk and exits 1', async () => {
  const file = path.join(tempDir(), 'gateway capture.pcap');
  const bytes = Buffer.concat([Buffer.from('d4c3b2a1', 'hex'), Buffer.alloc(70_000, 9)]);
  fs.writeFileSync(file, bytes);
  const added = await tocsin(['evidence', 'add', key, file, '--description', 'capture at the gateway'], env);
  expect(added.stderr).toBe('');
  expect(added.code).toBe(0);
  const [line, ...rest] = lines(added.stdout);
  expect(rest).toEqual([]);
  const item = JSON.parse(line!) as { id: string; sha256: string; md5: string; bytes: number };
  expect(Object.keys(item)).toEqual(['id', 'sha256', 'md5', 'bytes']);
  expect(item).toMatchObject({
    sha256: createHash('sha256').update(bytes).digest('hex'),
    md5: createHash('md5').update(bytes).digest('hex'),
    bytes: bytes.length,
  });

  const ok = await tocsin(['evidence', 'verify'], env);
  expect(ok).toMatchObject({ code: 0, stderr: '' });
  expect(lines(ok.stdout).map((l) => JSON.parse(l))).toEqual([{ checked: 1, changed: 0, missing: 0 }]);

  const blob = path.join(data, 'blobs', 'sha256', item.sha256.slice(0, 2), item.sha256.slice(2, 4), item.sha256);
  fs.chmodSync(blob, 0o644);
  const fd = fs.openSync(blob, 'r+');
  fs.writeSync(fd, Buffer.from('X'), 0, 1, 100);
  fs.closeSync(fd);
  const bad = await tocsin(['evidence', 'verify', '--incident', key], env);
  expect(bad.code).toBe(1);
  const out = lines(bad.stdout).map((l) => JSON.parse(l));
  expect(out).toEqual([
    {
      problem: 'changed',
      id: item.id,
      incident: key,
      fileName: 'gateway capture.pcap',
      sha256: item.sha256,
      found: { sha256: expect.not.stringMatching(item.sha256), bytes: bytes.length },
    },
    { checked: 1, changed: 1, missing: 0 },
  ]);
  expect(lines(bad.stderr)).toEqual(['tocsin: evidence verify: 1 item(s) changed, 0 missing of 1']);

  fs.rmSync(blob);
  const gone = await tocsin(['evidence', 'verify'], env);
  expect(gone.code).toBe(1);
  expect(JSON.parse(lines(gone.stdout)[0]!)).toMatchObject({ problem: 'missing', id: item.id });
}, 90_000); // several CLI processes, each loading the whole server (5-10 s each on a busy machine)

test('an unknown incident or an unreadable file is one line and exit 1', async () => {
  const file = path.join(tempDir(), 'a.txt');
  fs.writeFileSync(file, 'a');
  const noIncident = await tocsin(['evidence', 'add', 'INC-2026-9999', file], env);
  expect(noIncident.code).toBe(1);
  expect(lines(noIncident.stderr)).toEqual(['tocsin: incident INC-2026-9999 was not found']);
  const noFile = await tocsin(['evidence', 'add', key, path.join(data, 'nope.bin')], env);
  expect(noFile.code).toBe(1);
  expect(lines(noFile.stderr)).toEqual([`tocsin: cannot read ${path.join(data, 'nope.bin')}: ENOENT`]);
});
