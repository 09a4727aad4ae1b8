/** Rotations, hand-offs and overrides at exact instants, in Asia/Shanghai (default) and Europe/London (DST). */
import { describe, expect, it } from 'vitest';
import { onCallAt, scheduleProblems, shifts } from './schedule.js';
import type { Schedule } from './schedule.types.js';

const t = (iso: string): number => Date.parse(iso);
const shift = (person: string, start: string, end: string, override = false) => ({
  person,
  start: t(start),
  end: t(end),
  override,
});

/** Daily at 09:00 Beijing time (01:00 UTC) from Monday 2026-03-02: a, b, c. */
const daily: Schedule = {
  id: 's-daily',
  name: 'SOC primary',
  layers: [{ rotation: 'daily', participants: ['a', 'b', 'c'], handoffTime: '09:00', startDate: '2026-03-02' }],
};

describe('daily rotation, Asia/Shanghai by default', () => {
  it('nobody before the first hand-off; the first participant from it on, to the millisecond', () => {
    expect(onCallAt(daily, t('2026-03-02T00:59:59.999Z'))).toBeNull();
    expect(onCallAt(daily, t('2026-03-02T01:00:00.000Z'))).toBe('a');
  });

  it('hands off exactly at 09:00 local and wraps around the participants', () => {
    expect(onCallAt(daily, t('2026-03-03T00:59:59.999Z'))).toBe('a');
    expect(onCallAt(daily, t('2026-03-03T01:00:00.000Z'))).toBe('b');
    expect(onCallAt(daily, t('2026-03-04T01:00:00.000Z'))).toBe('c');
    expect(onCallAt(daily, t('2026-03-05T01:00:00.000Z'))).toBe('a');
    expect(onCallAt(daily, t('2026-04-01T00:30:00.000Z'))).toBe(onCallAt(daily, t('2026-03-31T01:00:00.000Z')));
  });

  it('shifts: one per turn, cut at the window, a hand-off on the window edge gives no empty shift', () => {
    expect(shifts(daily, t('2026-03-01T00:00:00Z'), t('2026-03-04T12:00:00Z'))).toEqual([
      shift('a', '2026-03-02T01:00:00Z', '2026-03-03T01:00:00Z'),
      shift('b', '2026-03-03T01:00:00Z', '2026-03-04T01:00:00Z'),
      shift('c', '2026-03-04T01:00:00Z', '2026-03-04T12:00:00Z'),
    ]);
    expect(shifts(daily, t('2026-03-03T01:00:00Z'), t('2026-03-04T01:00:00Z'))).toEqual([
      shift('b', '2026-03-03T01:00:00Z', '2026-03-04T01:00:00Z'),
    ]);
    expect(shifts(daily, t('2026-03-03T01:00:00Z'), t('2026-03-03T01:00:00Z'))).toEqual([]);
  });

  it('one participant still gets a shift per day', () => {
    const solo: Schedule = { ...daily, layers: [{ ...daily.layers[0]!, participants: ['a'] }] };
    expect(shifts(solo, t('2026-03-02T01:00:00Z'), t('2026-03-04T01:00:00Z'))).toHaveLength(2);
  });
});

describe('weekly rotation', () => {
  /** Mondays 10:00 Beijing time (02:00 UTC); start date a Wednesday, so the first hand-off is Monday 2026-03-09. */
  const weekly: Schedule = {
    id: 's-weekly',
    name: 'Trading systems',
    layers: [
      {
        rotation: 'weekly',
        participants: ['a', 'b'],
        handoffTime: '10:00',
        handoffWeekday: 1,
        startDate: '2026-03-04',
      },
    ],
  };

  it('starts on the first hand-off weekday on or after the start date and wraps after the last participant', () => {
    expect(onCallAt(weekly, t('2026-03-09T01:59:59.999Z'))).toBeNull();
    expect(onCallAt(weekly, t('2026-03-09T02:00:00Z'))).toBe('a');
    expect(onCallAt(weekly, t('2026-03-15T23:00:00Z'))).toBe('a');
    expect(onCallAt(weekly, t('2026-03-16T02:00:00Z'))).toBe('b');
    expect(onCallAt(weekly, t('2026-03-23T01:59:59.999Z'))).toBe('b');
    expect(onCallAt(weekly, t('2026-03-23T02:00:00Z'))).toBe('a');
  });

  it('shifts are a week long', () => {
    expect(shifts(weekly, t('2026-03-01T00:00:00Z'), t('2026-03-23T02:00:00Z'))).toEqual([
      shift('a', '2026-03-09T02:00:00Z', '2026-03-16T02:00:00Z'),
      shift('b', '2026-03-16T02:00:00Z', '2026-03-23T02:00:00Z'),
    ]);
  });

  it('a later layer takes over from its first hand-off on', () => {
    const both: Schedule = { ...weekly, layers: [daily.layers[0]!, weekly.layers[0]!] };
    expect(onCallAt(both, t('2026-03-09T01:59:59.999Z'))).toBe('b');
    expect(onCallAt(both, t('2026-03-09T02:00:00Z'))).toBe('a');
    expect(onCallAt(both, t('2026-03-10T01:00:00Z'))).toBe('a');
  });
});

describe('overrides', () => {
  const covered: Schedule = {
    ...daily,
    overrides: [{ person: 'x', from: t('2026-03-02T20:00:00Z'), to: t('2026-03-03T05:00:00Z') }],
  };

  it('win over the rotation, from inclusive, to exclusive', () => {
    expect(onCallAt(covered, t('2026-03-02T19:59:59.999Z'))).toBe('a');
    expect(onCallAt(covered, t('2026-03-02T20:00:00Z'))).toBe('x');
    expect(onCallAt(covered, t('2026-03-03T01:00:00Z'))).toBe('x');
    expect(onCallAt(covered, t('2026-03-03T05:00:00Z'))).toBe('b');
  });

  it('an override spanning a hand-off is one shift, cut into the turns on both sides', () => {
    expect(shifts(covered, t('2026-03-02T00:00:00Z'), t('2026-03-04T01:00:00Z'))).toEqual([
      shift('a', '2026-03-02T01:00:00Z', '2026-03-02T20:00:00Z'),
      shift('x', '2026-03-02T20:00:00Z', '2026-03-03T05:00:00Z', true),
      shift('b', '2026-03-03T05:00:00Z', '2026-03-04T01:00:00Z'),
    ]);
  });

  it('the later of two overlapping overrides wins; an override before the first hand-off covers it', () => {
    const two: Schedule = {
      ...daily,
      overrides: [
        { person: 'x', from: t('2026-03-01T00:00:00Z'), to: t('2026-03-02T12:00:00Z') },
        { person: 'y', from: t('2026-03-02T06:00:00Z'), to: t('2026-03-02T08:00:00Z') },
      ],
    };
    expect(shifts(two, t('2026-03-01T00:00:00Z'), t('2026-03-02T13:00:00Z'))).toEqual([
      shift('x', '2026-03-01T00:00:00Z', '2026-03-02T06:00:00Z', true),
      shift('y', '2026-03-02T06:00:00Z', '2026-03-02T08:00:00Z', true),
      shift('x', '2026-03-02T08:00:00Z', '2026-03-02T12:00:00Z', true),
      shift('a', '2026-03-02T12:00:00Z', '2026-03-02T13:00:00Z'),
    ]);
  });
});

describe('a zone with daylight saving time: Europe/London', () => {
  const london = (handoffTime: string, startDate: string): Schedule => ({
    id: 's-london',
    name: 'London desk',
    timeZone: 'Europe/London',
    layers: [{ rotation: 'daily', participants: ['a', 'b'], handoffTime, startDate }],
  });

  it('09:00 local is 09:00 UTC in winter and 08:00 UTC in summer: the spring shift is 23 hours', () => {
    expect(shifts(london('09:00', '2026-03-27'), t('2026-03-27T00:00:00Z'), t('2026-03-31T00:00:00Z'))).toEqual([
      shift('a', '2026-03-27T09:00:00Z', '2026-03-28T09:00:00Z'),
      shift('b', '2026-03-28T09:00:00Z', '2026-03-29T08:00:00Z'),
      shift('a', '2026-03-29T08:00:00Z', '2026-03-30T08:00:00Z'),
      shift('b', '2026-03-30T08:00:00Z', '2026-03-31T00:00:00Z'),
    ]);
  });

  it('the autumn shift is 25 hours', () => {
    expect(shifts(london('09:00', '2026-10-24'), t('2026-10-24T00:00:00Z'), t('2026-10-26T09:00:00Z'))).toEqual([
      shift('a', '2026-10-24T08:00:00Z', '2026-10-25T09:00:00Z'),
      shift('b', '2026-10-25T09:00:00Z', '2026-10-26T09:00:00Z'),
    ]);
  });

  it('a hand-off time the clocks skip happens an hour later on the new clock; one they repeat, the first time', () => {
    expect(onCallAt(london('01:30', '2026-03-29'), t('2026-03-29T01:29:59.999Z'))).toBeNull();
    expect(onCallAt(london('01:30', '2026-03-29'), t('2026-03-29T01:30:00Z'))).toBe('a');
    expect(onCallAt(london('01:30', '2026-10-25'), t('2026-10-25T00:29:59.999Z'))).toBeNull();
    expect(onCallAt(london('01:30', '2026-10-25'), t('2026-10-25T00:30:00Z'))).toBe('a');
  });
});

describe('scheduleProblems', () => {
  it('names each unusable field, and onCallAt refuses such a schedule', () => {
    const bad: Schedule = {
      id: 's-bad',
      name: 'bad',
      timeZone: 'Mars/Olympus',
      layers: [
        { rotation: 'weekly', participants: [], handoffTime: '24:00', handoffWeekday: 8, startDate: '2026-02-30' },
      ],
      overrides: [{ person: 'x', from: 2, to: 1 }],
    };
    expect(scheduleProblems(bad)).toEqual([
      'timeZone: unknown time zone Mars/Olympus',
      'layers.0.participants: at least one person',
      'layers.0.handoffTime: HH:MM expected',
      'layers.0.startDate: YYYY-MM-DD expected',
      'layers.0.handoffWeekday: 1 (Monday) to 7 (Sunday) expected',
      'overrides.0: from must be before to',
    ]);
    expect(() => onCallAt(bad, 0)).toThrow(RangeError);
    expect(scheduleProblems(daily)).toEqual([]);
  });
});
