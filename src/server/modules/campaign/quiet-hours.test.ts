import { describe, expect, it } from 'vitest';
import { DEFAULT_QUIET_HOURS } from '../../../shared/campaign-schemas.js';
import { inQuietHours, quietHoursEnd } from './quiet-hours.js';

const at = (iso: string) => Date.parse(iso);

describe('quiet hours', () => {
  it('22:00–08:00 in Beijing: inside from 22:00, outside from 08:00', () => {
    expect(inQuietHours(DEFAULT_QUIET_HOURS, at('2026-12-04T13:59:59Z'))).toBe(false); // 21:59:59
    expect(inQuietHours(DEFAULT_QUIET_HOURS, at('2026-12-04T14:00:00Z'))).toBe(true); // 22:00
    expect(inQuietHours(DEFAULT_QUIET_HOURS, at('2026-12-04T23:59:59Z'))).toBe(true); // 07:59:59
    expect(inQuietHours(DEFAULT_QUIET_HOURS, at('2026-12-05T00:00:00Z'))).toBe(false); // 08:00
    expect(inQuietHours(null, at('2026-12-04T15:00:00Z'))).toBe(false);
  });

  it('ends the window at its end, the next morning; outside it, now', () => {
    expect(quietHoursEnd(DEFAULT_QUIET_HOURS, at('2026-12-04T15:00:30Z'))).toBe(at('2026-12-05T00:00:00Z'));
    expect(quietHoursEnd(DEFAULT_QUIET_HOURS, at('2026-12-04T18:20:00Z'))).toBe(at('2026-12-05T00:00:00Z'));
    expect(quietHoursEnd(DEFAULT_QUIET_HOURS, at('2026-12-04T23:59:59Z'))).toBe(at('2026-12-05T00:00:00Z'));
    expect(quietHoursEnd(DEFAULT_QUIET_HOURS, at('2026-12-05T01:30:00Z'))).toBe(at('2026-12-05T01:30:00Z'));
    expect(quietHoursEnd(null, at('2026-12-04T15:00:00Z'))).toBe(at('2026-12-04T15:00:00Z'));
    // A window within one day, in another time zone.
    const lunch = { start: '12:00', end: '13:30', timeZone: 'Europe/Paris' };
    expect(quietHoursEnd(lunch, at('2026-07-01T10:15:00Z'))).toBe(at('2026-07-01T11:30:00Z'));
  });

  it('a window across a clock change ends at its local end', () => {
    // New York, 2026-03-08: 02:00 EST becomes 03:00 EDT inside a 01:00–06:00 window.
    const night = { start: '01:00', end: '06:00', timeZone: 'America/New_York' };
    expect(quietHoursEnd(night, at('2026-03-08T06:30:00Z'))).toBe(at('2026-03-08T10:00:00Z')); // 01:30 EST → 06:00 EDT
  });
});
