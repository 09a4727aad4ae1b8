/**
 * Bodies of many JSON records (events, metric samples) read within limits without holding the event
 * loop: gzip is inflated as a stream, and records are counted as the bytes arrive — NDJSON lines, the
 * elements of a top-level array or, for a document, of the arrays a top-level object holds — so a
 * body with too many records, or too many bytes once inflated, is refused (413) as soon as it passes
 * the limit, before a single record is parsed. Counting only scans bytes: nothing is built per record.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createGunzip } from 'node:zlib';
import { AppError, tooLarge } from './errors.js';

export interface JsonBodyLimits {
  /** Bytes of the body, compressed and inflated alike. */
  maxBytes: number;
  /** Records at most. */
  maxRecords: number;
  /**
   * `records`: NDJSON (one record a line; blank lines are not records) or a JSON array of records.
   * `document`: one JSON value, an array of records or an object whose array members hold them.
   */
  shape: 'records' | 'document';
  /** The 413 for a body with more than `maxRecords` records (its detail names the limit and how to change it). */
  tooManyRecords: (limit: number) => AppError;
}

/** Bytes counted between two turns of the event loop for a body that is not compressed. */
const SCAN_SLICE = 1024 * 1024;
/** Inflated bytes handed over at a time (one turn of the event loop each). */
const INFLATE_CHUNK = 64 * 1024;

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isBom = (c: number) => c === 0xef || c === 0xbb || c === 0xbf;

/**
 * Counts records in a body fed to it in pieces, as the splitter (ingest's json-records.ts) will
 * find them. For a broken body the two may differ a little (an array cut short: the splitter adds a
 * rejection saying so; content after the closing `]`: this counts on), so the splitter is held to
 * the limit as well.
 */
export class RecordCounter {
  count = 0;
  /** 0 undecided, 1 NDJSON, 2 structured (array, or a document's object). */
  private mode = 0;
  private lineHasContent = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Depth of the arrays whose elements are records: 1 (a top-level array) or 2 (arrays inside a top-level object). */
  private recordDepth = 1;
  /** The container open at `recordDepth` is an array. */
  private inRecordArray = false;
  /** In a record array after `[` or `,`: the next byte that is not a space starts a record. */
  private expect = false;

  constructor(private readonly shape: 'records' | 'document') {}

  push(buf: Uint8Array): void {
    let i = 0;
    if (this.mode === 0) {
      // A UTF-8 BOM and spaces before the first byte that says what the body is.
      while (i < buf.length && (isSpace(buf[i]!) || isBom(buf[i]!))) i++;
      if (i === buf.length) return;
      const first = buf[i]!;
      if (first === 0x5b) this.mode = 2;
      else if (this.shape === 'document') {
        this.mode = 2;
        this.recordDepth = 2;
      } else this.mode = 1;
    }
    if (this.mode === 1) this.lines(buf, i);
    else this.structured(buf, i);
  }

  private lines(buf: Uint8Array, from: number): void {
    let has = this.lineHasContent;
    let n = this.count;
    for (let i = from; i < buf.length; i++) {
      const c = buf[i]!;
      if (c === 0x0a) has = false;
      else if (!has && c !== 0x20 && c !== 0x09 && c !== 0x0d) {
        has = true;
        n++;
      }
    }
    this.lineHasContent = has;
    this.count = n;
  }

  private structured(buf: Uint8Array, from: number): void {
    for (let i = from; i < buf.length; i++) {
      const c = buf[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) this.inString = false;
        continue;
      }
      if (this.expect) {
        if (isSpace(c)) continue;
        this.expect = false;
        if (c !== 0x5d) this.count++;
      }
      if (c === 0x22) this.inString = true;
      else if (c === 0x7b || c === 0x5b) {
        if (++this.depth === this.recordDepth) {
          this.inRecordArray = c === 0x5b;
          this.expect = this.inRecordArray;
        }
      } else if (c === 0x7d || c === 0x5d) {
        if (this.depth === this.recordDepth) this.inRecordArray = false;
        if (this.depth > 0) this.depth--;
      } else if (c === 0x2c && this.inRecordArray && this.depth === this.recordDepth) this.expect = true;
    }
  }
}

const tooManyBytes = (limit: number) =>
  tooLarge(`the request body is larger than ${limit} bytes (after decompression too); send smaller batches`);
const notGzip = () => new AppError(400, 'malformed-body', 'Malformed body', 'the body is not valid gzip data');

/**
 * The body's bytes (inflated when `encoding` is gzip) and how many records it holds; 413 past either
 * limit, 415 for an encoding other than gzip, 400 for broken gzip. Yields to the event loop as it goes.
 */
export async function readJsonBody(
  body: Buffer,
  encoding: string | undefined,
  limits: JsonBodyLimits,
): Promise<{ data: Buffer; records: number }> {
  const enc = (encoding ?? '').trim().toLowerCase();
  const counter = new RecordCounter(limits.shape);
  if (enc === '' || enc === 'identity') {
    if (body.length > limits.maxBytes) throw tooManyBytes(limits.maxBytes);
    for (let at = 0; at < body.length; at += SCAN_SLICE) {
      if (at > 0) await nextTurn();
      counter.push(body.subarray(at, at + SCAN_SLICE));
      if (counter.count > limits.maxRecords) throw limits.tooManyRecords(limits.maxRecords);
    }
    return { data: body, records: counter.count };
  }
  if (enc !== 'gzip' && enc !== 'x-gzip') {
    throw new AppError(
      415,
      'unsupported-media-type',
      'Unsupported media type',
      `Content-Encoding "${enc.slice(0, 40)}" is not supported; send gzip or no encoding`,
    );
  }
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip({ chunkSize: INFLATE_CHUNK });
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (err: AppError) => {
      if (settled) return;
      settled = true;
      gunzip.destroy();
      reject(err);
    };
    gunzip.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limits.maxBytes) return fail(tooManyBytes(limits.maxBytes));
      counter.push(chunk);
      if (counter.count > limits.maxRecords) return fail(limits.tooManyRecords(limits.maxRecords));
      chunks.push(chunk);
    });
    gunzip.on('error', () => fail(notGzip()));
    gunzip.on('end', () => {
      if (settled) return;
      settled = true;
      resolve({ data: Buffer.concat(chunks, size), records: counter.count });
    });
    gunzip.end(body);
  });
}
