/** Quiet hours (pure): whether `now` falls in a window such as 22:00–08:00 in a time zone. */
import type { QuietHours } from '../../../shared/campaign-schemas.js';

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Minutes since local midnight at `now` in `timeZone`. */
function localMinutes(now: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(now));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return part('hour') * 60 + part('minute');
}

/** Whether `now` is inside the window (start inclusive, end exclusive; a window may cross midnight). */
export function inQuietHours(q: QuietHours | null, now: number): boolean {
  if (!q) return false;
  const start = minutesOf(q.start);
  const end = minutesOf(q.end);
  if (start === end) return false;
  const m = localMinutes(now, q.timeZone);
  return start < end ? m >= start && m < end : m >= start || m < end;
}
