/** CSV text for the files Tocsin hands out (bank batch files, timeline exports): RFC 4180 quoting, CRLF. */

const needsQuotes = /[",\r\n]/;
/** A cell a spreadsheet would read as a formula (OWASP "CSV injection"): = + - @, tab or CR first. */
const formulaLike = /^[=+\-@\t\r]/;

const cell = (v: string | number | null, guard: boolean) => {
  let s = v === null ? '' : String(v);
  if (guard && typeof v === 'string' && formulaLike.test(s)) s = `'${s}`;
  return needsQuotes.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * A header row and one row per record, CRLF line ends. `guardFormulas`: text cells that start like a
 * formula get a leading apostrophe — for files whose cells carry words from outside (events, customers).
 */
export function csvText(
  header: readonly string[],
  rows: (string | number | null)[][],
  opts: { guardFormulas?: boolean } = {},
): string {
  const guard = opts.guardFormulas ?? false;
  return `${[header, ...rows].map((r) => r.map((c) => cell(c, guard)).join(',')).join('\r\n')}\r\n`;
}
