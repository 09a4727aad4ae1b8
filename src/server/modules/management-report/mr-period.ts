/** Report periods: a month `YYYY-MM`, a quarter `YYYY-Qn`, a year `YYYY` — their days, months and the period before. */
import type { MgmtReportKind } from '../../../shared/management-report-schemas.js';

export interface Period {
  kind: MgmtReportKind;
  /** As written: `2026-11`, `2026-Q4`, `2026`. */
  key: string;
  /** First and last day, `YYYY-MM-DD` (the KPI filter's `from`/`to`). */
  from: string;
  to: string;
  /** The months of the period, `YYYY-MM`. */
  months: string[];
}

const pad = (n: number) => String(n).padStart(2, '0');
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const monthKey = (y: number, m: number) => `${y}-${pad(m)}`;

function span(kind: MgmtReportKind, key: string, y: number, firstMonth: number, n: number): Period {
  const months = Array.from({ length: n }, (_, i) => monthKey(y, firstMonth + i));
  const last = firstMonth + n - 1;
  return { kind, key, from: `${y}-${pad(firstMonth)}-01`, to: `${y}-${pad(last)}-${pad(daysIn(y, last))}`, months };
}

/** The period of `key` (already checked against the kind's pattern). */
export function periodOf(kind: MgmtReportKind, key: string): Period {
  const y = Number(key.slice(0, 4));
  if (kind === 'monthly') return span(kind, key, y, Number(key.slice(5, 7)), 1);
  if (kind === 'quarterly') {
    const q = Number(key.slice(6));
    return span(kind, key, y, (q - 1) * 3 + 1, 3);
  }
  return span(kind, key, y, 1, 12);
}

/** The period just before (for the ▲▼ comparison). */
export function previousPeriod(p: Period): Period {
  const y = Number(p.key.slice(0, 4));
  if (p.kind === 'monthly') {
    const m = Number(p.key.slice(5, 7));
    return periodOf('monthly', m === 1 ? monthKey(y - 1, 12) : monthKey(y, m - 1));
  }
  if (p.kind === 'quarterly') {
    const q = Number(p.key.slice(6));
    return periodOf('quarterly', q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`);
  }
  return periodOf('annual', String(y - 1));
}

/**
 * The periods that end just before the local day `today` (`YYYY-MM-DD`): last month always, last quarter
 * in a quarter's first month, last year in January — what the scheduler makes on its day.
 */
export function periodsDue(today: string): Period[] {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const prevMonth = m === 1 ? monthKey(y - 1, 12) : monthKey(y, m - 1);
  const out = [periodOf('monthly', prevMonth)];
  if (m % 3 === 1) {
    const q = (m - 1) / 3; // the quarter just ended: 0 means Q4 of last year
    out.push(periodOf('quarterly', q === 0 ? `${y - 1}-Q4` : `${y}-Q${q}`));
  }
  if (m === 1) out.push(periodOf('annual', String(y - 1)));
  return out;
}
