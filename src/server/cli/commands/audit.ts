/** `tocsin audit verify|anchor|export`: the tamper-evident audit log of the store. */
import fs from 'node:fs';
import type { Command } from 'commander';
import { CliError, withServices } from '../context.js';
import { out } from '../table.js';

export function addAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description(
      'check every link of the hash chain; exits 0 when intact, 1 naming the first entry that does not verify',
    )
    .option(
      '--anchors <file>',
      'also check the anchors in FILE (lines written by `tocsin audit anchor`): each anchored entry must still be there with its hash, so entries cut off the end or a rewritten chain show',
    )
    .action(async (o: { anchors?: string }) => {
      const anchors = o.anchors ? readAnchors(o.anchors) : [];
      const r = await withServices((s) => s.audit.verify({ anchors }), { existing: true });
      if (!r.ok)
        throw new CliError(
          `audit chain BROKEN at entry ${r.firstBad!.seq}: ${r.firstBad!.reason} (${r.checked} entries verified before it)`,
        );
      out(
        `audit chain intact: ${r.checked} entries verified${anchors.length ? `, ${anchors.length} anchor(s) match` : ''}${r.head ? `; head: entry ${r.head.seq}, hash ${r.head.hash}` : ''}`,
      );
    });
  audit
    .command('anchor')
    .description(
      "print the newest audit entry's number and hash as one JSON line, after verifying the chain: append it to a file kept elsewhere (other storage, a ticket, mail to compliance) and check against it later with `verify --anchors`",
    )
    .action(async () => {
      const r = await withServices((s) => s.audit.verify(), { existing: true });
      if (!r.ok)
        throw new CliError(
          `audit chain BROKEN at entry ${r.firstBad!.seq}: ${r.firstBad!.reason}; not anchoring a broken chain`,
        );
      if (!r.head) throw new CliError('the audit log is empty: nothing to anchor yet');
      process.stdout.write(`${JSON.stringify({ seq: r.head.seq, hash: r.head.hash, at: new Date().toISOString() })}\n`);
    });
  audit
    .command('export')
    .description('write the whole audit log, oldest first, as NDJSON (one JSON entry a line) to stdout')
    .action(async () => {
      await withServices(
        async (s) => {
          for await (const e of s.audit.exportAll()) process.stdout.write(`${JSON.stringify(e)}\n`);
        },
        { existing: true },
      );
    });
}

/** Anchors from an NDJSON file (one {"seq", "hash"} a line); a bad line is a one-line error naming it. */
function readAnchors(file: string): { seq: number; hash: string }[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(
      `cannot read the anchors file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return text.split('\n').flatMap((line, i) => {
    if (!line.trim()) return [];
    try {
      const a = JSON.parse(line) as { seq?: unknown; hash?: unknown };
      if (
        Number.isInteger(a.seq) &&
        (a.seq as number) > 0 &&
        typeof a.hash === 'string' &&
        /^[0-9a-f]{64}$/.test(a.hash)
      )
        return [{ seq: a.seq as number, hash: a.hash }];
    } catch {
      // reported below
    }
    throw new CliError(
      `${file} line ${i + 1} is not an anchor: expected {"seq": N, "hash": "<64 hex>"} as written by tocsin audit anchor`,
    );
  });
}
