/** Times in messages read in the firm's zone with its offset (summer time included). */
import { describe, expect, it } from 'vitest';
import { formatZoned } from './zoned-time.js';

describe('formatZoned', () => {
  it.each([
    ['2026-12-04T08:30:00Z', 'Asia/Shanghai', '2026-12-04 16:30 (UTC+8)'],
    ['2026-12-04T20:05:00Z', 'Asia/Shanghai', '2026-12-05 04:05 (UTC+8)'],
    ['2026-07-01T08:30:00Z', 'Europe/London', '2026-07-01 09:30 (UTC+1)'],
    ['2026-12-04T08:30:00Z', 'Europe/London', '2026-12-04 08:30 (UTC)'],
    ['2026-12-04T08:30:00Z', 'Asia/Kolkata', '2026-12-04 14:00 (UTC+5:30)'],
  ])('%s in %s is %s', (iso, zone, shown) => {
    expect(formatZoned(Date.parse(iso), zone)).toBe(shown);
  });
});
