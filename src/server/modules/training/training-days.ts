/** Days as YYYY-MM-DD strings: today in the firm's zone, months added, a record's effective expiry. */
import { localDay } from '../../platform/zoned-time.js';

export const dayOf = (epochDay: number) => new Date(epochDay * 86_400_000).toISOString().slice(0, 10);
export const todayIn = (now: number, timeZone: string) => dayOf(localDay(now, timeZone));

/** `day` plus `n` days. */
export const addDays = (day: string, n: number) => dayOf(Date.parse(`${day}T00:00:00Z`) / 86_400_000 + n);

/** `day` plus `months` (the 31st of a shorter month becomes its last day). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = total % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/**
 * The last day a record is valid: its expiry as recorded, else its completion plus the required course's
 * period, else null (it does not expire).
 */
export function effectiveExpiry(
  r: { completed_on: string; expires_on: string | null },
  periodMonths: number | undefined,
): string | null {
  if (r.expires_on) return r.expires_on;
  return periodMonths ? addMonths(r.completed_on, periodMonths) : null;
}

/** Valid on `today`: no expiry, or the expiry is today or later. */
export const validOn = (expiry: string | null, today: string) => expiry === null || expiry >= today;
