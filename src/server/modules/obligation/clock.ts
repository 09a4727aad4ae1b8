/**
 * Clock arithmetic: a deadline `amount` `unit`s after an instant. Deadlines are instants (UTC).
 * Minutes and hours are exact durations. Calendar days, business days and months are counted on the
 * local calendar of the regulator's zone, and the deadline is the end of the last day there (midnight
 * at its close): the day the clock starts on is not counted, so 30 calendar days after 2026-03-02 14:00
 * Beijing time end at 2026-04-02 00:00 Beijing time. A business day is neither a weekend day nor a
 * holiday of the calendar, and a weekend day worked by notice (调休) is one.
 */
import type { BusinessCalendar } from '../../../shared/obligation-schemas.js';
import { instantAt, localDay } from '../../platform/zoned-time.js';
import type { Calendars } from './calendars.js';

export type ClockUnit = 'minutes' | 'hours' | 'calendar_days' | 'business_days' | 'months';

export interface Span {
  amount: number;
  unit: ClockUnit;
  zone: string;
  calendar?: BusinessCalendar | undefined;
}

/** The deadline, or why there is none (no holiday data for a year the count crosses). */
export type DueResult = { due: number } | { missing: { en: string; zh: string } };

const DAY_MS = 86_400_000;
const endOfDay = (epochDay: number, zone: string) => instantAt(epochDay + 1, 0, zone);

export function addSpan(start: number, span: Span, calendars: Calendars): DueResult {
  const { amount, unit, zone } = span;
  if (unit === 'minutes') return { due: start + amount * 60_000 };
  if (unit === 'hours') return { due: start + amount * 3_600_000 };
  const first = localDay(start, zone);
  if (unit === 'calendar_days') return { due: endOfDay(first + amount, zone) };
  if (unit === 'months') {
    const d = new Date(first * DAY_MS);
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth() + amount;
    const lastOfMonth = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
    const day = Date.UTC(y, m, Math.min(d.getUTCDate(), lastOfMonth)) / DAY_MS;
    return { due: endOfDay(day, zone) };
  }
  const calendar = span.calendar ?? 'US';
  let day = first;
  let counted = 0;
  // A business day comes at least every few weeks; the bound only guards against bad data.
  for (let steps = 0; counted < amount && steps < amount * 7 + 60; steps++) {
    day++;
    const verdict = calendars.isBusinessDay(calendar, day);
    if (typeof verdict === 'object')
      return {
        missing: {
          en: `no PRC holiday calendar for ${verdict.missingYear}`,
          zh: `缺少${verdict.missingYear}年的中国节假日安排数据`,
        },
      };
    if (verdict) counted++;
  }
  return { due: endOfDay(day, zone) };
}

/** "4 hours", "30 calendar days", "4 US business days", "1 month" and the Chinese. */
export function spanText(span: Pick<Span, 'amount' | 'unit' | 'calendar'>): { en: string; zh: string } {
  const { amount: n, unit } = span;
  const s = n === 1 ? '' : 's';
  switch (unit) {
    case 'minutes':
      return { en: `${n} minute${s}`, zh: `${n}分钟` };
    case 'hours':
      return { en: `${n} hour${s}`, zh: `${n}小时` };
    case 'calendar_days':
      return { en: `${n} calendar day${s}`, zh: `${n}个自然日` };
    case 'months':
      return { en: `${n} month${s}`, zh: `${n}个月` };
    case 'business_days':
      return span.calendar === 'CN'
        ? { en: `${n} PRC working day${s}`, zh: `${n}个中国工作日` }
        : { en: `${n} US business day${s}`, zh: `${n}个美国工作日` };
  }
}
