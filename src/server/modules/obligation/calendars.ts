/**
 * Business-day calendars. PRC: data, one file per year (`obligations/calendars/cn-YYYY.yml`, from the
 * State Council's notice for that year: public holidays and the weekend days worked instead, 调休); a
 * year without a file is unknown, never guessed. US: federal holidays computed by rule (5 U.S.C. 6103;
 * a Saturday holiday is observed the Friday before, a Sunday one the Monday after; Juneteenth since 2021).
 * Days are epoch days of the local civil calendar (platform/zoned-time.ts).
 */
import { z } from 'zod';
import type { BusinessCalendar } from '../../../shared/obligation-schemas.js';
import { isoWeekday, parseLocalDate } from '../../platform/zoned-time.js';

const date = z.iso.date();
const Range = z.strictObject({ from: date, to: date });

export const PrcYearFile = z
  .strictObject({
    year: z.number().int().min(2000).max(2200),
    source: z.strictObject({ title: z.string().min(1), issued: date, url: z.url() }),
    holidays: z.array(z.union([date, Range])).min(1),
    working_days: z.array(date).default([]),
  })
  .superRefine((f, ctx) => {
    const inYear = (d: string) => d.startsWith(`${f.year}-`);
    f.holidays.forEach((h, i) => {
      const [from, to] = typeof h === 'string' ? [h, h] : [h.from, h.to];
      if (!inYear(from) || !inYear(to) || from > to)
        ctx.addIssue({ code: 'custom', path: ['holidays', i], message: `not a range of days of ${f.year}` });
    });
    f.working_days.forEach((d, i) => {
      const day = parseLocalDate(d);
      if (!inYear(d) || day === null || isoWeekday(day) < 6)
        ctx.addIssue({ code: 'custom', path: ['working_days', i], message: `not a Saturday or Sunday of ${f.year}` });
    });
  });
export type PrcYearFile = z.infer<typeof PrcYearFile>;

export interface PrcYear {
  holidays: Set<number>;
  workingDays: Set<number>;
}

/** The epoch days of a year file's holidays and adjusted working days. */
export function prcYear(file: PrcYearFile): PrcYear {
  const holidays = new Set<number>();
  for (const h of file.holidays) {
    const [from, to] = typeof h === 'string' ? [h, h] : [h.from, h.to];
    for (let d = parseLocalDate(from)!; d <= parseLocalDate(to)!; d++) holidays.add(d);
  }
  return { holidays, workingDays: new Set(file.working_days.map((d) => parseLocalDate(d)!)) };
}

const yearOf = (epochDay: number) => new Date(epochDay * 86_400_000).getUTCFullYear();
const dayOf = (year: number, month: number, day: number) => Date.UTC(year, month - 1, day) / 86_400_000;

/** The `n`th (1-based) given ISO weekday of a month; n = -1 is the last. */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  if (n > 0) {
    const first = dayOf(year, month, 1);
    return first + ((weekday - isoWeekday(first) + 7) % 7) + (n - 1) * 7;
  }
  const last = dayOf(year, month + 1, 1) - 1;
  return last - ((isoWeekday(last) - weekday + 7) % 7);
}

/** A fixed-date holiday's observed day: Saturday -> Friday, Sunday -> Monday. */
function observed(day: number): number {
  const wd = isoWeekday(day);
  return wd === 6 ? day - 1 : wd === 7 ? day + 1 : day;
}

/** The observed US federal holidays of a year's dates (New Year's Day of the next year may fall on Dec 31). */
export function usFederalHolidays(year: number): { day: number; name: string }[] {
  const list = [
    { day: observed(dayOf(year, 1, 1)), name: "New Year's Day" },
    { day: nthWeekday(year, 1, 1, 3), name: 'Birthday of Martin Luther King, Jr.' },
    { day: nthWeekday(year, 2, 1, 3), name: "Washington's Birthday" },
    { day: nthWeekday(year, 5, 1, -1), name: 'Memorial Day' },
    ...(year >= 2021 ? [{ day: observed(dayOf(year, 6, 19)), name: 'Juneteenth National Independence Day' }] : []),
    { day: observed(dayOf(year, 7, 4)), name: 'Independence Day' },
    { day: nthWeekday(year, 9, 1, 1), name: 'Labor Day' },
    { day: nthWeekday(year, 10, 1, 2), name: 'Columbus Day' },
    { day: observed(dayOf(year, 11, 11)), name: 'Veterans Day' },
    { day: nthWeekday(year, 11, 4, 4), name: 'Thanksgiving Day' },
    { day: observed(dayOf(year, 12, 25)), name: 'Christmas Day' },
  ];
  const nextNewYear = observed(dayOf(year + 1, 1, 1));
  if (yearOf(nextNewYear) === year) list.push({ day: nextNewYear, name: "New Year's Day (observed)" });
  return list.filter((h) => yearOf(h.day) === year);
}

const usCache = new Map<number, Set<number>>();
function usHolidaySet(year: number): Set<number> {
  let s = usCache.get(year);
  if (!s) {
    s = new Set(usFederalHolidays(year).map((h) => h.day));
    usCache.set(year, s);
  }
  return s;
}

/** Whether a local day is a business day; `{ missingYear }` when no PRC data covers it. */
export type DayVerdict = boolean | { missingYear: number };

export interface Calendars {
  isBusinessDay(calendar: BusinessCalendar, epochDay: number): DayVerdict;
  /** The PRC years with data, ascending. */
  prcYears(): number[];
}

export function createCalendars(prc: Map<number, PrcYear>): Calendars {
  return {
    isBusinessDay(calendar, epochDay) {
      const weekend = isoWeekday(epochDay) >= 6;
      const year = yearOf(epochDay);
      if (calendar === 'US') return !weekend && !usHolidaySet(year).has(epochDay);
      const data = prc.get(year);
      if (!data) return { missingYear: year };
      if (data.workingDays.has(epochDay)) return true;
      return !weekend && !data.holidays.has(epochDay);
    },
    prcYears: () => [...prc.keys()].sort((a, b) => a - b),
  };
}
