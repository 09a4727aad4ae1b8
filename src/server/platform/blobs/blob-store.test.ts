import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { BlobTooLarge, diskBlobStore } from './blob-store.js';

const dirs: string[] = [];
const tmpDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-blobs-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const text = async (r: Readable | null) => {
  const parts: Buffer[] = [];
  for await (const c of r!) parts.push(c as Buffer);
  return Buffer.concat(parts).toString();
};

describe('disk blob store', () => {
  it('keeps bytes by their SHA-256 with the MD5 beside, read-only, once for the same bytes', async () => {
    const dir = tmpDir();
    const store = diskBlobStore(dir);
    const a = await store.put(Readable.from([Buffer.from('hello '), Buffer.from('world')]), { maxBytes: 100 });
    expect(a).toEqual({
      sha256: 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9',
      md5: '5eb63bbbe01eeed093cb22bb8f5acdc3',
      bytes: 11,
    });
    const again = await store.put(Readable.from([Buffer.from('hello world')]), { maxBytes: 100 });
    expect(again.sha256).toBe(a.sha256);
    expect(await text(await store.open(a.sha256))).toBe('hello world');
    const file = path.join(dir, 'sha256', 'b9', '4d', a.sha256);
    expect(fs.statSync(file).mode & 0o777).toBe(0o444);
    expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
  });

  it('refuses more than the cap and keeps nothing of it', async () => {
    const dir = tmpDir();
    const store = diskBlobStore(dir);
    await expect(
      store.put(Readable.from([Buffer.alloc(60), Buffer.alloc(60)]), { maxBytes: 100 }),
    ).rejects.toBeInstanceOf(BlobTooLarge);
    expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'sha256'))).toBe(false);
  });

  it('keeps nothing of a refused upload even when the first chunk is already too much, time after time', async () => {
    const dir = tmpDir();
    const store = diskBlobStore(dir);
    for (let i = 0; i < 50; i++)
      await expect(store.put(Readable.from([Buffer.alloc(200)]), { maxBytes: 100 })).rejects.toBeInstanceOf(
        BlobTooLarge,
      );
    expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
  });

  it('answers null for a blob it does not have and refuses a name that is not a hash', async () => {
    const store = diskBlobStore(tmpDir());
    expect(await store.open('0'.repeat(64))).toBeNull();
    expect(await store.has('0'.repeat(64))).toBe(false);
    await expect(store.open('../../etc/passwd')).rejects.toThrow(/not a SHA-256/);
  });
});
