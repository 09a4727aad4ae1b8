/** `tocsin evidence add|verify`: the evidence locker of the store (issue 15, docs/evidence.md). */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CliError, cliActor, withServices } from '../context.js';

const line = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);

export function addEvidenceCommands(program: Command): void {
  const evidence = program.command('evidence').description("the evidence locker: incidents' preserved files");
  evidence
    .command('add')
    .description(
      'add FILE to the evidence of INCIDENT (a key such as INC-2026-0001): streamed into the blob store, hashed SHA-256 and MD5, audited as the operating-system account; prints one JSON line {"id","sha256","md5","bytes"}',
    )
    .argument('<incident>', 'the incident key')
    .argument('<file>', 'the file to add')
    .option('--description <text>', 'what the file is')
    .option('--source-system <text>', 'the system it was taken from')
    .option('--acquisition-method <text>', 'how it was taken (a tool, an export, a copy)')
    .option('--acquirer-sha256 <hex>', "the acquirer's own SHA-256 of the file: a different one is kept and flagged")
    .action(
      async (
        incident: string,
        file: string,
        o: { description?: string; sourceSystem?: string; acquisitionMethod?: string; acquirerSha256?: string },
      ) => {
        let stat: fs.Stats;
        try {
          stat = fs.statSync(file);
        } catch (err) {
          throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        }
        if (!stat.isFile()) throw new CliError(`${file} is not a file`);
        const r = await withServices(
          (s) => s.evidence.locker.addFile(cliActor, incident, fs.createReadStream(file), path.basename(file), o),
          { existing: true },
        );
        line(r);
      },
    );
  evidence
    .command('verify')
    .description(
      're-hash every stored (not deleted) evidence item from the blob store: one JSON line per item that changed or went missing ({"problem","id","incident",...}), then a summary line {"checked","changed","missing"}; exits 1 when there is any problem',
    )
    .option('--incident <key>', "only this incident's items")
    .action(async (o: { incident?: string }) => {
      const totals = await withServices((s) => s.evidence.locker.verify(o.incident ?? null, line), { existing: true });
      line(totals);
      if (totals.changed + totals.missing > 0)
        throw new CliError(
          `evidence verify: ${totals.changed} item(s) changed, ${totals.missing} missing of ${totals.checked}`,
        );
    });
  evidence
    .command('check-package')
    .description(
      'check an evidence package as its recipient does, without a store: the ZIP read safely (traversal, links, zip bombs refused), manifest.sig verified over manifest.json (with --public-key, else the package\'s signing-key.pem: compare its fingerprint with the one the firm published), every item and manifest.pdf re-hashed against the manifest and SHA256SUMS; one JSON line per problem, then {"ok","items","problems","fingerprint"}; exits 0 when all is good, 1 otherwise, 2 when the file cannot be read',
    )
    .argument('<file>', 'the package (ZIP)')
    .option('--public-key <pem-file>', "Tocsin's public key (PEM), as the firm published it")
    .action(async (file: string, o: { publicKey?: string }) => {
      let pem: Buffer | undefined;
      if (o.publicKey) {
        try {
          pem = fs.readFileSync(o.publicKey);
        } catch (err) {
          throw new CliError(
            `cannot read ${o.publicKey}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
            2,
          );
        }
      }
      const { checkPackage, PackageUnreadable } = await import('../../modules/evidence/index.js');
      let summary: Awaited<ReturnType<typeof checkPackage>>;
      try {
        summary = await checkPackage(file, { publicKeyPem: pem }, line);
      } catch (err) {
        if (err instanceof PackageUnreadable) throw new CliError(`check-package: ${err.message}`, 2);
        throw err;
      }
      line(summary);
      if (!o.publicKey && summary.fingerprint)
        process.stderr.write(
          `tocsin: checked with the key inside the package (SHA-256 fingerprint ${summary.fingerprint}): compare it with the fingerprint the firm published, or pass --public-key\n`,
        );
      if (!summary.ok) throw new CliError(`check-package: ${summary.problems} problem(s)`);
    });
}
