/** `tocsin training import`: training records or phishing results from a CSV file into the store (docs/training.md). */
import fs from 'node:fs';
import type { Command } from 'commander';
import { CliError, cliActor, withServices } from '../context.js';

export function addTrainingCommands(program: Command): void {
  const training = program.command('training').description('training records and phishing-simulation results');
  training
    .command('import')
    .description(
      'import FILE (CSV, UTF-8 or GBK; columns in docs/training.md) into the store, audited as the operating-system account: good rows kept, importing again updates instead of duplicating; bad rows on stderr as FILE:LINE: reason, then one JSON line {"kind","encoding","rows","added","updated","errors"}; exits 1 when a row was refused',
    )
    .argument('<file>', 'the CSV file')
    .option('--kind <kind>', 'records (courses completed) or phishing (simulation results)', 'records')
    .action(async (file: string, o: { kind: string }) => {
      if (o.kind !== 'records' && o.kind !== 'phishing')
        throw new CliError(`--kind must be records or phishing, not ${JSON.stringify(o.kind)}`, 2);
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(file);
      } catch (err) {
        throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      const kind = o.kind;
      const r = await withServices((s) => s.training.records.importAs(cliActor, kind, bytes), { existing: true });
      for (const e of r.errors) process.stderr.write(`${file}:${e.line}: ${e.message}\n`);
      process.stdout.write(`${JSON.stringify({ ...r, errors: r.errors.length })}\n`);
      if (r.errors.length > 0) throw new CliError(`training import: ${r.errors.length} of ${r.rows} rows refused`);
    });
}
