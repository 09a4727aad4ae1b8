import { describe, expect, it } from 'vitest';
import { timePart } from '../src/field-access.js';

describe('time modifiers read event time in UTC whatever the server zone', () => {
  it('accepts ISO-8601 with and without an offset, and epoch values', () => {
    expect(timePart('2026-03-02T22:15:00Z', 'hour')).toBe(22);
    expect(timePart('2026-03-02 22:15:00', 'hour')).toBe(22);
    expect(timePart('2026-03-03T06:15:00+08:00', 'hour')).toBe(22);
    expect(timePart(Date.UTC(2026, 2, 2, 22, 15), 'hour')).toBe(22);
    expect(timePart(String(Date.UTC(2026, 2, 2, 22, 15) / 1000), 'minute')).toBe(15);
  });

  it('does not guess at other formats (they would depend on the server time zone)', () => {
    expect(timePart('2026/03/02 22:15:00', 'hour')).toBeUndefined();
    expect(timePart('Mon, 02 Mar 2026 22:15:00', 'hour')).toBeUndefined();
  });
});
