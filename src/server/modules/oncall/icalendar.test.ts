/** The iCalendar export read back strictly: CRLF, folding at 75 octets, UTC times, escaping, stable UIDs. */
import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, toICalendar } from './icalendar.js';
import { shifts } from './schedule.js';
import type { Schedule, Shift } from './schedule.types.js';

const STAMP = Date.parse('2026-03-01T00:00:00Z');

interface Property {
  name: string;
  value: string;
}

/** A strict reader: every line ends in CRLF, no physical line is over 75 octets; unfolds, then nests components. */
function parse(text: string): { properties: Property[]; events: Map<string, string>[] } {
  expect(text.endsWith('\r\n')).toBe(true);
  const physical = text.slice(0, -2).split('\r\n');
  for (const line of physical) {
    expect(line).not.toMatch(/[\r\n]/);
    expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  }
  const logical = text
    .slice(0, -2)
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n');
  const properties = logical.map((line) => {
    const colon = line.indexOf(':');
    expect(colon).toBeGreaterThan(0);
    return { name: line.slice(0, colon), value: line.slice(colon + 1) };
  });
  const events: Map<string, string>[] = [];
  const stack: string[] = [];
  let current: Map<string, string> | null = null;
  for (const { name, value } of properties) {
    if (name === 'BEGIN') {
      stack.push(value);
      if (value === 'VEVENT') current = new Map();
    } else if (name === 'END') {
      expect(stack.pop()).toBe(value);
      if (value === 'VEVENT') events.push(current!);
    } else if (current && stack.at(-1) === 'VEVENT') {
      current.set(name, value);
    }
  }
  expect(stack).toEqual([]);
  expect(properties[0]).toEqual({ name: 'BEGIN', value: 'VCALENDAR' });
  expect(properties.at(-1)).toEqual({ name: 'END', value: 'VCALENDAR' });
  return { properties, events };
}

const unescapeText = (value: string): string =>
  value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

const schedule: Schedule = {
  id: 's-primary',
  name: 'SOC primary; 一线, 值班',
  layers: [{ rotation: 'daily', participants: ['u1', 'u2'], handoffTime: '09:00', startDate: '2026-03-02' }],
  overrides: [{ person: 'u3', from: Date.parse('2026-03-03T05:00:00Z'), to: Date.parse('2026-03-03T09:00:00Z') }],
};
const names = new Map([
  ['u1', '张伟'],
  ['u2', 'Smith, Anne; "night"\nowl'],
  ['u3', '欧阳'.repeat(30)],
]);
const week: Shift[] = shifts(schedule, Date.parse('2026-03-02T00:00:00Z'), Date.parse('2026-03-05T01:00:00Z'));

describe('toICalendar', () => {
  it('is a VCALENDAR with one VEVENT per shift, in UTC', () => {
    const text = toICalendar(week, names, { stamp: STAMP, calendarName: schedule.name, scope: schedule.id });
    const { properties, events } = parse(text);
    const head = new Map(properties.slice(1, 7).map((p) => [p.name, p.value]));
    expect(head.get('VERSION')).toBe('2.0');
    expect(head.get('PRODID')).toBe('-//Tocsin//On-call//EN');
    expect(unescapeText(head.get('X-WR-CALNAME')!)).toBe(schedule.name);
    expect(events).toHaveLength(week.length);
    expect(events.map((e) => [e.get('DTSTART'), e.get('DTEND')])).toEqual([
      ['20260302T010000Z', '20260303T010000Z'],
      ['20260303T010000Z', '20260303T050000Z'],
      ['20260303T050000Z', '20260303T090000Z'],
      ['20260303T090000Z', '20260304T010000Z'],
      ['20260304T010000Z', '20260305T010000Z'],
    ]);
    for (const e of events) {
      expect(e.get('DTSTAMP')).toBe('20260301T000000Z');
      expect(e.get('UID')).toMatch(/^[0-9a-f]{32}@oncall\.tocsin$/);
    }
    expect(new Set(events.map((e) => e.get('UID'))).size).toBe(events.length);
  });

  it('escapes commas, semicolons, backslashes and newlines, and folds long names without splitting a character', () => {
    const text = toICalendar(week, names, { stamp: STAMP, language: 'en' });
    const summaries = parse(text).events.map((e) => unescapeText(e.get('SUMMARY')!));
    expect(summaries).toEqual([
      'On call: 张伟',
      'On call: Smith, Anne; "night"\nowl',
      `On call: ${'欧阳'.repeat(30)} (override)`,
      'On call: Smith, Anne; "night"\nowl',
      'On call: 张伟',
    ]);
    expect(text).toContain('SUMMARY:On call: Smith\\, Anne\\; "night"\\nowl\r\n');
    const zh = parse(toICalendar(week.slice(2, 3), names, { stamp: STAMP })).events[0]!;
    expect(unescapeText(zh.get('SUMMARY')!)).toBe(`值班：${'欧阳'.repeat(30)}（替班）`);
  });

  it('gives a shift the same UID every time, whatever else is in the feed, and scopes UIDs', () => {
    const uids = (list: Shift[], scope?: string) =>
      parse(toICalendar(list, names, { stamp: STAMP, ...(scope ? { scope } : {}) })).events.map((e) => e.get('UID'));
    const all = uids(week, 's-primary');
    expect(uids(week.slice(3), 's-primary')).toEqual(all.slice(3));
    expect(uids(week, 's-other')[0]).not.toBe(all[0]);
  });

  it('an empty list is still a valid calendar', () => {
    expect(parse(toICalendar([], names, { stamp: STAMP })).events).toEqual([]);
  });
});

describe('folding and escaping', () => {
  it('folds at exactly 75 octets, continuation lines starting with one space', () => {
    const line = `SUMMARY:${'x'.repeat(200)}`;
    const folded = foldLine(line).split('\r\n');
    expect(folded.map((l) => l.length)).toEqual([75, 75, 60]);
    expect(folded.slice(1).every((l) => l.startsWith(' '))).toBe(true);
    expect(folded.join('\r\n').replace(/\r\n /g, '')).toBe(line);
    expect(foldLine('SHORT:1')).toBe('SHORT:1');
  });

  it('escapes every special character once', () => {
    expect(escapeText('a\\b;c,d\r\ne\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });
});
