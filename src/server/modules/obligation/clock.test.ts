/**
 * Calendars and clock arithmetic against hand-computed cases. Deadlines are instants (UTC); days are
 * counted in the regulator's zone, the start day not counted, and a deadline is the end of its last day.
 */
import { describe, expect, test } from 'vitest';
import { parseLocalDate } from '../../platform/zoned-time.js';
import { bundledObligationCatalog } from './catalog.js';
import { usFederalHolidays } from './calendars.js';
import { addSpan, type Span } from './clock.js';

const { calendars } = bundledObligationCatalog();
const t = (iso: string) => Date.parse(iso);
const due = (start: string, span: Span) => {
  const r = addSpan(t(start), span, calendars);
  return 'due' in r ? new Date(r.due).toISOString() : r.missing;
};
const day = (d: string) => parseLocalDate(d)!;
const NY = 'America/New_York';
const SH = 'Asia/Shanghai';

describe('US federal holidays (by rule)', () => {
  test('2026: eleven holidays, Independence Day on a Saturday observed the Friday before', () => {
    const days = usFederalHolidays(2026).map((h) => new Date(h.day * 86_400_000).toISOString().slice(0, 10));
    expect(days).toEqual([
      '2026-01-01',
      '2026-01-19', // third Monday of January
      '2026-02-16', // third Monday of February
      '2026-05-25', // last Monday of May
      '2026-06-19', // Juneteenth, a Friday
      '2026-07-03', // July 4 is a Saturday -> Friday
      '2026-09-07', // first Monday of September
      '2026-10-12', // second Monday of October
      '2026-11-11',
      '2026-11-26', // fourth Thursday of November
      '2026-12-25',
    ]);
  });

  test('Juneteenth counts from 2021 (2021-06-19 a Saturday -> Friday 18th), not before', () => {
    expect(calendars.isBusinessDay('US', day('2021-06-18'))).toBe(false);
    expect(calendars.isBusinessDay('US', day('2020-06-19'))).toBe(true);
  });

  test("New Year's Day 2022 on a Saturday is observed on Friday 2021-12-31", () => {
    expect(calendars.isBusinessDay('US', day('2021-12-31'))).toBe(false);
    // Christmas 2022 is a Sunday -> Monday 26th.
    expect(calendars.isBusinessDay('US', day('2022-12-26'))).toBe(false);
  });
});

describe('PRC working days (State Council notices as data)', () => {
  test('2026: a 调休 Saturday is a working day, the Spring Festival weekdays are not', () => {
    expect(calendars.isBusinessDay('CN', day('2026-02-14'))).toBe(true); // Saturday worked
    expect(calendars.isBusinessDay('CN', day('2026-02-16'))).toBe(false); // Monday of the holiday
    expect(calendars.isBusinessDay('CN', day('2026-02-21'))).toBe(false); // an ordinary Saturday
    expect(calendars.isBusinessDay('CN', day('2026-02-24'))).toBe(true); // first day back
  });

  test('2025: Sunday 2025-09-28 is worked; a year without data is unknown, not guessed', () => {
    expect(calendars.isBusinessDay('CN', day('2025-09-28'))).toBe(true);
    expect(calendars.isBusinessDay('CN', day('2025-10-08'))).toBe(false);
    expect(calendars.isBusinessDay('CN', day('2027-01-04'))).toEqual({ missingYear: 2027 });
    expect(calendars.prcYears()).toEqual([2025, 2026]);
  });
});

describe('addSpan', () => {
  const usBiz: Span = { amount: 4, unit: 'business_days', calendar: 'US', zone: NY };

  test('4 US business days from the Thursday before Memorial Day', () => {
    // Thu 2026-05-21 15:00 EDT. Fri 22 = 1, Sat/Sun, Mon 25 Memorial Day, Tue 26 = 2, Wed 27 = 3,
    // Thu 28 = 4 -> end of Thu 2026-05-28 EDT = 2026-05-29 00:00 EDT = 04:00Z.
    expect(due('2026-05-21T15:00:00-04:00', usBiz)).toBe('2026-05-29T04:00:00.000Z');
  });

  test('counted in New York: 23:30 EDT Thursday is Friday in UTC but still Thursday there', () => {
    // 2026-05-22T03:30Z = Thu 2026-05-21 23:30 EDT: the same four days as above.
    expect(due('2026-05-22T03:30:00Z', usBiz)).toBe('2026-05-29T04:00:00.000Z');
  });

  test('4 US business days from the day before Thanksgiving', () => {
    // Wed 2026-11-25 10:00 EST. Thu 26 Thanksgiving, Fri 27 = 1, Mon 30 = 2, Tue Dec 1 = 3, Wed Dec 2 = 4
    // -> end of Wed 2026-12-02 EST = 2026-12-03 00:00 EST = 05:00Z.
    expect(due('2026-11-25T10:00:00-05:00', usBiz)).toBe('2026-12-03T05:00:00.000Z');
  });

  test('PRC working days: the 调休 Saturday before the Spring Festival counts', () => {
    const cn = (amount: number): Span => ({ amount, unit: 'business_days', calendar: 'CN', zone: SH });
    // Fri 2026-02-13 10:00 Beijing. Sat 14 is worked = 1 -> end of Sat 14 Beijing = 16:00Z that day.
    expect(due('2026-02-13T10:00:00+08:00', cn(1))).toBe('2026-02-14T16:00:00.000Z');
    // Then Sun 15 .. Mon 23 holiday, Tue 24 = 2 -> end of Tue 24 Beijing = 2026-02-24T16:00Z.
    expect(due('2026-02-13T10:00:00+08:00', cn(2))).toBe('2026-02-24T16:00:00.000Z');
  });

  test('PRC working days into a year without data: no deadline, and which year is missing', () => {
    // Wed 2026-12-30: Thu 31 = 1, then 2027-01-01 has no data.
    expect(due('2026-12-30T10:00:00+08:00', { amount: 3, unit: 'business_days', calendar: 'CN', zone: SH })).toEqual({
      en: 'no PRC holiday calendar for 2027',
      zh: '缺少2027年的中国节假日安排数据',
    });
  });

  test('calendar days end at the end of the last day in the zone', () => {
    // 2026-03-02 10:00 EST + 30 days = Wed 2026-04-01; its end = 2026-04-02 00:00 EDT (DST since 8 March) = 04:00Z.
    expect(due('2026-03-02T15:00:00Z', { amount: 30, unit: 'calendar_days', zone: NY })).toBe(
      '2026-04-02T04:00:00.000Z',
    );
  });

  test('months keep the day of the month, clamped to the last one', () => {
    // 2026-01-31 11:00 Brussels + 1 month = 2026-02-28 (no 31st); its end = 2026-03-01 00:00 CET = 2026-02-28T23:00Z.
    expect(due('2026-01-31T10:00:00Z', { amount: 1, unit: 'months', zone: 'Europe/Brussels' })).toBe(
      '2026-02-28T23:00:00.000Z',
    );
  });

  test('hours and minutes are exact durations', () => {
    expect(due('2026-03-02T01:00:00Z', { amount: 4, unit: 'hours', zone: SH })).toBe('2026-03-02T05:00:00.000Z');
    expect(due('2026-03-02T01:00:00Z', { amount: 30, unit: 'minutes', zone: SH })).toBe('2026-03-02T01:30:00.000Z');
  });
});
