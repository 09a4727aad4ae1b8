/**
 * Bytes kept by their SHA-256: files customers attach to claims today, evidence tomorrow. A blob is
 * written once, streamed (never held whole in memory), hashed as it arrives (SHA-256 and MD5, the pair
 * forensic tools record), and then read-only; the same bytes twice are one blob. The interface leaves
 * room for an S3-compatible store beside the disk one.
 *
 * On disk: `<dir>/sha256/ab/cd/<hex>` (mode 0444), written to `<dir>/tmp/` first and renamed into place,
 * so a reader never sees half a blob and a crash leaves only a temporary file behind.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

export interface StoredBlob {
  sha256: string;
  md5: string;
  bytes: number;
}

export class BlobTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`more than ${maxBytes} bytes`);
  }
}

export interface BlobStore {
  /** Stores what `source` yields; `BlobTooLarge` (and nothing kept) past `maxBytes`. */
  put(source: Readable | AsyncIterable<Uint8Array>, opts: { maxBytes: number }): Promise<StoredBlob>;
  /** The blob's bytes, or null when it is not here. */
  open(sha256: string): Promise<Readable | null>;
  /** Whether the blob is here. */
  has(sha256: string): Promise<boolean>;
  /** Removes the blob (retention, once nothing refers to it); false when it was not here. */
  remove(sha256: string): Promise<boolean>;
}

const HEX = /^[0-9a-f]{64}$/;

export function diskBlobStore(dir: string): BlobStore {
  const tmpDir = path.join(dir, 'tmp');
  const fileOf = (sha256: string) => {
    if (!HEX.test(sha256)) throw new Error(`not a SHA-256: ${sha256.slice(0, 80)}`);
    return path.join(dir, 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  };
  return {
    async put(source, { maxBytes }) {
      await fsp.mkdir(tmpDir, { recursive: true });
      const tmp = path.join(tmpDir, `${process.pid}-${randomBytes(12).toString('hex')}`);
      const sha = createHash('sha256');
      const md5 = createHash('md5');
      let bytes = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          bytes += chunk.length;
          if (bytes > maxBytes) return done(new BlobTooLarge(maxBytes));
          sha.update(chunk);
          md5.update(chunk);
          done(null, chunk);
        },
      });
      // The file is made before the bytes flow: a write stream opening it itself could still create it
      // after a refusal had failed the pipeline and the clean-up below had run (left behind in tmp/).
      const handle = await fsp.open(tmp, 'wx', 0o600);
      try {
        await pipeline(source, meter, handle.createWriteStream());
        const digest = sha.digest('hex');
        const file = fileOf(digest);
        await fsp.mkdir(path.dirname(file), { recursive: true });
        if (await exists(file)) await fsp.rm(tmp, { force: true });
        else {
          await fsp.chmod(tmp, 0o444);
          await fsp.rename(tmp, file);
        }
        return { sha256: digest, md5: md5.digest('hex'), bytes };
      } catch (err) {
        await fsp.rm(tmp, { force: true });
        throw err;
      }
    },
    async open(sha256) {
      const file = fileOf(sha256);
      return (await exists(file)) ? fs.createReadStream(file) : null;
    },
    has: (sha256) => exists(fileOf(sha256)),
    async remove(sha256) {
      const file = fileOf(sha256);
      if (!(await exists(file))) return false;
      await fsp.rm(file, { force: true });
      return true;
    },
  };
}

async function exists(file: string): Promise<boolean> {
  try {
    await fsp.access(file);
    return true;
  } catch {
    return false;
  }
}
