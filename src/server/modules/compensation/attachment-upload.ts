/**
 * Reads a multipart/form-data body of a claim's files: its fields, and each file streamed into the blob
 * store once its first bytes show it is a picture (JPEG, PNG, WebP), a PDF or plain UTF-8 text — the
 * type is sniffed from the bytes (`file-type`), never taken from the upload's own word, and a refused
 * file is never stored. The form's fields come before its files (browsers send them in the form's
 * order), so the caller can check them (the portal's form token) before the first byte is kept.
 */
import type { Multipart } from '@fastify/multipart';
import { fileTypeLib } from '../../platform/heavy-libs.js';
import { ATTACHMENT_TYPES } from '../../../shared/compensation-filing-schemas.js';
import { type BlobStore, BlobTooLarge } from '../../platform/blobs/blob-store.js';
import { AppError, invalid, tooLarge } from '../../platform/errors.js';

export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

export interface ReceivedFile {
  sha256: string;
  md5: string;
  bytes: number;
  mediaType: AttachmentType;
  fileName: string;
}

export interface ReceivedForm {
  fields: Record<string, string>;
  files: ReceivedFile[];
}

const HEAD = 4100;
const MB = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

/** The name as the uploader's machine gave it: no folders, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '')
    .trim();
  return [...clean].slice(0, 200).join('') || 'file';
}

/** The type of a file from its first bytes; null when it is none the claims take. */
export async function sniffType(head: Buffer): Promise<AttachmentType | null> {
  if (head.length === 0) return null;
  const found = await (await fileTypeLib()).fileTypeFromBuffer(head);
  if (found)
    return (ATTACHMENT_TYPES as readonly string[]).includes(found.mime) ? (found.mime as AttachmentType) : null;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return null;
  }
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(head.toString('latin1')) ? null : 'text/plain';
}

/** The first `n` bytes of a stream, and the whole stream again (those bytes first). */
async function peek(source: AsyncIterable<Buffer>, n: number) {
  const it = source[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < n) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    chunks.push(r.value);
    length += r.value.length;
  }
  const head = Buffer.concat(chunks);
  async function* whole() {
    yield head;
    if (ended) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return { head: head.subarray(0, n), whole: whole() };
}

async function drain(source: AsyncIterable<unknown>) {
  for await (const _ of source) void _;
}

export const typeRefused = (file: string) =>
  new AppError(
    415,
    'unsupported-media-type',
    'Unsupported media type',
    `${file}: only pictures (JPEG, PNG, WebP), PDF and plain text are taken`,
    undefined,
    undefined,
    { code: 'compensation.attachment_type', params: { file } },
  );

const tooBig = (file: string, maxBytes: number) =>
  tooLarge(`${file} is larger than ${MB(maxBytes)}`, 'too-large', {
    code: 'compensation.attachment_too_large',
    params: { file, max: MB(maxBytes) },
  });

export const tooMany = (count: number, max: number) =>
  invalid(`at most ${max} files`, undefined, {
    code: 'compensation.attachments_full',
    params: { count, max },
  });

/**
 * Reads the parts: fields (the first value of each name, at most 8,000 characters) and files (the
 * parts named `file`; an empty file part — a form sent with no file chosen — is skipped). `beforeFile`
 * runs once before the first file is kept (throw to refuse the form).
 */
export async function receiveForm(
  parts: AsyncIterableIterator<Multipart>,
  blobs: BlobStore,
  opts: { maxFiles: number; maxBytes: number; beforeFile?: (fields: Record<string, string>) => void },
): Promise<ReceivedForm> {
  const fields: Record<string, string> = {};
  const files: ReceivedFile[] = [];
  let checked = false;
  for await (const part of parts) {
    if (part.type === 'field') {
      if (!(part.fieldname in fields)) fields[part.fieldname] = String(part.value ?? '').slice(0, 8000);
      continue;
    }
    const name = cleanFileName(part.filename ?? '');
    if (part.fieldname !== 'file' || !part.filename) {
      await drain(part.file);
      continue;
    }
    if (!checked) {
      checked = true;
      opts.beforeFile?.(fields);
    }
    if (files.length >= opts.maxFiles) throw tooMany(files.length + 1, opts.maxFiles);
    const { head, whole } = await peek(part.file as AsyncIterable<Buffer>, HEAD);
    if (head.length === 0) continue;
    const mediaType = await sniffType(head);
    if (!mediaType) throw typeRefused(name);
    try {
      const stored = await blobs.put(whole, { maxBytes: opts.maxBytes });
      files.push({ ...stored, mediaType, fileName: name });
    } catch (err) {
      if (err instanceof BlobTooLarge || (err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
        throw tooBig(name, opts.maxBytes);
      throw err;
    }
  }
  if (!checked) opts.beforeFile?.(fields);
  return { fields, files };
}
