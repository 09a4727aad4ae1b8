/** Event times: ISO-8601 text or epoch numbers to epoch ms (UTC). */
import type { TimeFormat } from '../../platform/ingest-sources.js';

/** The fields an event's time is looked for in, in order, when its source names none. */
export const TIME_FIELDS = ['@timestamp', 'timestamp', 'time'] as const;

const MAX_MS = 8.64e15; // the largest time a JavaScript Date can hold
// Date, optionally time (T or space) with optional fraction and zone; without a zone it is UTC.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?\s*(Z|z|[+-]\d{2}:?\d{2})?)?$/;
const DIGITS = /^-?\d+(\.\d+)?$/;
/**
 * The form most senders write (`Date.prototype.toISOString`'s): read by Date.parse as it is, which the
 * language defines for exactly this form, without taking it apart (a third of the time).
 */
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const valid = (ms: number): number | null => (Number.isFinite(ms) && ms >= 0 && ms <= MAX_MS ? Math.floor(ms) : null);

/** ISO-8601 date-time text to epoch ms; a time without a zone is read as UTC. */
export function parseIso(text: string): number | null {
  if (text.length === 24 && CANONICAL.test(text)) {
    const t = Date.parse(text);
    return Number.isNaN(t) ? null : valid(t);
  }
  const m = ISO.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = m;
  const ms = frac ? frac.slice(0, 4).padEnd(4, '0') : '.000';
  let z = zone ?? 'Z';
  if (z === 'z') z = 'Z';
  else if (z !== 'Z' && !z.includes(':')) z = `${z.slice(0, 3)}:${z.slice(3)}`;
  const t = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${ms}${z}`);
  return Number.isNaN(t) ? null : valid(t);
}

/** A time value as `format` says to read it; null when it cannot be read that way. */
export function parseTime(value: unknown, format: TimeFormat): number | null {
  if (typeof value === 'number') {
    if (format === 'epoch_s') return valid(value * 1000);
    return format === 'iso8601' ? null : valid(value);
  }
  if (typeof value !== 'string' || value.length > 64) return null;
  const text = value.trim();
  if (format === 'iso8601') return parseIso(text);
  if (DIGITS.test(text)) return format === 'epoch_s' ? valid(Number(text) * 1000) : valid(Number(text));
  return format === 'auto' ? parseIso(text) : null;
}
