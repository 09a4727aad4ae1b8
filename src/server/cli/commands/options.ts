/** Options that several API commands (`incidents`, `alerts`) share. */
import { CliError } from '../context.js';

export const JSON_OPT = ['--json', 'print JSON instead of a table (one object a line for lists)'] as const;

/** The value of `--limit`: a whole number from 1 to 10000. */
export function limitArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new CliError('--limit must be a whole number from 1 to 10000');
  return n;
}
