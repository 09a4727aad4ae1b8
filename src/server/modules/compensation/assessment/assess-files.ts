/**
 * One assessment over CSV files from options given as text — what `tocsin compensation assess` and the
 * server's assessment of uploaded extracts share: the method's options checked (an `OptionError` names
 * the option), the policy (cap, min, goodwill) and the method's parameters built, the engine run.
 */
import { type CsvEncoding, CsvFileError } from './csv.js';
import { assessItemsCsv } from './item-csv.js';
import { type ItemParams, type ItemSummary, RATE_DECIMALS } from './item-methods.js';
import { fenOf, parseScaled } from './numbers.js';
import { assessOutagePriceDiffCsv, type CsvProblem } from './outage-csv.js';
import type { MethodName } from './lines.js';
import { outageWindow, type OutageSummary } from './outage-price-diff.js';
import type { CustomerAssessment } from './policy.js';

/** The options of a method, as text (the CLI's flags, the API's parameters). */
export interface AssessOptions {
  outageStart?: string;
  outageEnd?: string;
  cap?: string;
  min?: string;
  goodwill?: string;
  rate?: string;
  dayCount?: string;
  amount?: string;
}

/** The files a method reads: orders and prices, or items. */
export interface AssessFiles {
  orders?: string;
  prices?: string;
  items?: string;
}

/** A missing or bad option or file: `option` is its name as the CLI spells it (`outage-start`, `orders`). */
export class OptionError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(message);
  }
}

export interface AssessRun {
  customers: Iterable<CustomerAssessment>;
  summary: OutageSummary | ItemSummary;
}

export async function assessFiles(input: {
  method: MethodName;
  files: AssessFiles;
  options: AssessOptions;
  encoding?: CsvEncoding;
  onProblem: (p: CsvProblem) => void;
}): Promise<AssessRun> {
  const { method, files, options: o } = input;
  const yuanOpt = (name: string, v: string | undefined, dflt: bigint | null): bigint | null => {
    if (v === undefined) return dflt;
    const fen = fenOf(v);
    if (fen === null)
      throw new OptionError(name, `--${name} must be an amount in yuan with at most 2 decimals, not "${v}"`);
    return fen;
  };
  const need = (name: string, v: string | undefined): string => {
    if (v === undefined || v === '') throw new OptionError(name, `--method ${method} needs --${name}`);
    return v;
  };
  const policy = {
    capFen: yuanOpt('cap', o.cap, null),
    minFen: yuanOpt('min', o.min, 0n) ?? 0n,
    goodwillFen: yuanOpt('goodwill', o.goodwill, 0n) ?? 0n,
  };
  if (policy.capFen !== null && policy.minFen > policy.capFen)
    throw new OptionError('min', '--min must not be above --cap');
  try {
    if (method === 'outage-price-diff') {
      const window = outageWindow(need('outage-start', o.outageStart), need('outage-end', o.outageEnd));
      if (typeof window === 'string') {
        const m = /^outage (start|end)/.exec(window);
        throw new OptionError(
          m ? `outage-${m[1]}` : 'outage-end',
          window.replace(/^outage (start|end)/, '--outage-$1'),
        );
      }
      return await assessOutagePriceDiffCsv({
        orders: need('orders', files.orders),
        prices: need('prices', files.prices),
        encoding: input.encoding,
        ...window,
        policy,
        onProblem: input.onProblem,
      });
    }
    const params: ItemParams = { policy };
    if (method === 'delayed-funds') {
      const rate = parseScaled(need('rate', o.rate), RATE_DECIMALS);
      if (rate <= 0) throw new OptionError('rate', `--rate must be a positive annual rate in percent, not "${o.rate}"`);
      params.rate = rate;
      if (o.dayCount !== undefined && o.dayCount !== '365' && o.dayCount !== '360')
        throw new OptionError('day-count', '--day-count must be 365 or 360');
      params.dayBasis = o.dayCount === '360' ? 360 : 365;
    }
    if (method === 'fixed') params.amountFen = yuanOpt('amount', need('amount', o.amount), null) ?? 0n;
    return await assessItemsCsv({
      method,
      file: need('items', files.items),
      encoding: input.encoding,
      params,
      onProblem: input.onProblem,
    });
  } catch (e) {
    if (e instanceof CsvFileError) throw new OptionError('file', e.message);
    throw e;
  }
}
