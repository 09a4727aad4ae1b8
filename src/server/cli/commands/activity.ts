/** `tocsin activity import FILE`: an account-activity extract (CSV or NDJSON) into the store's index (docs/scoping.md). */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CliError, cliActor, withServices } from '../context.js';
import { out } from '../table.js';

export function addActivityCommands(program: Command): void {
  const activity = program.command('activity').description('the account-activity index (impact scoping)');
  activity
    .command('import')
    .description(
      'import an extract of account activity: CSV with a header row (time, account, customer, ip, device, action, outcome) or NDJSON (*.ndjson, *.jsonl) with those keys; prints the rejected lines on stderr and a summary; exits 1 when a line was rejected',
    )
    .argument('<file>', 'the extract')
    .option('--format <format>', 'csv or ndjson (default: from the file name)')
    .action(async (file: string, o: { format?: string }) => {
      let body: string;
      try {
        body = fs.readFileSync(file, 'utf8');
      } catch (err) {
        throw new CliError(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      }
      const format = o.format ?? (/\.(nd)?jsonl?$/i.test(file) ? 'ndjson' : 'csv');
      if (format !== 'csv' && format !== 'ndjson') throw new CliError('--format must be csv or ndjson');
      const r = await withServices((s) =>
        s.scoping.activity.importExtract(cliActor, path.basename(file), body, format),
      );
      for (const x of r.rejected) process.stderr.write(`${file}:${x.line}: ${x.reason}\n`);
      out(`imported ${file}: ${r.accepted} row${r.accepted === 1 ? '' : 's'}, ${r.rejectedCount} rejected`);
      if (r.rejectedCount > 0) process.exitCode = 1;
    });
}
