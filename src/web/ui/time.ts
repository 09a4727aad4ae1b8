/** Time and money formatting with Intl: the viewer's zone (Asia/Shanghai when the browser names none). */
const FALLBACK_ZONE = 'Asia/Shanghai';

/** The zone times are shown in. */
export function displayTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || FALLBACK_ZONE;
  } catch {
    return FALLBACK_ZONE;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, withSeconds: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${withSeconds}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone: displayTimeZone(),
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: withSeconds ? '2-digit' : undefined,
      hourCycle: 'h23',
    });
    formatters.set(key, f);
  }
  return f;
}

/** A timestamp as date and time in the display zone. */
export function formatDateTime(iso: string | null | undefined, locale: string, withSeconds = false): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : formatter(locale, withSeconds).format(d);
}

/** A duration as [d] hh:mm:ss (days only when there are any). */
export function formatDuration(ms: number, dayLabel = 'd'): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const hms = [h, m, s].map((n) => String(n).padStart(2, '0')).join(':');
  return days > 0 ? `${days}${dayLabel} ${hms}` : hms;
}

/** How many minor units a currency has (2 for CNY, 0 for JPY). */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Money stored as integer minor units, shown in the locale's currency style. */
export function formatMoney(amountMinor: number, currency: string, locale: string): string {
  const digits = currencyDigits(currency);
  const value = amountMinor / 10 ** digits;
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(value);
  } catch {
    return `${value.toFixed(digits)} ${currency}`;
  }
}

/** Convert a decimal amount typed by a person ("1234.5") to integer minor units without float error. */
export function toMinorUnits(amount: string | number, currency: string): number | null {
  const text = String(amount).trim().replace(/,/g, '');
  if (text === '') return null;
  const m = /^(\d+)(?:\.(\d*))?$/.exec(text);
  if (!m) return null;
  const digits = currencyDigits(currency);
  const frac = (m[2] ?? '').padEnd(digits, '0');
  if (frac.length > digits) return null;
  const units = Number(m[1]) * 10 ** digits + (digits ? Number(frac) : 0);
  return Number.isSafeInteger(units) ? units : null;
}

/** A local datetime-local input value ("2026-11-28T14:30") as an ISO UTC timestamp. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Integer minor units as a plain decimal string for an input ("125000050" CNY → "1250000.50"). */
export function fromMinorUnits(amountMinor: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(amountMinor);
  const s = String(amountMinor).padStart(digits + 1, '0');
  return `${s.slice(0, -digits)}.${s.slice(-digits)}`;
}
