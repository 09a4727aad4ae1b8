/** `tocsin ingest FILE|-`: raw events to a running Tocsin through its API (the batching is runIngest's, ../ingest.ts). */
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { InvalidArgumentError, type Command } from 'commander';
import { apiTarget, SERVER_HELP } from '../api-client.js';
import { CliError } from '../context.js';
import { runIngest } from '../ingest.js';
import { out } from '../table.js';

const positiveInt = (what: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${what} must be a whole number of at least 1`);
  return n;
};

/** "1 line", "2 lines". */
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Adds `tocsin ingest` to the program. */
export function addIngestCommand(program: Command): void {
  program
    .command('ingest')
    .summary('send raw events (NDJSON) from a file or stdin to a running Tocsin through its API')
    .description(
      `send raw events to a running Tocsin (${SERVER_HELP}): NDJSON, one JSON object a line, from FILE or from stdin with "-", posted in batches to POST /api/v1/events with an API token that has the events scope (smaller batches when the server says 413; when it is busy, 503, the same batch again after its Retry-After); prints the rejected lines on stderr and a summary on stdout; exits 1 when a line was rejected`,
    )
    .argument('<file>', 'an NDJSON file, or - for stdin')
    .option(
      '--source <name>',
      'the ingest source the events come from (TOCSIN_SOURCES_FILE on the server configures sources)',
      'file',
    )
    .option(
      '--token <token>',
      'API token with the events scope, from `tocsin tokens create --scope events` (default: TOCSIN_TOKEN)',
    )
    .option(
      '--batch <lines>',
      'lines per request at most (the server takes TOCSIN_INGEST_MAX_EVENTS a request, default 100000; a larger batch is halved until it fits)',
      positiveInt('--batch'),
      1000,
    )
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
      const t = await runIngest(input, size, {
        ...target,
        source: o.source,
        batchLines: o.batch,
        batchBytes: 1024 * 1024,
        out,
        warn: (line) => process.stderr.write(`${line}\n`),
        progress: o.progress && process.stderr.isTTY === true,
      });
      out(
        `ingested ${file === '-' ? 'stdin' : file}: ${t.accepted} accepted, ${plural(t.duplicates, 'duplicate')}, ${t.rejected} rejected (${plural(t.lines, 'line')} in ${plural(t.batches, 'request')})`,
      );
      if (t.rejected > 0) process.exitCode = 1;
    });
}
