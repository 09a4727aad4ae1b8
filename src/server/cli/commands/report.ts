/**
 * `tocsin report monthly|quarterly|annual`: a management report (issue 16, docs/management-reports.md)
 * of a period, from the store of the configuration, written to a PDF or XLSX file; `--keep` also keeps it
 * in the store (listed in the console, audited as the operating-system account).
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { JSON_OPT } from './options.js';
import {
  MGMT_REPORT_FORMATS,
  MGMT_REPORT_LANGS,
  PERIOD_PATTERNS,
  type MgmtReportFormat,
  type MgmtReportKind,
  type MgmtReportLang,
} from '../../../shared/management-report-enums.js';
import type { Services } from '../../compose.js';
import { CliError, cliActor, withServices } from '../context.js';

interface ReportOptions {
  lang: string;
  out: string;
  format?: string;
  keep?: boolean;
  json?: boolean;
}

const PERIOD_OPTION: Record<MgmtReportKind, { flag: string; name: 'month' | 'quarter' | 'year'; hint: string }> = {
  monthly: { flag: '--month <YYYY-MM>', name: 'month', hint: 'YYYY-MM' },
  quarterly: { flag: '--quarter <YYYY-Qn>', name: 'quarter', hint: 'YYYY-Qn' },
  annual: { flag: '--year <YYYY>', name: 'year', hint: 'YYYY' },
};

/** The checked request of a `tocsin report` command line (one-line errors otherwise). */
export function reportRequest(kind: MgmtReportKind, period: string | undefined, o: ReportOptions) {
  const opt = PERIOD_OPTION[kind];
  if (!period || !PERIOD_PATTERNS[kind].test(period)) throw new CliError(`--${opt.name} must be ${opt.hint}`, 2);
  if (!(MGMT_REPORT_LANGS as readonly string[]).includes(o.lang)) throw new CliError('--lang must be zh or en', 2);
  const format = o.format ?? (o.out.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'pdf');
  if (!(MGMT_REPORT_FORMATS as readonly string[]).includes(format))
    throw new CliError('--format must be pdf or xlsx', 2);
  return {
    input: { kind, period, lang: o.lang as MgmtReportLang },
    format: format as MgmtReportFormat,
    out: o.out,
    keep: o.keep === true,
  };
}

/** Makes the report and writes the file; the summary line printed. */
export async function runReport(s: Services, r: ReturnType<typeof reportRequest>) {
  const made = r.keep
    ? (await s.managementReports.keep(cliActor, null, r.input, 'request')).rendered
    : await s.managementReports.render(r.input);
  const bytes = r.format === 'pdf' ? made.pdf : made.xlsx;
  try {
    fs.writeFileSync(r.out, bytes);
  } catch (err) {
    throw new CliError(`cannot write ${r.out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return { file: r.out, format: r.format, bytes: bytes.length, title: made.content.title, kept: r.keep };
}

export function addReportCommands(program: Command): void {
  const report = program
    .command('report')
    .description('management reports (PDF or XLSX) of a month, quarter or year, from the store');
  for (const kind of ['monthly', 'quarterly', 'annual'] as const) {
    const opt = PERIOD_OPTION[kind];
    report
      .command(kind)
      .description(
        `the ${kind} management report of the ${opt.name} to FILE (PDF, or XLSX of its figures with --format xlsx or a .xlsx name); prints what it wrote (--json: one line {"file","format","bytes","title","kept"})`,
      )
      .option(opt.flag, `the ${opt.name}, ${opt.hint}`)
      .option('--lang <lang>', 'zh or en', 'zh')
      .requiredOption('--out <file>', 'the file to write')
      .option('--format <format>', 'pdf or xlsx (default: from the file name, else pdf)')
      .option('--keep', 'also keep the report in the store (audited as the operating-system account)')
      .option(...JSON_OPT)
      .action(async (o: ReportOptions & Record<'month' | 'quarter' | 'year', string | undefined>) => {
        const r = reportRequest(kind, o[opt.name], o);
        const out = await withServices((s) => runReport(s, r), { existing: true });
        process.stdout.write(
          o.json
            ? `${JSON.stringify(out)}\n`
            : `wrote ${out.file}: ${out.title} (${out.format.toUpperCase()}, ${Math.ceil(out.bytes / 1024)} KB)${out.kept ? ', kept in the store' : ''}\n`,
        );
      });
  }
}
