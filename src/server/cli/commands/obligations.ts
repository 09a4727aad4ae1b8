/**
 * `tocsin obligations evaluate FILE|-`: which regulatory obligations incident facts trigger, and by when
 * (docs/obligations.md); `tocsin obligations list`: the catalog. Both read the shipped catalog
 * (`obligations/`) or the one `--catalog DIR` names, and need neither a store nor a server.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import type { ObligationCatalog } from '../../modules/obligation/index.js';
import { CliError } from '../context.js';
import { out } from '../table.js';

const MAX_FACTS_BYTES = 1024 * 1024;

const FACTS_HELP = `
Facts (JSON; every part and field may be absent, which means unknown; times ISO-8601 with an offset):
  {"firm": {"jurisdictions": ["CN","US","EU","HK"], "cii_operator": false, "us_broker_dealer": true,
            "listed_us": true, "dora_entity": false},
   "incident": {"grade": "III", "discovered_at": "2026-03-02T09:00:00+08:00", "aware_at": ...,
            "classified_at": ..., "materiality_determined_at": ..., "handling_ended_at": ...,
            "personal_info_records": 1200, "sensitive_customer_info": true, "customers_affected": 1200,
            "clients_total": 50000, "downtime_minutes": 45, "economic_impact_eur": 20000, "dora_major": null},
   "reports": {"dora_initial_submitted_at": ..., "dora_intermediate_submitted_at": ...}}

Output: one JSON object a line per obligation stage that applies ("applies": "yes") or may apply once an
unknown fact is known ("unknown"): {"obligation", "stage", "due" (UTC, or null when the moment its clock
starts from is unknown), "applies", "starts", "why", "why_zh"}; nothing for obligations that do not apply.

Example:
  echo '{"firm":{"jurisdictions":["CN"],"cii_operator":false},"incident":{"grade":"III","discovered_at":"2026-03-02T09:00:00+08:00"}}' \\
    | tocsin obligations evaluate -`;

async function catalogFrom(dir: string | undefined): Promise<ObligationCatalog> {
  const { bundledObligationCatalog, CatalogError, loadObligationCatalog } = await import(
    '../../modules/obligation/index.js'
  );
  try {
    return dir ? loadObligationCatalog(dir) : bundledObligationCatalog();
  } catch (err) {
    if (!(err instanceof CatalogError)) throw err;
    for (const p of err.problems) process.stderr.write(`${p}\n`);
    throw new CliError(
      `the obligation catalog is not valid (${err.problems.length} problem${err.problems.length === 1 ? '' : 's'})`,
    );
  }
}

function readFacts(file: string): string {
  try {
    const fd = file === '-' ? 0 : fs.openSync(file, 'r');
    const text = fs.readFileSync(fd, 'utf8');
    if (Buffer.byteLength(text) > MAX_FACTS_BYTES) throw new CliError(`${file}: facts larger than 1 MB`);
    return text;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** The facts of a file (or stdin), or a one-line error naming the field at fault. */
async function factsOf(file: string) {
  const { parseFacts } = await import('../../modules/obligation/index.js');
  const parsed = parseFacts(readFacts(file));
  if ('error' in parsed) throw new CliError(`${file === '-' ? 'stdin' : file}: ${parsed.error}`);
  return parsed.facts;
}

export function addObligationsCommands(program: Command): void {
  const obligations = program
    .command('obligations')
    .description('regulatory obligations (报送义务): what incident facts require of the firm, to whom, by when');
  obligations
    .command('evaluate')
    .description(
      'read incident facts (JSON) and print one JSON line per applicable obligation stage with its deadline and why; ' +
        'bad JSON or a fact of the wrong type is one line naming the field, exit 1',
    )
    .argument('<file>', 'facts file, or - for standard input')
    .option('--catalog <dir>', 'an obligation catalog folder instead of the shipped obligations/')
    .addHelpText('after', FACTS_HELP)
    .action(async (file: string, o: { catalog?: string }) => {
      const { evaluate } = await import('../../modules/obligation/index.js');
      const facts = await factsOf(file);
      const catalog = await catalogFrom(o.catalog);
      for (const e of evaluate(catalog.obligations, facts, catalog.calendars).entries) out(JSON.stringify(e));
    });
  obligations
    .command('compare')
    .description(
      'what a change of facts does: evaluates BEFORE and AFTER (JSON facts files, one may be -) and prints one JSON ' +
        'line per change: {"change": "started", ...the entry}, {"change": "stopped", "obligation", "stage", "why", ' +
        '"why_zh"} with why it no longer applies, or {"change": "changed", ...the new entry, "due_before", "applies_before"}',
    )
    .argument('<before>', 'facts before the change')
    .argument('<after>', 'facts after the change')
    .option('--catalog <dir>', 'an obligation catalog folder instead of the shipped obligations/')
    .action(async (before: string, after: string, o: { catalog?: string }) => {
      if (before === '-' && after === '-') throw new CliError('only one of BEFORE and AFTER can be standard input');
      const { compareEvaluations, evaluate } = await import('../../modules/obligation/index.js');
      const [b, a] = [await factsOf(before), await factsOf(after)];
      const catalog = await catalogFrom(o.catalog);
      const run = (facts: typeof a) => evaluate(catalog.obligations, facts, catalog.calendars);
      const changes = compareEvaluations(run(b), run(a));
      for (const e of changes.started) out(JSON.stringify({ change: 'started', ...e }));
      for (const s of changes.stopped) out(JSON.stringify({ change: 'stopped', ...s }));
      for (const { before: was, after: now } of changes.changed)
        out(JSON.stringify({ change: 'changed', ...now, due_before: was.due, applies_before: was.applies }));
    });
  obligations
    .command('list')
    .description(
      'the obligation catalog: id, stage, clock, regulator and source, one line each (--json: the whole entries)',
    )
    .option('--catalog <dir>', 'an obligation catalog folder instead of the shipped obligations/')
    .option('--json', 'one catalog entry a line, as JSON')
    .action(async (o: { catalog?: string; json?: boolean }) => {
      const catalog = await catalogFrom(o.catalog);
      for (const ob of catalog.obligations) {
        if (o.json) {
          out(JSON.stringify(ob));
          continue;
        }
        for (const s of ob.stages) {
          const c = s.clock;
          const unit = `${c.unit === 'business_days' ? `${c.calendar} ` : ''}${c.unit.replace('_', ' ')}`;
          const variant = c.when_firm ? ` (${c.when_firm.amount} if ${c.when_firm.flag})` : '';
          const clock = `${c.amount} ${c.amount === 1 ? unit.replace(/s$/, '') : unit}${variant} from ${c.starts}`;
          const flag = c.configurable ? ' (a default, firm-configurable)' : '';
          out(`${ob.id.padEnd(19)}${s.stage.padEnd(14)}${clock.padEnd(62)}${ob.name.en}${flag}`);
        }
      }
      out(`PRC holiday calendars: ${catalog.calendars.prcYears().join(', ') || 'none'}; US federal holidays by rule`);
    });
}
