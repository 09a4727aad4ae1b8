/**
 * Shifts as an iCalendar (RFC 5545) document, for people to see their on-call shifts in their calendar:
 * CRLF line endings, lines folded at 75 octets (never inside a UTF-8 character), UTC times, TEXT values
 * escaped, and UIDs derived from the shift itself so a calendar re-importing the feed updates, not doubles.
 */
import { createHash } from 'node:crypto';
import type { Shift } from './schedule.types.js';

export type CalendarLanguage = 'zh-CN' | 'en';

export interface ICalendarOptions {
  /** DTSTAMP of every event: when the document was made (epoch ms; from the caller's clock). */
  stamp: number;
  /** Calendar name shown by clients (X-WR-CALNAME), e.g. the schedule's name. */
  calendarName?: string;
  /** Scope of the UIDs, e.g. the schedule id, so two schedules' identical shifts stay distinct. */
  scope?: string;
  language?: CalendarLanguage;
}

const SUMMARY: Record<CalendarLanguage, (name: string, override: boolean) => string> = {
  'zh-CN': (name, override) => `值班：${name}${override ? '（替班）' : ''}`,
  en: (name, override) => `On call: ${name}${override ? ' (override)' : ''}`,
};

/** RFC 5545 3.3.11 TEXT: backslash, semicolon, comma and newlines escaped. */
export function escapeText(text: string): string {
  return text.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, '\\n');
}

/** RFC 5545 3.1: lines longer than 75 octets go on as continuation lines starting with a space. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
      limit = 74;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

/** 20261203T050000Z */
const utc = (ms: number): string =>
  new Date(ms)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');

/** `shifts` as a VCALENDAR; `names` maps person ids to display names (the id when missing). */
export function toICalendar(
  shifts: readonly Shift[],
  names: ReadonlyMap<string, string>,
  options: ICalendarOptions,
): string {
  const summary = SUMMARY[options.language ?? 'zh-CN'];
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Tocsin//On-call//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
  ];
  if (options.calendarName) lines.push(`X-WR-CALNAME:${escapeText(options.calendarName)}`);
  for (const shift of shifts) {
    const uid = createHash('sha256')
      .update(`${options.scope ?? ''}\n${shift.person}\n${shift.start}\n${shift.end}`)
      .digest('hex')
      .slice(0, 32);
    lines.push(
      'BEGIN:VEVENT',
      `UID:${uid}@oncall.tocsin`,
      `DTSTAMP:${utc(options.stamp)}`,
      `DTSTART:${utc(shift.start)}`,
      `DTEND:${utc(shift.end)}`,
      `SUMMARY:${escapeText(summary(names.get(shift.person) ?? shift.person, shift.override))}`,
      'TRANSP:OPAQUE',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
