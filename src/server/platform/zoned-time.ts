/**
 * Wall-clock time in an IANA time zone, with Intl only (the zone data of the ICU that Node ships).
 * Local dates are counted as epoch days (days since 1970-01-01 of the civil calendar).
 */

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether Intl knows the zone (`Asia/Shanghai`, `Europe/London`, `UTC`, ...). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock of instant `t` in the zone, read as if it were UTC (epoch ms). */
function wallClock(t: number, timeZone: string): number {
  const whole = Math.floor(t / 1000) * 1000;
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(whole)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall + (t - whole);
}

/** The zone's offset from UTC at instant `t`, in ms (Asia/Shanghai: +8 h). */
const offsetAt = (t: number, timeZone: string): number => wallClock(t, timeZone) - t;

/** The local date of instant `t` in the zone, as an epoch day. */
export function localDay(t: number, timeZone: string): number {
  return Math.floor(wallClock(t, timeZone) / DAY_MS);
}

/** ISO weekday of an epoch day: 1 Monday .. 7 Sunday (1970-01-01 was a Thursday). */
export function isoWeekday(epochDay: number): number {
  return ((((epochDay + 3) % 7) + 7) % 7) + 1;
}

/** `YYYY-MM-DD` to an epoch day; null when it is not a real date. */
export function parseLocalDate(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = new Date(ms);
  if (back.getUTCMonth() !== Number(m[2]) - 1 || back.getUTCDate() !== Number(m[3])) return null;
  return ms / DAY_MS;
}

/** `HH:MM` (00:00 .. 23:59) to minutes after midnight; null when malformed. */
export function parseTimeOfDay(text: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/**
 * The instant at which the zone's clocks show `minutes` after midnight of local date `epochDay`.
 * A time that happens twice (clocks going back) is its first occurrence; a time that does not exist
 * (clocks going forward) is read with the offset before the change, i.e. that much later on the new clock
 * (01:30 on the day London springs forward is 02:30 BST = 01:30 UTC).
 */
export function instantAt(epochDay: number, minutes: number, timeZone: string): number {
  const wall = epochDay * DAY_MS + minutes * 60_000;
  const before = wall - offsetAt(wall - DAY_MS, timeZone);
  const after = wall - offsetAt(wall + DAY_MS, timeZone);
  const fits = (t: number) => wallClock(t, timeZone) === wall;
  if (fits(before) && fits(after)) return Math.min(before, after);
  if (fits(before)) return before;
  if (fits(after)) return after;
  return before;
}

/**
 * An instant as the firm reads it in a message: `2026-12-04 16:30 (UTC+8)` — the wall-clock time in
 * `timeZone` and its offset then (messages and pages go to people who may be anywhere; the console
 * shows times in the viewer's own zone instead).
 */
export function formatZoned(t: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'shortOffset',
  }).formatToParts(t);
  const p = (type: Intl.DateTimeFormatPartTypes) => parts.find((x) => x.type === type)?.value ?? '';
  const offset = p('timeZoneName').replace(/^GMT/, 'UTC');
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')} (${/^UTC([+-]0)?$/.test(offset) ? 'UTC' : offset})`;
}
