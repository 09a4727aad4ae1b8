/** Calendar days in the viewer's zone as instants: what "from 28 Nov to 30 Nov" means to the server. */
import { displayTimeZone } from './time.js';

/** Milliseconds the zone is ahead of UTC at `instant`. */
function offsetAt(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant a day ("2026-11-28", as a date input gives it) begins in `zone`; undefined for anything else. */
export function startOfDay(day: string, zone = displayTimeZone()): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(wall)) return undefined;
  // The offset at the guess, then at the result: right across a change of summer time.
  let t = wall - offsetAt(wall, zone);
  t = wall - offsetAt(t, zone);
  return t;
}

/** `from` at the start of the first day and `to` at the start of the day after the last (exclusive), as ISO instants. */
export function dayRange(
  fromDay: string,
  toDay: string,
  zone = displayTimeZone(),
): { from?: string; to?: string; empty: boolean } {
  const from = fromDay ? startOfDay(fromDay, zone) : undefined;
  let to: number | undefined;
  if (toDay) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(toDay);
    if (m) {
      const next = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1)).toISOString().slice(0, 10);
      to = startOfDay(next, zone);
    }
  }
  return {
    from: from === undefined ? undefined : new Date(from).toISOString(),
    to: to === undefined ? undefined : new Date(to).toISOString(),
    empty: from !== undefined && to !== undefined && to <= from,
  };
}
