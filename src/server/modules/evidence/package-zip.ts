/**
 * Writes an evidence package (yazl) straight into the blob store: each item's bytes streamed from its
 * blob (opened only when its turn comes, never held whole in memory, re-hashed on the way: an item whose
 * bytes are no longer what was recorded stops the package), then manifest.pdf, SHA256SUMS,
 * manifest.json (naming SHA256SUMS's hash), manifest.sig and signing-key.pem.
 */
import { createHash } from 'node:crypto';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { yazlLib } from '../../platform/heavy-libs.js';
import type { BlobStore, StoredBlob } from '../../platform/blobs/blob-store.js';
import { conflict } from '../../platform/errors.js';
import { FILES, type Manifest, type ManifestBody, manifestJson, sha256sums } from './package-manifest.js';
import { manifestPdf } from './package-pdf.js';
import type { PublicSigningKey } from './signing-key.js';

/** An item's bytes changed or went missing since they were recorded: the package is not made. */
const itemChanged = (id: string, why: string) =>
  conflict(`evidence item ${id} ${why}: run tocsin evidence verify; the package was not made`, {
    code: 'evidence.item_changed',
    params: { id },
  });

/** A stream that hashes what passes and fails at its end when the SHA-256 or size is not `expected`. */
function checked(expected: { id: string; sha256: string; bytes: number }): Transform {
  const hash = createHash('sha256');
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
    flush(done) {
      const found = hash.digest('hex');
      if (found !== expected.sha256 || bytes !== expected.bytes) return done(itemChanged(expected.id, 'has changed'));
      done();
    },
  });
}

/** Hashes what passes; `digest` once it ended. */
function hashing(): Transform & { digest: Promise<string> } {
  const hash = createHash('sha256');
  let resolve: (hex: string) => void = () => {};
  const digest = new Promise<string>((r) => {
    resolve = r;
  });
  const t = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      resolve(hash.digest('hex'));
      done();
    },
  });
  return Object.assign(t, { digest });
}

export async function writePackage(opts: {
  blobs: BlobStore;
  body: ManifestBody;
  sign: (data: Buffer) => Promise<{ signature: Buffer; key: PublicSigningKey }>;
  publicKeyPem: string;
}): Promise<StoredBlob> {
  const { blobs, body } = opts;
  const { ZipFile } = await yazlLib();
  const zip = new ZipFile();
  const mtime = new Date(body.package.createdAt);
  const out = new PassThrough();
  const fail = (err: Error) => out.destroy(err);
  zip.on('error', fail);
  (zip.outputStream as Readable).on('error', fail);
  (zip.outputStream as Readable).pipe(out);
  const stored = blobs.put(out, { maxBytes: Number.MAX_SAFE_INTEGER });

  const sums = new Map<string, string>();
  for (const item of body.items) {
    if (sums.has(item.path)) continue; // the same bytes under the same name: once
    sums.set(item.path, item.sha256);
    zip.addReadStreamLazy(item.path, { mtime, compress: false, size: item.bytes }, (cb) => {
      blobs.open(item.sha256).then(
        (stream) => {
          if (!stream) return fail(itemChanged(item.id, 'is missing from the blob store'));
          const check = checked(item);
          stream.on('error', fail);
          check.on('error', fail);
          cb(null, stream.pipe(check));
        },
        (err: Error) => fail(err),
      );
    });
  }

  // The PDF is made when its turn comes, after the items.
  const pdf = hashing();
  pdf.on('error', fail);
  zip.addReadStreamLazy(FILES.pdf, { mtime }, (cb) => {
    manifestPdf(body).then(
      (source) => {
        source.on('error', fail);
        cb(null, source.pipe(pdf));
      },
      (err: Error) => {
        fail(err);
        cb(err, pdf);
      },
    );
  });

  const tail = pdf.digest.then(async (pdfSha) => {
    sums.set(FILES.pdf, pdfSha);
    const sumsText = Buffer.from(sha256sums(sums), 'utf8');
    const manifest: Manifest = {
      ...body,
      sha256sums: { sha256: createHash('sha256').update(sumsText).digest('hex') },
    };
    const json = manifestJson(manifest);
    const { signature } = await opts.sign(json);
    zip.addBuffer(sumsText, FILES.sums, { mtime });
    zip.addBuffer(json, FILES.manifest, { mtime });
    zip.addBuffer(signature, FILES.signature, { mtime, compress: false });
    zip.addBuffer(Buffer.from(opts.publicKeyPem, 'utf8'), FILES.key, { mtime });
    zip.end();
  });
  tail.catch(fail);
  const [blob] = await Promise.all([stored, tail]);
  return blob;
}
