/**
 * What `tocsin ingest FILE|-` (commands/ingest.ts) runs: NDJSON from a file or stdin, posted in batches
 * to POST /api/v1/events of a running Tocsin (TOCSIN_URL, TOCSIN_TOKEN), with a progress bar when stderr
 * is a terminal. Lines are sent as the bytes they are (a line that is not UTF-8 is the server's to refuse,
 * by its number, not this command's to repair); a 413 halves the batch, a 503 waits for its Retry-After
 * and sends again.
 */
import type { Readable } from 'node:stream';
import { apiFetch, refusal } from './api-client.js';
import { CliError } from './context.js';

interface Totals {
  lines: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  batches: number;
}

export interface IngestRun {
  baseUrl: string;
  token: string;
  source?: string;
  /** Lines per request at most. */
  batchLines: number;
  /** Bytes per request at most; halved whenever the server answers 413. */
  batchBytes: number;
  out: (line: string) => void;
  warn: (line: string) => void;
  /** Shows a progress bar on stderr. */
  progress: boolean;
  /** Waits (for a 503's Retry-After); default: a timer. */
  sleep?: (ms: number) => Promise<void>;
}

interface Batch {
  lines: Buffer[];
  /** The file line number of each line. */
  numbers: number[];
  bytes: number;
}

interface EventsAnswer {
  accepted: number;
  duplicates: number;
  rejected: { line: number; reason: string }[];
  rejectedCount: number;
}

const MAX_SHOWN_REJECTIONS = 20;
/** Times one batch is sent again after a 503 before giving up. */
const MAX_RETRIES = 20;
/** Longest wait for one Retry-After (s): a server asking for more is waited on this long. */
const MAX_WAIT_S = 60;
const NEWLINE = Buffer.from('\n');

/** Seconds to wait from a Retry-After header (seconds or an HTTP date); 1 when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number {
  if (!header) return 1;
  const s = /^\d+$/.test(header.trim()) ? Number(header.trim()) : (Date.parse(header) - now) / 1000;
  return Number.isFinite(s) ? Math.min(MAX_WAIT_S, Math.max(1, Math.ceil(s))) : 1;
}

/** The lines of `input` as raw bytes (no decoding: invalid UTF-8 stays as it was). */
async function* byteLines(input: Readable): AsyncGenerator<Buffer> {
  let pieces: Buffer[] = [];
  for await (const chunk of input) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    let start = 0;
    for (let nl = buf.indexOf(0x0a); nl !== -1; nl = buf.indexOf(0x0a, start)) {
      const part = buf.subarray(start, nl);
      yield pieces.length ? Buffer.concat([...pieces, part]) : part;
      pieces = [];
      start = nl + 1;
    }
    if (start < buf.length) pieces.push(buf.subarray(start));
  }
  if (pieces.length) yield Buffer.concat(pieces);
}

const isBlank = (line: Buffer) => line.every((c) => c === 0x20 || c === 0x09 || c === 0x0d);

/** Posts NDJSON lines from `input` in batches; returns the totals. Throws CliError when the server refuses a batch. */
export async function runIngest(input: Readable, size: number | null, run: IngestRun): Promise<Totals> {
  const totals: Totals = { lines: 0, accepted: 0, duplicates: 0, rejected: 0, batches: 0 };
  let shown = 0;
  let maxBytes = run.batchBytes;
  const url = `/api/v1/events${run.source ? `?${new URLSearchParams({ source: run.source })}` : ''}`;

  const bar = run.progress ? await startBar(size) : null;
  const reject = (line: number, reason: string) => {
    totals.rejected++;
    if (shown++ < MAX_SHOWN_REJECTIONS) run.warn(`line ${line}: ${reason}`);
  };

  const sleep = run.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  async function post(batch: Batch, attempt = 0): Promise<void> {
    let res: Response;
    try {
      const lines: Buffer[] = [];
      for (const [i, line] of batch.lines.entries()) lines.push(...(i ? [NEWLINE, line] : [line]));
      // The lines as the bytes they are: one that is not UTF-8 is the server's to refuse by its number.
      res = await apiFetch(run, 'POST', url, {
        body: new Uint8Array(Buffer.concat(lines)),
        contentType: 'application/x-ndjson',
      });
    } catch (err) {
      throw new CliError(`${(err as Error).message} (lines before ${batch.numbers[0]} were ingested)`);
    }
    if (res.status === 503 && attempt < MAX_RETRIES) {
      // Detection is behind: the server says when to send the same batch again.
      const seconds = retryAfterSeconds(res.headers.get('retry-after'));
      await res.body?.cancel();
      if (attempt === 0)
        run.warn(`the server is busy (503) at line ${batch.numbers[0]}; sending again in ${seconds} s`);
      await sleep(seconds * 1000);
      return post(batch, attempt + 1);
    }
    if (res.status === 413) {
      await res.body?.cancel();
      if (batch.lines.length === 1) return reject(batch.numbers[0]!, 'larger than the server accepts in one request');
      // Smaller batches from now on; this one in halves.
      maxBytes = Math.max(1, Math.floor(batch.bytes / 2));
      const half = Math.ceil(batch.lines.length / 2);
      const part = (from: number, to: number): Batch => {
        const lines = batch.lines.slice(from, to);
        return { lines, numbers: batch.numbers.slice(from, to), bytes: lines.reduce((n, l) => n + l.length + 1, 0) };
      };
      await post(part(0, half));
      await post(part(half, batch.lines.length));
      return;
    }
    if (!res.ok) {
      const why = await refusal(res, 'POST', url, 'events');
      const busy = res.status === 503 ? `still busy after ${MAX_RETRIES} tries; ` : '';
      throw new CliError(`line ${batch.numbers[0]}: ${why.message} (${busy}lines before it were ingested)`);
    }
    const answer = (await res.json()) as EventsAnswer;
    totals.batches++;
    totals.accepted += answer.accepted;
    totals.duplicates += answer.duplicates;
    for (const r of answer.rejected) reject(batch.numbers[r.line - 1] ?? r.line, r.reason);
    // Rejections past the ones the server listed are counted, not shown.
    const unlisted = answer.rejectedCount - answer.rejected.length;
    totals.rejected += unlisted;
    shown += unlisted;
  }

  let batch: Batch = { lines: [], numbers: [], bytes: 0 };
  const flush = async () => {
    if (!batch.lines.length) return;
    const b = batch;
    batch = { lines: [], numbers: [], bytes: 0 };
    await post(b);
    bar?.update(bytesRead(input), { lines: totals.lines, accepted: totals.accepted });
  };

  try {
    let n = 0;
    for await (const line of byteLines(input)) {
      n++;
      if (isBlank(line)) continue;
      totals.lines++;
      const bytes = line.length + 1;
      if (batch.lines.length && (batch.lines.length >= run.batchLines || batch.bytes + bytes > maxBytes)) await flush();
      batch.lines.push(line);
      batch.numbers.push(n);
      batch.bytes += bytes;
    }
    await flush();
  } finally {
    bar?.stop();
  }
  if (shown > MAX_SHOWN_REJECTIONS) run.warn(`… and ${shown - MAX_SHOWN_REJECTIONS} more rejected lines`);
  return totals;
}

const bytesRead = (input: Readable) => (input as Readable & { bytesRead?: number }).bytesRead ?? 0;

async function startBar(size: number | null) {
  const { SingleBar, Presets } = await import('cli-progress');
  const known = size !== null && size > 0;
  const bar = new SingleBar(
    {
      format: known
        ? 'ingest [{bar}] {percentage}% | {lines} lines | {accepted} accepted'
        : 'ingest | {lines} lines | {accepted} accepted',
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  bar.start(known ? size : 0, 0, { lines: 0, accepted: 0 });
  return bar;
}
