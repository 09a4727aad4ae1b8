/**
 * Hostile ZIPs (built with yazl, then their names or sizes altered byte by byte as an attacker would)
 * are refused with the reason: traversal, absolute paths, backslashes, drive letters, symbolic links,
 * too many entries, too many bytes in all, a zip bomb's ratio, and sizes that lie (caught while
 * inflating). A plain ZIP reads back as it was written.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ZipFile } from 'yazl';
import { openSafeZip, readEntry, type SafeZipLimits, UnsafeZip } from './safe-zip.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-safe-zip-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;

interface Add {
  name: string;
  bytes: Buffer;
  mode?: number;
  compress?: boolean;
}

async function zipOf(entries: Add[], patch: (b: Buffer) => Buffer = (b) => b): Promise<string> {
  const zip = new ZipFile();
  for (const e of entries)
    zip.addBuffer(e.bytes, e.name, { ...(e.mode ? { mode: e.mode } : {}), compress: e.compress ?? true });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream as AsyncIterable<Buffer>) chunks.push(c);
  const file = path.join(dir, `z${++n}.zip`);
  fs.writeFileSync(file, patch(Buffer.concat(chunks)));
  return file;
}

/** Replaces every occurrence of `from` by `to` (same length): the name in the local header and the directory. */
const rename = (from: string, to: string) => (b: Buffer) => {
  const f = Buffer.from(from);
  const t = Buffer.from(to);
  for (let i = b.indexOf(f); i >= 0; i = b.indexOf(f, i + 1)) t.copy(b, i);
  return b;
};

async function refusal(file: string, limits?: SafeZipLimits): Promise<{ reason: string; entry: string | null }> {
  try {
    const zip = await openSafeZip(file, limits);
    try {
      for (const e of zip.entries) await readEntry(zip, e.name, 1024 ** 3);
    } finally {
      zip.close();
    }
  } catch (err) {
    if (err instanceof UnsafeZip) return { reason: err.reason, entry: err.entry };
    throw err;
  }
  throw new Error('the ZIP was not refused');
}

const text = Buffer.from('evidence\n');
const limits: SafeZipLimits = { maxEntries: 4, maxTotalBytes: 1024 * 1024, maxRatio: 100, ratioFloorBytes: 64 * 1024 };

describe('safe ZIP reading', () => {
  it('reads a plain ZIP back as written', async () => {
    const file = await zipOf([
      { name: 'items/a.txt', bytes: text },
      { name: 'logs/登录.log', bytes: Buffer.alloc(70_000, 'x'), compress: false },
    ]);
    const zip = await openSafeZip(file, limits);
    expect(zip.entries.map((e) => [e.name, e.bytes])).toEqual([
      ['items/a.txt', text.length],
      ['logs/登录.log', 70_000],
    ]);
    expect((await readEntry(zip, 'items/a.txt', 100)).equals(text)).toBe(true);
    zip.close();
  });

  it.each([
    ['parent_path', 'aa/evil.txt', '../evil.txt'],
    ['absolute_path', 'xetc/passwd', '/etc/passwd'],
    ['backslash', 'dir/evil.txt', 'dir\\evil.txt'],
    ['drive_letter', 'Cqwin.ini', 'C:win.ini'],
    ['bad_name', 'ab.txt', 'a\u0001.txt'],
  ])('refuses %s (%s made %s)', async (reason, made, name) => {
    const file = await zipOf([{ name: made, bytes: text }], rename(made, name));
    expect(await refusal(file, limits)).toEqual({ reason, entry: name });
  });

  it('refuses a symbolic link, too many entries, too many bytes in all, and a name given twice', async () => {
    expect(await refusal(await zipOf([{ name: 'link', bytes: Buffer.from('/etc/shadow'), mode: 0o120777 }]))).toEqual({
      reason: 'symlink',
      entry: 'link',
    });
    const many = await zipOf([1, 2, 3, 4, 5].map((i) => ({ name: `f${i}`, bytes: text })));
    expect(await refusal(many, limits)).toEqual({ reason: 'too_many_entries', entry: null });
    const big = await zipOf([
      { name: 'a', bytes: Buffer.alloc(600_000, 1), compress: false },
      { name: 'b', bytes: Buffer.alloc(600_000, 2), compress: false },
    ]);
    expect(await refusal(big, limits)).toEqual({ reason: 'too_large', entry: 'b' });
    const twice = await zipOf(
      [
        { name: 'a1', bytes: text },
        { name: 'a2', bytes: text },
      ],
      rename('a2', 'a1'),
    );
    expect(await refusal(twice)).toEqual({ reason: 'duplicate_name', entry: 'a1' });
  });

  it('refuses a zip bomb by its ratio, and an entry whose declared size lies as it inflates', async () => {
    const zeros = Buffer.alloc(10 * 1024 * 1024);
    expect(await refusal(await zipOf([{ name: 'bomb.bin', bytes: zeros }]))).toEqual({
      reason: 'ratio',
      entry: 'bomb.bin',
    });
    // The directory says 20,000 bytes (ratio below 100): inflating finds 10 MiB and stops at the lie.
    const liar = await zipOf([{ name: 'small.bin', bytes: zeros }], (b) => {
      const cd = b.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      b.writeUInt32LE(20_000, cd + 24);
      return b;
    });
    expect(await refusal(liar)).toEqual({ reason: 'size_mismatch', entry: 'small.bin' });
  });

  it('says a file that is not a ZIP is not one', async () => {
    const file = path.join(dir, 'not.zip');
    fs.writeFileSync(file, 'just text, no central directory');
    expect(await refusal(file)).toEqual({ reason: 'not_a_zip', entry: null });
  });
});
