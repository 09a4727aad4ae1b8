/**
 * `tocsin compensation assess`: the assessment engine over CSV files (docs/compensation.md), for
 * compliance officers and scripts. Needs neither a store nor a server: nothing here opens the database.
 */
import type { Command } from 'commander';
import type { AssessFiles, AssessOptions } from '../../modules/compensation/index.js';
import { CliError } from '../context.js';

const METHODS = ['outage-price-diff', 'fraud-loss', 'delayed-funds', 'fee-refund', 'fixed'] as const;
type Method = (typeof METHODS)[number];

const HELP = `
Methods and their inputs (CSV with a header row; UTF-8, with or without BOM, or --encoding gbk):
  outage-price-diff  --orders FILE --prices FILE --outage-start ISO --outage-end ISO
      orders: order_id, customer, account, security, side (buy|sell), quantity, price (empty: market
      order), time (ISO-8601 with offset), status; prices: security, time, price. Orders rejected or
      failed in [start, end): P0 = limit price, else last trade at or before the order; P1 = first
      trade at or after the end; loss = max(0, (P1 - P0) x qty) for a buy, (P0 - P1) x qty for a sell.
  fraud-loss     --items FILE   customer, amount, recovered (+ account, reference, time): amount - recovered
  delayed-funds  --items FILE --rate PERCENT [--day-count 365|360]   customer, amount, and days or
                 from, to (YYYY-MM-DD): amount x rate% x days / day count
  fee-refund     --items FILE   customer, fee: the fees
  fixed          --items FILE --amount YUAN   customer: the same amount for each customer listed
  A customer's loss is exact and rounded half-up to the fen once; it is capped at --cap, and a loss of
  zero or below --min gets --goodwill instead (basis "goodwill"); fixed ignores --cap/--min/--goodwill.

Output: one JSON line per customer sorted by id, {"customer", "orders" (or "items"), "loss",
"compensation", "basis"} (yuan, two places), then a summary line {"customers", "total_compensation",
"total_loss", "goodwill_customers", "skipped", ...}. Each skipped row on stderr as FILE:LINE: reason.
Exit 0 when the assessment ran (rows skipped or not); 1 with one line for a bad option or file.

Example:
  tocsin compensation assess --method outage-price-diff --orders orders.csv --prices prices.csv \\
    --outage-start 2026-03-02T10:00:00+08:00 --outage-end 2026-03-02T10:30:00+08:00 --cap 5000 --min 10 --goodwill 50`;

interface Options extends AssessOptions, AssessFiles {
  method: string;
  encoding: string;
}

/** Batched writes to a standard stream (synchronous for files and pipes on Linux). */
function writer(stream: NodeJS.WriteStream): { line: (s: string) => void; flush: () => void } {
  let buf = '';
  const flush = () => {
    if (buf) stream.write(buf);
    buf = '';
  };
  return {
    line: (s) => {
      buf += `${s}\n`;
      if (buf.length > 1 << 16) flush();
    },
    flush,
  };
}

async function assess(o: Options): Promise<void> {
  const m = await import('../../modules/compensation/index.js');
  if (!(METHODS as readonly string[]).includes(o.method))
    throw new CliError(`--method must be one of ${METHODS.join(', ')}, not "${o.method}"`);
  const method = o.method as Method;
  if (o.encoding !== 'utf8' && o.encoding !== 'gbk') throw new CliError('--encoding must be utf8 or gbk');
  const out = writer(process.stdout);
  const err = writer(process.stderr);
  let run: Awaited<ReturnType<typeof m.assessFiles>>;
  try {
    run = await m.assessFiles({
      method,
      files: { orders: o.orders, prices: o.prices, items: o.items },
      options: o,
      encoding: o.encoding,
      onProblem: (p) => err.line(`${p.file}:${p.line}: ${p.reason}`),
    });
  } catch (e) {
    err.flush();
    if (e instanceof m.OptionError) throw new CliError(e.message);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR')
      throw new CliError(`cannot read ${(e as NodeJS.ErrnoException).path ?? 'a file'} (${code})`);
    throw e;
  }
  err.flush();
  for (const c of run.customers) out.line(m.customerLine(c, method));
  out.line(m.summaryLine(run.summary));
  out.flush();
}

export function addCompensationCommands(program: Command): void {
  const compensation = program
    .command('compensation')
    .description('loss assessment and compensation (赔偿) after an incident: exact amounts per customer');
  compensation
    .command('assess')
    .description(
      "assess customers' losses from CSV files with a method and print one JSON line per customer (loss, " +
        'compensation, basis) and a summary; bad rows on stderr as FILE:LINE: reason; needs no store or server',
    )
    .requiredOption('--method <method>', `${METHODS.join(' | ')}`)
    .option('--orders <file>', 'outage-price-diff: the orders CSV')
    .option('--prices <file>', 'outage-price-diff: the trade prices CSV')
    .option('--outage-start <iso>', 'outage-price-diff: start of the outage (inclusive), ISO-8601 with offset')
    .option('--outage-end <iso>', 'outage-price-diff: end of the outage (exclusive), ISO-8601 with offset')
    .option('--items <file>', 'fraud-loss, delayed-funds, fee-refund, fixed: the items CSV')
    .option('--cap <yuan>', 'highest compensation of a customer')
    .option('--min <yuan>', 'a loss below this (or zero) gets the goodwill amount instead (default 0)')
    .option('--goodwill <yuan>', 'what a customer with a loss of zero or below --min is offered (default 0)')
    .option('--rate <percent>', 'delayed-funds: annual interest rate in percent, e.g. 1.5')
    .option('--day-count <days>', 'delayed-funds: days in the year, 365 or 360 (default 365)')
    .option('--amount <yuan>', 'fixed: the amount for each customer')
    .option('--encoding <encoding>', 'utf8 or gbk (GB18030)', 'utf8')
    .addHelpText('after', HELP)
    .action(assess);
}
