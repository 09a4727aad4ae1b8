/** `tocsin vulns import`: a scanner file imported on the store (issue 16, docs/vulnerabilities.md). */
import fs from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { VULN_FORMATS, type VulnFormat } from '../../../shared/vulnerability-enums.js';
import { CliError, cliActor, withServices } from '../context.js';

export function addVulnsCommands(program: Command): void {
  const vulns = program.command('vulns').description('vulnerabilities: scanner results, SLA, KEV and EPSS');
  vulns
    .command('import')
    .description(
      'import a scanner file (SARIF 2.1, OpenVAS/Greenbone XML, Nessus .nessus v2, CSV) into the store, streamed, audited as the operating-system account; prints the import\'s result as one JSON line {"id","state","counts":{"new","updated","reopened","closed","rejected"},"rejections":[...]}; exits 1 when the file cannot be read',
    )
    .argument('<file>', 'the scanner file')
    .addOption(new Option('--format <format>', 'the file format').choices([...VULN_FORMATS]).makeOptionMandatory())
    .option('--scanner <name>', 'the scanner (a rescan of the same scanner and scope closes what is gone)')
    .option('--scope <name>', 'which part of the estate the scan covered (default: default)')
    .option('--encoding <name>', 'the encoding when the file has no BOM or declaration (e.g. gbk)')
    .action(async (file: string, o: { format: VulnFormat; scanner?: string; scope?: string; encoding?: string }) => {
      let stat: fs.Stats;
      try {
        stat = fs.statSync(file);
      } catch (err) {
        throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      if (!stat.isFile()) throw new CliError(`${file} is not a file`);
      const result = await withServices(
        (s) =>
          s.vulnerabilities.importFile(cliActor, {
            format: o.format,
            scanner: o.scanner,
            scope: o.scope,
            encoding: o.encoding,
            fileName: path.basename(file),
            path: file,
          }),
        { existing: true },
      );
      process.stdout.write(`${JSON.stringify(result)}\n`);
    });
}
