/** Quiet hours (pure): whether `now` falls in a window such as 22:00–08:00 in a time zone, and when it ends. */
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

/**
 * When the window `now` is in ends: the first whole minute after `now` outside it (`now` itself when
 * outside). Counted in local minutes, then set right minute by minute when a clock change (summer time)
 * fell inside the window.
 */
export function quietHoursEnd(q: QuietHours | null, now: number): number {
  if (!q || !inQuietHours(q, now)) return now;
  const floor = now - (now % 60_000);
  const ahead = (minutesOf(q.end) - localMinutes(floor, q.timeZone) + 1440) % 1440;
  let at = floor + ahead * 60_000;
  for (let i = 0; i < 180 && inQuietHours(q, at); i++) at += 60_000;
  for (let i = 0; i < 180 && at - 60_000 > now && !inQuietHours(q, at - 60_000); i++) at -= 60_000;
  return at;
}
