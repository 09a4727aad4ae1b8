/**
 * Reading a ZIP from outside without trusting it (yauzl): every entry of the central directory is
 * checked before a byte is read, and each entry's bytes are counted as they are inflated.
 *
 * Refused, with a reason code and the entry's name: absolute paths (`/etc/x`), `..` segments,
 * backslashes, drive letters (`C:`), control characters or an empty name, names given twice, symbolic
 * links, encrypted entries, compression methods other than stored and deflate, more than `maxEntries`
 * entries (known from the end record, before the directory is read), a declared total over
 * `maxTotalBytes`, a compression ratio over `maxRatio` (declared, or reached while inflating) for an
 * entry past `ratioFloorBytes` (small files of zeros compress well and harm nobody), and sizes that lie:
 * an entry that inflates to more (or fewer) bytes than its header says is refused as soon as it does.
 * Nothing is ever written to disk under an entry's name.
 */
import { Transform, type Readable } from 'node:stream';
import type * as yauzl from 'yauzl';
import { yauzlLib } from './heavy-libs.js';

export type UnsafeZipReason =
  | 'not_a_zip'
  | 'absolute_path'
  | 'parent_path'
  | 'backslash'
  | 'drive_letter'
  | 'bad_name'
  | 'duplicate_name'
  | 'symlink'
  | 'encrypted'
  | 'unsupported_method'
  | 'too_many_entries'
  | 'too_large'
  | 'ratio'
  | 'size_mismatch';

/** A ZIP refused: `reason` says why, `entry` names the entry at fault (null for the whole file). */
export class UnsafeZip extends Error {
  constructor(
    readonly reason: UnsafeZipReason,
    readonly entry: string | null,
    detail: string,
  ) {
    super(`${reason}${entry !== null ? ` (${JSON.stringify(entry)})` : ''}: ${detail}`);
    this.name = 'UnsafeZip';
  }
}

export interface SafeZipLimits {
  maxEntries: number;
  /** The sum of the entries' uncompressed sizes, declared and real. */
  maxTotalBytes: number;
  /** Uncompressed / compressed, per entry. */
  maxRatio: number;
  /** Entries at most this large (uncompressed) are not held to the ratio. */
  ratioFloorBytes: number;
}

export const DEFAULT_ZIP_LIMITS: SafeZipLimits = {
  maxEntries: 10_000,
  maxTotalBytes: 1024 ** 3,
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
};

export interface SafeZipEntry {
  name: string;
  /** As declared by the central directory (checked against the real bytes when read). */
  bytes: number;
  compressedBytes: number;
  directory: boolean;
}

export interface SafeZip {
  /** The entries, in the central directory's order (directories included, flagged). */
  entries: SafeZipEntry[];
  /** The entry's uncompressed bytes, counted as they come: the stream fails with `UnsafeZip` when they lie. */
  open(name: string): Promise<Readable>;
  close(): void;
}

const fileNameOf = async () =>
  ((await yauzlLib()) as unknown as { getFileNameLowLevel: (...a: unknown[]) => string }).getFileNameLowLevel;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** Why an entry name is unsafe, or null when it is a plain relative path. */
export function unsafeName(name: string): { reason: UnsafeZipReason; detail: string } | null {
  if (name.length === 0) return { reason: 'bad_name', detail: 'an empty name' };
  if (/[\u0000-\u001f\u007f]/.test(name)) return { reason: 'bad_name', detail: 'a control character in the name' };
  if (name.includes('\\')) return { reason: 'backslash', detail: 'a backslash in the name (a Windows path)' };
  if (/^[a-zA-Z]:/.test(name)) return { reason: 'drive_letter', detail: 'a drive letter' };
  if (name.startsWith('/')) return { reason: 'absolute_path', detail: 'an absolute path' };
  if (name.split('/').includes('..')) return { reason: 'parent_path', detail: 'a ".." segment (path traversal)' };
  return null;
}

const fromFd = async (file: string) => {
  const lib = await yauzlLib();
  return new Promise<yauzl.ZipFile>((resolve, reject) =>
    lib.open(
      file,
      { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: false },
      (err, zip) => (err ? reject(err) : resolve(zip)),
    ),
  );
};

/** Opens `file` and checks its whole directory; `UnsafeZip` with the reason when anything is off. */
export async function openSafeZip(file: string, limits: SafeZipLimits = DEFAULT_ZIP_LIMITS): Promise<SafeZip> {
  let zip: yauzl.ZipFile;
  try {
    zip = await fromFd(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code) throw err;
    throw new UnsafeZip('not_a_zip', null, (err as Error).message);
  }
  try {
    if (zip.entryCount > limits.maxEntries)
      throw new UnsafeZip('too_many_entries', null, `${zip.entryCount} entries, at most ${limits.maxEntries}`);
    const raw = await readDirectory(zip);
    const nameOf = await fileNameOf();
    const entries: SafeZipEntry[] = [];
    const byName = new Map<string, yauzl.Entry>();
    let total = 0;
    for (const e of raw) {
      // UTF-8 (flag bit 11 or the Info-ZIP Unicode path field) or CP437, backslashes kept (to refuse them).
      const name = nameOf(e.generalPurposeBitFlag, e.fileNameRaw, e.extraFields, true);
      const bad = unsafeName(name);
      if (bad) throw new UnsafeZip(bad.reason, name, bad.detail);
      if (byName.has(name)) throw new UnsafeZip('duplicate_name', name, 'the name is given twice');
      const madeBy = e.versionMadeBy >> 8;
      const mode = (e.externalFileAttributes >>> 16) & S_IFMT;
      if ((madeBy === 3 || madeBy === 19) && mode === S_IFLNK) throw new UnsafeZip('symlink', name, 'a symbolic link');
      if (e.isEncrypted()) throw new UnsafeZip('encrypted', name, 'an encrypted entry');
      if (e.compressionMethod !== 0 && e.compressionMethod !== 8)
        throw new UnsafeZip('unsupported_method', name, `compression method ${e.compressionMethod}`);
      if (e.compressionMethod === 0 && e.compressedSize !== e.uncompressedSize)
        throw new UnsafeZip(
          'size_mismatch',
          name,
          `a stored entry of ${e.compressedSize} bytes that says it holds ${e.uncompressedSize}`,
        );
      if (
        e.uncompressedSize > limits.ratioFloorBytes &&
        e.uncompressedSize / Math.max(1, e.compressedSize) > limits.maxRatio
      )
        throw new UnsafeZip(
          'ratio',
          name,
          `${e.compressedSize} bytes that inflate to ${e.uncompressedSize} (ratio over ${limits.maxRatio}: a zip bomb)`,
        );
      total += e.uncompressedSize;
      if (total > limits.maxTotalBytes)
        throw new UnsafeZip('too_large', name, `the entries hold more than ${limits.maxTotalBytes} bytes in all`);
      byName.set(name, e);
      entries.push({
        name,
        bytes: e.uncompressedSize,
        compressedBytes: e.compressedSize,
        directory: name.endsWith('/'),
      });
    }
    let read = 0;
    return {
      entries,
      async open(name) {
        const e = byName.get(name);
        if (!e) throw new Error(`no entry ${name}`);
        const stream = await new Promise<Readable>((resolve, reject) =>
          zip.openReadStream(e, (err, s) => (err ? reject(err) : resolve(s))),
        );
        let bytes = 0;
        const counter = new Transform({
          transform(chunk: Buffer, _enc, done) {
            bytes += chunk.length;
            read += chunk.length;
            if (bytes > e.uncompressedSize)
              return done(
                new UnsafeZip('size_mismatch', name, `inflates past the ${e.uncompressedSize} bytes its header says`),
              );
            if (bytes > limits.ratioFloorBytes && bytes / Math.max(1, e.compressedSize) > limits.maxRatio)
              return done(new UnsafeZip('ratio', name, `inflates over ${limits.maxRatio} times its size: a zip bomb`));
            if (read > limits.maxTotalBytes)
              return done(new UnsafeZip('too_large', name, `more than ${limits.maxTotalBytes} bytes in all`));
            done(null, chunk);
          },
          flush(done) {
            if (bytes !== e.uncompressedSize)
              return done(
                new UnsafeZip('size_mismatch', name, `${bytes} bytes where its header says ${e.uncompressedSize}`),
              );
            done();
          },
        });
        stream.on('error', (err) => counter.destroy(err));
        counter.on('close', () => {
          if (!stream.destroyed) stream.destroy();
        });
        return stream.pipe(counter);
      },
      close: () => zip.close(),
    };
  } catch (err) {
    zip.close();
    throw err;
  }
}

function readDirectory(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const out: yauzl.Entry[] = [];
    zip.on('entry', (e: yauzl.Entry) => {
      out.push(e);
      zip.readEntry();
    });
    zip.on('end', () => resolve(out));
    zip.on('error', (err: Error) => reject(new UnsafeZip('not_a_zip', null, err.message)));
    zip.readEntry();
  });
}

/** Reads a whole (small) entry: at most `max` bytes, else `UnsafeZip` too_large. */
export async function readEntry(zip: SafeZip, name: string, max: number): Promise<Buffer> {
  const entry = zip.entries.find((e) => e.name === name);
  if (entry && entry.bytes > max) throw new UnsafeZip('too_large', name, `more than ${max} bytes`);
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of await zip.open(name)) {
    n += (c as Buffer).length;
    if (n > max) throw new UnsafeZip('too_large', name, `more than ${max} bytes`);
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}
