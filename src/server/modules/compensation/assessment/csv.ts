/**
 * The CSV files of the assessment methods, read as a stream: a header row naming the columns (any
 * order, extra columns ignored, names case-insensitive), then one record a line. UTF-8 with or without
 * a BOM, or GBK/GB18030 (`encoding: 'gbk'`, through iconv-lite).
 *
 * A record with a quote character is parsed by csv-parse (RFC 4180: quoted commas, doubled quotes,
 * line breaks inside quotes); the other records — nearly all of them — are split at their commas by
 * the byte scanner here, which for a line without quotes is what csv-parse does, several times faster
 * (bench/compensation.bench.ts measures both), and can hand the record's bytes on without making a
 * string of each field (`onBytes`). A record whose field count differs from the header's is reported
 * with its line and skipped; blank lines (and lines of commas only) are ignored.
 */
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { trimField } from './outage-price-diff.js';

export type CsvEncoding = 'utf8' | 'gbk';

/** A file that cannot be read as the CSV asked for (missing header or columns): it is refused whole. */
export class CsvFileError extends Error {}

export interface CsvReadOptions {
  /** The file's name in messages. */
  name: string;
  encoding?: CsvEncoding;
  /** The columns wanted; `onRow` gets their values in this order. */
  columns: readonly string[];
  /** Columns that may be absent from the header (their value is then ''). */
  optional?: readonly string[];
  /** A record; `values` (trimmed) is reused from call to call: copy what must outlive the call. */
  onRow: (values: string[], line: number) => void;
  /**
   * A record without quotes, as bytes: `at[2k]`, `at[2k + 1]` the start and end in `b` of column k
   * (-1 for an absent optional column), untrimmed. When given, it receives these instead of `onRow`.
   */
  onBytes?: (b: Buffer, at: Int32Array, line: number) => void;
  onBad: (line: number, reason: string) => void;
}

/** GBK text as UTF-8 buffers. */
async function* gbkChunks(file: string): AsyncGenerator<Buffer> {
  const raw = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  for await (const text of raw.pipe(iconv.decodeStream('gb18030')) as AsyncIterable<string>)
    yield Buffer.from(text, 'utf8');
}

/** Reads `file` (a path) record by record. */
export async function readCsv(file: string, o: CsvReadOptions): Promise<void> {
  const wanted = o.columns.length;
  const values: string[] = new Array<string>(wanted).fill('');
  const at = new Int32Array(2 * wanted);
  /** Field index of each wanted column (-1: optional and absent); null before the header. */
  let index: Int32Array | null = null;
  let width = 0;
  const commas = new Int32Array(4096);
  let line = 0;

  const header = (fields: string[]) => {
    const names = fields.map((f) =>
      f
        .replace(/^\uFEFF/, '')
        .trim()
        .toLowerCase(),
    );
    const required = o.columns.filter((c) => !o.optional?.includes(c));
    const missing = required.filter((c) => !names.includes(c));
    if (missing.length)
      throw new CsvFileError(
        `${o.name}:${line}: the header has no column ${missing.join(', ')} (it needs ${required.join(', ')})`,
      );
    index = Int32Array.from(o.columns, (c) => names.indexOf(c));
    width = names.length;
  };

  const wrongWidth = (n: number, l: number) =>
    o.onBad(l, n < width ? `missing columns (${n} of ${width})` : `more fields than the header (${n} of ${width})`);

  /** A record that has quotes, parsed by csv-parse. */
  const quoted = (text: string, startLine: number) => {
    let fields: string[];
    try {
      fields = (parse(text, { relax_column_count: true }) as string[][])[0] ?? [];
    } catch (err) {
      o.onBad(startLine, `not a valid CSV record (${(err as Error).message.split('\n')[0]})`);
      return;
    }
    if (index === null) return header(fields);
    if (fields.length !== width) return wrongWidth(fields.length, startLine);
    for (let k = 0; k < wanted; k++) {
      const i = index[k]!;
      values[k] = i < 0 ? '' : trimField(fields[i]!);
    }
    o.onRow(values, startLine);
  };

  /** A record without quotes, b[start, end), with `n` commas at `commas`. */
  const plain = (b: Buffer, start: number, end: number, n: number) => {
    if (index === null) return header(b.toString('utf8', start, end).split(','));
    if (n + 1 !== width) {
      if (n === end - start) return; // only commas: an empty row a spreadsheet left
      return wrongWidth(n + 1, line);
    }
    for (let k = 0; k < wanted; k++) {
      const i = index[k]!;
      if (i < 0) {
        at[2 * k] = -1;
        at[2 * k + 1] = -1;
      } else {
        at[2 * k] = i === 0 ? start : commas[i - 1]! + 1;
        at[2 * k + 1] = i === n ? end : commas[i]!;
      }
    }
    if (o.onBytes) return o.onBytes(b, at, line);
    for (let k = 0; k < wanted; k++)
      values[k] = at[2 * k]! < 0 ? '' : trimField(b.toString('utf8', at[2 * k]!, at[2 * k + 1]!));
    o.onRow(values, line);
  };

  /** The records of `b`; returns where the unfinished last one starts (`final`: there is no more). */
  const records = (b: Buffer, from: number, final: boolean): number => {
    const len = b.length;
    let pos = from;
    while (pos < len) {
      let n = 0;
      let i = pos;
      let quote = false;
      for (; i < len; i++) {
        const c = b[i]!;
        if (c === 10) break;
        if (c === 44) {
          if (n < 4096) commas[n] = i;
          n++;
        } else if (c === 34) {
          quote = true;
          break;
        }
      }
      if (quote) {
        // A quoted record: to the line break after an even number of quotes.
        let quotes = 0;
        let lines = 1;
        let end = -1;
        for (let k = pos; k < len; k++) {
          const c = b[k]!;
          if (c === 34) quotes++;
          else if (c === 10) {
            if (quotes % 2 === 0) {
              end = k;
              break;
            }
            lines++;
          }
        }
        if (end < 0) {
          if (!final) return pos;
          end = len;
        }
        const startLine = line + 1;
        line += lines;
        quoted(b.toString('utf8', pos, end), startLine);
        pos = end + 1;
        continue;
      }
      if (i === len && !final) return pos;
      line++;
      let end = i;
      if (end > pos && b[end - 1] === 13) end--;
      if (end > pos) plain(b, pos, end, n);
      pos = i + 1;
    }
    return len;
  };

  if (o.encoding === 'gbk') {
    let carry: Buffer | null = null;
    let from = 0;
    for await (const chunk of gbkChunks(file)) {
      const b: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
      const rest = records(b, from, false);
      from = 0;
      carry = rest < b.length ? b.subarray(rest) : null;
    }
    if (carry) records(carry, 0, true);
  } else {
    // One buffer read into again and again; the unfinished last record moves to its start. The
    // reads are synchronous: a local file, mostly in the page cache, read in 4 MB steps.
    const fd = fs.openSync(file, 'r');
    try {
      let buf = Buffer.allocUnsafe(4 << 20);
      let kept = 0;
      let from = -1;
      for (;;) {
        if (kept === buf.length) {
          const bigger = Buffer.allocUnsafe(buf.length * 2);
          buf.copy(bigger, 0, 0, kept);
          buf = bigger;
        }
        const bytesRead = fs.readSync(fd, buf, kept, buf.length - kept, null);
        const end = kept + bytesRead;
        const view = buf.subarray(0, end);
        if (from < 0) from = end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
        if (bytesRead === 0) {
          if (end > from) records(view, from, true);
          break;
        }
        const rest = records(view, from, false);
        from = 0;
        buf.copy(buf, 0, rest, end);
        kept = end - rest;
      }
    } finally {
      fs.closeSync(fd);
    }
  }
  if (index === null) throw new CsvFileError(`${o.name}: empty file, a header row is required`);
}
