/**
 * Reads an evidence upload (multipart/form-data): its fields first (description, sourceSystem,
 * acquisitionMethod, acquirerSha256), then one part named `file`, streamed into the blob store (hashed
 * as it arrives, never held whole in memory) up to the evidence cap. The type is sniffed from the first
 * bytes for display only (any type is taken: disk images, memory dumps, pcaps); the name is kept as data.
 */
import type { Multipart } from '@fastify/multipart';
import { fileTypeLib } from '../../platform/heavy-libs.js';
import { type BlobStore, BlobTooLarge, type StoredBlob } from '../../platform/blobs/blob-store.js';
import { invalid, tooLarge } from '../../platform/errors.js';

export interface ReceivedEvidence {
  fields: Record<string, string>;
  file: (StoredBlob & { fileName: string; mediaType: string }) | null;
}

const HEAD = 4100;
const GB = (n: number) => `${(n / 1024 ** 3).toFixed(n % 1024 ** 3 === 0 ? 0 : 2)} GiB`;

/** The name as the uploader's machine gave it: no folders, no control or bidi characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '')
    .trim();
  return [...clean].slice(0, 200).join('') || 'file';
}

/** The media type of bytes from their first ones: a known file type, plain text, else application/octet-stream. */
export async function sniffMediaType(head: Buffer): Promise<string> {
  if (head.length === 0) return 'application/octet-stream';
  const found = await (await fileTypeLib()).fileTypeFromBuffer(head);
  if (found) return found.mime;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return 'application/octet-stream';
  }
  return /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(head.toString('latin1'))
    ? 'application/octet-stream'
    : 'text/plain';
}

/** Puts a stream in the blob store, sniffing its first bytes on the way (the stream is not buffered). */
export async function putSniffed(
  source: AsyncIterable<Buffer>,
  blobs: BlobStore,
  maxBytes: number,
): Promise<StoredBlob & { mediaType: string }> {
  let head = Buffer.alloc(0);
  async function* tee() {
    for await (const chunk of source) {
      if (head.length < HEAD) head = Buffer.concat([head, chunk.subarray(0, HEAD - head.length)]);
      yield chunk;
    }
  }
  const stored = await blobs.put(tee(), { maxBytes });
  return { ...stored, mediaType: await sniffMediaType(head) };
}

async function drain(source: AsyncIterable<unknown>) {
  for await (const _ of source) void _;
}

export const evidenceTooLarge = (maxBytes: number) =>
  tooLarge(`the file is larger than the evidence limit of ${GB(maxBytes)} (TOCSIN_EVIDENCE_MAX_BYTES)`, 'too-large', {
    code: 'evidence.too_large',
    params: { max: GB(maxBytes) },
  });

/**
 * Reads the parts: fields (the first value of each name, at most 8,000 characters) and the first part
 * named `file` with a name; other file parts are drained and ignored. `beforeFile` runs before the
 * file's first byte is kept (throw to refuse).
 */
export async function receiveEvidence(
  parts: AsyncIterableIterator<Multipart>,
  blobs: BlobStore,
  opts: { maxBytes: number; beforeFile: (fields: Record<string, string>) => void },
): Promise<ReceivedEvidence> {
  const fields: Record<string, string> = {};
  let file: ReceivedEvidence['file'] = null;
  for await (const part of parts) {
    if (part.type === 'field') {
      if (!(part.fieldname in fields)) fields[part.fieldname] = String(part.value ?? '').slice(0, 8000);
      continue;
    }
    if (part.fieldname !== 'file' || !part.filename || file) {
      await drain(part.file);
      continue;
    }
    opts.beforeFile(fields);
    try {
      const stored = await putSniffed(part.file as AsyncIterable<Buffer>, blobs, opts.maxBytes);
      file = { ...stored, fileName: cleanFileName(part.filename) };
    } catch (err) {
      if (err instanceof BlobTooLarge || (err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
        throw evidenceTooLarge(opts.maxBytes);
      throw err;
    }
  }
  if (!file)
    throw invalid('no file: send one part named "file" after the fields', undefined, { code: 'evidence.no_file' });
  return { fields, file };
}
