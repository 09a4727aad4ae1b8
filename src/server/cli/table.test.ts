/** Terminal tables line up also with Chinese text (two columns a character). */
import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { localTime, table, zoneLabel } from './table.js';

describe('table', () => {
  it('pads columns to the width the terminal shows, Chinese characters counting two', () => {
    const rows = table(
      ['KEY', 'COMMANDER', 'TITLE'],
      [
        ['INC-2026-0001', '陈杰 Chen Jie', '行情中断'],
        ['INC-2026-0002', 'Bob', 'DDoS'],
      ],
    );
    expect(rows).toEqual([
      'KEY            COMMANDER      TITLE',
      'INC-2026-0001  陈杰 Chen Jie  行情中断',
      'INC-2026-0002  Bob            DDoS',
    ]);
    const titleAt = rows.map((r) => stringWidth(r.slice(0, r.lastIndexOf('  ') + 2)));
    expect(new Set(titleAt).size).toBe(1);
  });

  it("shows times to the minute in this machine's zone, and names the zone", () => {
    expect(localTime(null)).toBe('-');
    expect(localTime('2026-11-28T01:02:03Z')).toMatch(/^2026-11-2[78] \d\d:02$/);
    expect(zoneLabel(new Date('2026-01-01T00:00:00Z'))).toMatch(/^UTC([+-]\d{1,2}(:\d\d)?)?$/);
  });
});
