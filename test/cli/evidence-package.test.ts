/**
 * `tocsin evidence check-package` as a recipient runs it: the real command, no store anywhere (no data
 * dir, no database URL): a package Tocsin made passes (exit 0, the summary line, the fingerprint to
 * compare on stderr); a file that is not a ZIP is one line and exit 2.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { compose } from '../../src/server/compose.js';
import { loadConfig } from '../../src/server/platform/config.js';
import { buildIncident, buildPrincipal } from '../helpers/fixtures.js';
import { buildOnce, lines, tempDir, tocsin } from './harness.js';

const data = tempDir('tocsin-cli-evpkg-');
const recipientDir = tempDir('tocsin-cli-recipient-');
const zipFile = path.join(recipientDir, 'package.zip');
let fingerprint = '';

beforeAll(async () => {
  await buildOnce();
  const s = await compose(
    loadConfig({
      TOCSIN_DATA_DIR: data,
      TOCSIN_LOG_LEVEL: 'silent',
      TOCSIN_DETECTION_THREAD: 'main',
      TOCSIN_PORT: '0',
    }),
  );
  try {
    const p = await buildPrincipal(s);
    const { key } = await buildIncident(s, { by: p, title: 'Account takeover wave' });
    const actor = { id: null, label: 'cli:test' };
    const a = await s.evidence.locker.addFile(actor, key, Readable.from([Buffer.from('pcap bytes')]), 'gw.pcap', {});
    const b = await s.evidence.locker.addFile(actor, key, Readable.from([Buffer.from('log line\n')]), 'auth.log', {});
    const pkg = await s.evidence.packages.create(p, key, { itemIds: [a.id, b.id], recipient: 'Police' }, null);
    fingerprint = (await s.evidence.packages.signingKey()).fingerprint;
    const file = await s.evidence.packages.download(p, pkg.id, null);
    const chunks: Buffer[] = [];
    for await (const c of file.stream) chunks.push(c as Buffer);
    fs.writeFileSync(zipFile, Buffer.concat(chunks));
  } finally {
    await s.close();
  }
}, 180_000);
afterAll(() => {
  fs.rmSync(data, { recursive: true, force: true });
  fs.rmSync(recipientDir, { recursive: true, force: true });
});

test('a package passes with no store at hand; a file that is not a ZIP is exit 2 with one line', async () => {
  const ok = await tocsin(['evidence', 'check-package', zipFile], { TOCSIN_DATA_DIR: path.join(recipientDir, 'none') });
  expect(ok.code, ok.stderr).toBe(0);
  expect(lines(ok.stdout).map((l) => JSON.parse(l))).toEqual([{ ok: true, items: 2, problems: 0, fingerprint }]);
  expect(lines(ok.stderr)).toEqual([
    `tocsin: checked with the key inside the package (SHA-256 fingerprint ${fingerprint}): compare it with the fingerprint the firm published, or pass --public-key`,
  ]);
  expect(fs.existsSync(path.join(recipientDir, 'none'))).toBe(false);

  const junk = path.join(recipientDir, 'junk.zip');
  fs.writeFileSync(junk, 'not a zip at all');
  const bad = await tocsin(['evidence', 'check-package', junk], {});
  expect(bad.code).toBe(2);
  expect(bad.stdout).toBe('');
  expect(lines(bad.stderr)).toHaveLength(1);
  expect(bad.stderr).toMatch(/^tocsin: check-package: refused: not_a_zip: /);
});
