import { describe, expect, it } from 'vitest';
import { dayRange, startOfDay } from './day-range.js';

describe("days in the viewer's zone", () => {
  it('starts a day at local midnight', () => {
    expect(new Date(startOfDay('2026-11-28', 'Asia/Shanghai')!).toISOString()).toBe('2026-11-27T16:00:00.000Z');
    expect(new Date(startOfDay('2026-11-28', 'UTC')!).toISOString()).toBe('2026-11-28T00:00:00.000Z');
    expect(new Date(startOfDay('2026-11-28', 'America/New_York')!).toISOString()).toBe('2026-11-28T05:00:00.000Z');
  });

  it('is right on a day summer time begins or ends', () => {
    expect(new Date(startOfDay('2026-03-08', 'America/New_York')!).toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(new Date(startOfDay('2026-03-09', 'America/New_York')!).toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(new Date(startOfDay('2026-10-25', 'Europe/London')!).toISOString()).toBe('2026-10-24T23:00:00.000Z');
  });

  it('makes an inclusive range of days into [from, to) instants, and says when it is empty', () => {
    expect(dayRange('2026-11-28', '2026-11-30', 'Asia/Shanghai')).toEqual({
      from: '2026-11-27T16:00:00.000Z',
      to: '2026-11-30T16:00:00.000Z',
      empty: false,
    });
    expect(dayRange('2026-11-28', '2026-11-28', 'Asia/Shanghai')).toMatchObject({ empty: false });
    expect(dayRange('2026-11-30', '2026-11-28', 'Asia/Shanghai')).toMatchObject({ empty: true });
    expect(dayRange('', '2026-12-31', 'UTC')).toEqual({
      from: undefined,
      to: '2027-01-01T00:00:00.000Z',
      empty: false,
    });
    expect(dayRange('not a day', '', 'UTC')).toEqual({ from: undefined, to: undefined, empty: false });
  });
});
