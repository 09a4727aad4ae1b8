/**
 * `tocsin access-review --out FILE.csv`: the security officer's access review (issue 17,
 * docs/access-review.md) from the store of the configuration, written as the console's CSV (UTF-8 with
 * BOM), audited as the operating-system account; prints one sentence.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import type { CsvLang } from '../../modules/access-review/index.js';
import { CliError, cliActor, withServices } from '../context.js';

interface AccessReviewOptions {
  out: string;
  lang: string;
  dormantDays: string;
}

/** The checked options (one-line errors otherwise). */
export function accessReviewRequest(o: AccessReviewOptions) {
  if (o.lang !== 'zh' && o.lang !== 'en') throw new CliError('--lang must be zh or en', 2);
  const days = Number(o.dormantDays);
  if (!Number.isInteger(days) || days < 1 || days > 3650)
    throw new CliError('--dormant-days must be a whole number from 1 to 3650', 2);
  return { out: o.out, lang: o.lang as CsvLang, dormantDays: days };
}

export function addAccessReviewCommand(program: Command): void {
  program
    .command('access-review')
    .description(
      'the access review (accounts: role, sign-in method, MFA, last sign-in, dormant, sessions; API tokens: owner, scopes, dates) as CSV for Excel, from the store; audited; prints one sentence',
    )
    .requiredOption('--out <file>', 'the CSV file to write')
    .option('--lang <lang>', 'the headers in zh or en', 'zh')
    .option('--dormant-days <n>', 'no sign-in for this many days makes an account dormant', '90')
    .action(async (o: AccessReviewOptions) => {
      const r = accessReviewRequest(o);
      const review = await withServices((s) => s.accessReview.read(cliActor, r.dormantDays, 'csv'), { existing: true });
      const { accessReviewCsv } = await import('../../modules/access-review/index.js');
      try {
        fs.writeFileSync(r.out, `\uFEFF${accessReviewCsv(review, r.lang)}`);
      } catch (err) {
        throw new CliError(`cannot write ${r.out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      const { accounts, dormant, activeTokens } = review.summary;
      process.stdout.write(
        `Wrote ${r.out}: ${accounts} accounts (${dormant} dormant after ${r.dormantDays} days) and ${review.tokens.length} API tokens (${activeTokens} active).\n`,
      );
    });
}
