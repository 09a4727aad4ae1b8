/**
 * bench:evidence — issue 15, "Speed": upload and hash a 2 GB evidence file as the API does (streamed
 * into the blob store: SHA-256 and MD5 as it arrives, written to a temporary file, renamed into place
 * read-only, under the evidence cap), then `sha256sum` of the same file as the baseline. JSON lines:
 *   {"case":"upload","bytes","elapsed_s","mb_per_s"}
 *   {"case":"sha256sum","bytes","elapsed_s","mb_per_s","ratio"}   ratio = upload MB/s / sha256sum MB/s
 * Target: ratio at least 0.7. The file is real bytes (a 64 MB random buffer repeated), not sparse; the
 * file and the blob store are deleted afterwards.
 *
 *   npm run bench:evidence                  2 GB
 *   npm run bench:evidence -- --bytes 200MB  smaller (K, M, G suffixes: powers of 1024)
 * The HTTP layer (multipart parsing) is not in the timing: the blob store put is the same code path.
 *
 * Then an export package of 10,000 small items (evidence-export.ts):
 *   {"bench":"evidence","case":"export","items","bytes","elapsed_s","items_per_s"}
 *   npm run bench:evidence -- --case export --items 500   only the export, with fewer items
 *   --case upload                                          only the upload and sha256sum
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { diskBlobStore } from '../src/server/platform/blobs/blob-store.js';
import { putSniffed } from '../src/server/modules/evidence/evidence-upload.js';
import { benchExport } from './evidence-export.js';

const MiB = 1024 * 1024;

function sizeOption(): number {
  const i = process.argv.indexOf('--bytes');
  if (i < 0) return 2 * 1024 * MiB;
  const v = process.argv[i + 1] ?? '';
  const m = /^(\d+)\s*([KMG]?)B?$/i.exec(v);
  if (!m) throw new Error(`--bytes wants a size such as 200MB or 2147483648, not ${v}`);
  const unit = { '': 1, K: 1024, M: MiB, G: 1024 * MiB }[m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Number(m[1]) * unit;
}

/** Writes `bytes` of real data: a 64 MB random buffer, repeated. */
function makeFile(file: string, bytes: number): void {
  const block = randomBytes(64 * MiB);
  const fd = fs.openSync(file, 'w');
  try {
    for (let written = 0; written < bytes; ) {
      const n = Math.min(block.length, bytes - written);
      written += fs.writeSync(fd, block, 0, n);
    }
  } finally {
    fs.closeSync(fd);
  }
}

const round = (n: number, d = 3) => Number(n.toFixed(d));

function option(name: string): string | null {
  const i = process.argv.indexOf(name);
  return i < 0 ? null : (process.argv[i + 1] ?? '');
}

async function main(): Promise<void> {
  const only = option('--case');
  if (only !== null && only !== 'upload' && only !== 'export')
    throw new Error(`--case wants upload or export, not ${only}`);
  const items = Number(option('--items') ?? 10_000);
  if (!Number.isInteger(items) || items < 1 || items > 10_000) throw new Error('--items wants 1 to 10000');
  if (only !== 'export') await benchUpload();
  if (only !== 'upload') await benchExport(items);
}

async function benchUpload(): Promise<void> {
  const bytes = sizeOption();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-bench-evidence-'));
  try {
    const file = path.join(dir, 'evidence.bin');
    process.stderr.write(`bench:evidence: writing ${bytes} bytes to ${file}\n`);
    makeFile(file, bytes);
    const blobs = diskBlobStore(path.join(dir, 'blobs'));

    let t0 = process.hrtime.bigint();
    const stored = await putSniffed(
      fs.createReadStream(file, { highWaterMark: 1 * MiB }),
      blobs,
      20 * 1024 * 1024 * MiB,
    );
    const uploadS = Number(process.hrtime.bigint() - t0) / 1e9;
    if (stored.bytes !== bytes) throw new Error(`stored ${stored.bytes} bytes of ${bytes}`);
    const uploadMbS = bytes / MiB / uploadS;
    process.stdout.write(
      `${JSON.stringify({ case: 'upload', bytes, elapsed_s: round(uploadS), mb_per_s: round(uploadMbS, 1) })}\n`,
    );

    t0 = process.hrtime.bigint();
    const r = spawnSync('sha256sum', [file], { encoding: 'utf8' });
    const sumS = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`sha256sum failed: ${r.stderr || r.error?.message}`);
    if (!r.stdout.startsWith(stored.sha256)) throw new Error('sha256sum disagrees with the blob store');
    const sumMbS = bytes / MiB / sumS;
    process.stdout.write(
      `${JSON.stringify({
        case: 'sha256sum',
        bytes,
        elapsed_s: round(sumS),
        mb_per_s: round(sumMbS, 1),
        ratio: round(uploadMbS / sumMbS),
      })}\n`,
    );
  } finally {
    // Blob files are read-only; their folders are not, so the tree can be removed.
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:evidence: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
