/**
 * `tocsin ingest FILE|-`: NDJSON from a file or stdin, posted in batches to POST /api/v1/events of a
 * running Tocsin (TOCSIN_URL, TOCSIN_TOKEN), with a progress bar when stderr is a terminal.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { InvalidArgumentError, type Command } from 'commander';
import { apiFetch, apiTarget, refusal, SERVER_HELP } from './api-client.js';
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
}

interface Batch {
  lines: string[];
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

const positiveInt = (what: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${what} must be a whole number of at least 1`);
  return n;
};

/** "1 line", "2 lines". */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

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

  async function post(batch: Batch): Promise<void> {
    let res: Response;
    try {
      res = await apiFetch(run, 'POST', url, { body: batch.lines.join('\n'), contentType: 'application/x-ndjson' });
    } catch (err) {
      throw new CliError(`${(err as Error).message} (lines before ${batch.numbers[0]} were ingested)`);
    }
    if (res.status === 413) {
      await res.body?.cancel();
      if (batch.lines.length === 1) return reject(batch.numbers[0]!, 'larger than the server accepts in one request');
      // Smaller batches from now on; this one in halves.
      maxBytes = Math.max(1, Math.floor(batch.bytes / 2));
      const half = Math.ceil(batch.lines.length / 2);
      const part = (from: number, to: number): Batch => {
        const lines = batch.lines.slice(from, to);
        return { lines, numbers: batch.numbers.slice(from, to), bytes: lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0) };
      };
      await post(part(0, half));
      await post(part(half, batch.lines.length));
      return;
    }
    if (!res.ok) {
      const why = await refusal(res, 'POST', url, 'events');
      throw new CliError(`line ${batch.numbers[0]}: ${why.message} (lines before it were ingested)`);
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

  const rl = readline.createInterface({ input, crlfDelay: Infinity });
  try {
    let n = 0;
    for await (const line of rl) {
      n++;
      if (line.trim() === '') continue;
      totals.lines++;
      const bytes = Buffer.byteLength(line) + 1;
      if (batch.lines.length && (batch.lines.length >= run.batchLines || batch.bytes + bytes > maxBytes)) await flush();
      batch.lines.push(line);
      batch.numbers.push(n);
      batch.bytes += bytes;
    }
    await flush();
  } finally {
    rl.close();
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
      format: known ? 'ingest [{bar}] {percentage}% | {lines} lines | {accepted} accepted' : 'ingest | {lines} lines | {accepted} accepted',
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  bar.start(known ? size : 0, 0, { lines: 0, accepted: 0 });
  return bar;
}

/** Adds `tocsin ingest` to the program. */
export function addIngestCommand(program: Command): void {
  program
    .command('ingest')
    .summary('send raw events (NDJSON) from a file or stdin to a running Tocsin through its API')
    .description(`send raw events to a running Tocsin (${SERVER_HELP}): NDJSON, one JSON object a line, from FILE or from stdin with "-", posted in batches to POST /api/v1/events with an API token that has the events scope; prints the rejected lines on stderr and a summary on stdout; exits 1 when a line was rejected`)
    .argument('<file>', 'an NDJSON file, or - for stdin')
    .option('--source <name>', 'the ingest source the events come from (TOCSIN_SOURCES_FILE on the server configures sources)', 'file')
    .option('--token <token>', 'API token with the events scope, from `tocsin tokens create --scope events` (default: TOCSIN_TOKEN)')
    .option('--batch <lines>', 'lines per request at most', positiveInt('--batch'), 1000)
    .option('--no-progress', 'no progress bar, even on a terminal')
    .action(async (file: string, o: { source: string; token?: string; batch: number; progress: boolean }) => {
      const target = apiTarget(o, 'ingest', 'events');
      let input: Readable;
      let size: number | null = null;
      if (file === '-') input = process.stdin;
      else {
        try {
          const st = fs.statSync(file);
          if (!st.isFile()) throw new CliError(`${file} is not a file`);
          size = st.size;
        } catch (err) {
          if (err instanceof CliError) throw err;
          throw new CliError(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
        }
        input = fs.createReadStream(file);
      }
      const out = (line: string) => process.stdout.write(`${line}\n`);
      const t = await runIngest(input, size, {
        ...target,
        source: o.source,
        batchLines: o.batch,
        batchBytes: 1024 * 1024,
        out,
        warn: (line) => process.stderr.write(`${line}\n`),
        progress: o.progress && process.stderr.isTTY === true,
      });
      out(`ingested ${file === '-' ? 'stdin' : file}: ${t.accepted} accepted, ${plural(t.duplicates, 'duplicate')}, ${t.rejected} rejected (${plural(t.lines, 'line')} in ${plural(t.batches, 'request')})`);
      if (t.rejected > 0) process.exitCode = 1;
    });
}
