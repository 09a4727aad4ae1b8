/** Plain-text tables and times for the terminal. */
import stringWidth from 'string-width';

/** Pads to `width` terminal columns (Chinese characters take two). */
const pad = (s: string, width: number) => s + ' '.repeat(Math.max(0, width - stringWidth(s)));

/** Rows under a header, columns padded to the widest cell as the terminal shows it; the last column is not padded. */
export function table(header: string[], rows: string[][]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => stringWidth(r[i] ?? ''))));
  return all.map((r) =>
    r
      .map((c, i) => (i < r.length - 1 ? pad(c, widths[i]!) : c))
      .join('  ')
      .trimEnd(),
  );
}

const two = (n: number) => String(n).padStart(2, '0');

/** This machine's offset from UTC, as shown in headers: "UTC+8", "UTC-5:30", "UTC". */
export function zoneLabel(at = new Date()): string {
  const off = -at.getTimezoneOffset();
  if (off === 0) return 'UTC';
  const h = Math.floor(Math.abs(off) / 60);
  const m = Math.abs(off) % 60;
  return `UTC${off > 0 ? '+' : '-'}${h}${m ? `:${two(m)}` : ''}`;
}

/** An ISO time in this machine's zone, to the minute ("2026-11-12 16:02"); "-" for none. */
export function localTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** Writes a line to stdout. */
export const out = (line: string): void => void process.stdout.write(`${line}\n`);
