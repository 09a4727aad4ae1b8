/**
 * Who is on call: `onCallAt(schedule, t)` and `shifts(schedule, from, to)`. Pure functions of the
 * schedule and the instants given (epoch ms); nothing here reads a clock.
 */
import { DEFAULT_TIME_ZONE, type RotationLayer, type Schedule, type Shift } from './schedule.types.js';
import {
  instantAt,
  isoWeekday,
  isTimeZone,
  localDay,
  parseLocalDate,
  parseTimeOfDay,
} from '../../platform/zoned-time.js';

/** What is wrong with a schedule, one line per problem (empty when it is usable). */
export function scheduleProblems(schedule: Schedule): string[] {
  const problems: string[] = [];
  if (schedule.timeZone !== undefined && !isTimeZone(schedule.timeZone)) {
    problems.push(`timeZone: unknown time zone ${schedule.timeZone}`);
  }
  schedule.layers.forEach((layer, i) => {
    if (layer.participants.length === 0) problems.push(`layers.${i}.participants: at least one person`);
    if (parseTimeOfDay(layer.handoffTime) === null) problems.push(`layers.${i}.handoffTime: HH:MM expected`);
    if (parseLocalDate(layer.startDate) === null) problems.push(`layers.${i}.startDate: YYYY-MM-DD expected`);
    const wd = layer.handoffWeekday;
    if (wd !== undefined && !(Number.isInteger(wd) && wd >= 1 && wd <= 7)) {
      problems.push(`layers.${i}.handoffWeekday: 1 (Monday) to 7 (Sunday) expected`);
    }
  });
  (schedule.overrides ?? []).forEach((o, i) => {
    if (!(Number.isFinite(o.from) && Number.isFinite(o.to) && o.from < o.to)) {
      problems.push(`overrides.${i}: from must be before to`);
    }
  });
  return problems;
}

function assertUsable(schedule: Schedule): void {
  const problems = scheduleProblems(schedule);
  if (problems.length > 0) throw new RangeError(`schedule ${schedule.id}: ${problems.join('; ')}`);
}

const zoneOf = (schedule: Schedule): string => schedule.timeZone ?? DEFAULT_TIME_ZONE;

/** A layer with its text fields read: hand-off k is at local day `firstDay + k * period`, `minutes` after midnight. */
interface Turns {
  firstDay: number;
  period: number;
  minutes: number;
  participants: readonly string[];
  zone: string;
}

function turnsOf(layer: RotationLayer, zone: string): Turns {
  const start = parseLocalDate(layer.startDate)!;
  const minutes = parseTimeOfDay(layer.handoffTime)!;
  if (layer.rotation === 'daily')
    return { firstDay: start, period: 1, minutes, participants: layer.participants, zone };
  const weekday = layer.handoffWeekday ?? 1;
  const firstDay = start + ((weekday - isoWeekday(start) + 7) % 7);
  return { firstDay, period: 7, minutes, participants: layer.participants, zone };
}

const handoff = (turns: Turns, k: number): number =>
  instantAt(turns.firstDay + k * turns.period, turns.minutes, turns.zone);

/** The index of the turn running at `t`, or -1 before the first hand-off. */
function turnAt(turns: Turns, t: number): number {
  let k = Math.floor((localDay(t, turns.zone) - turns.firstDay) / turns.period);
  if (k >= 0 && t < handoff(turns, k)) k -= 1;
  else if (t >= handoff(turns, k + 1)) k += 1;
  return Math.max(k, -1);
}

const personOfTurn = (turns: Turns, k: number): string => turns.participants[k % turns.participants.length]!;

interface Resolved {
  person: string;
  override: boolean;
  /** Same key, same shift: the person for overrides, the layer and turn for rotations. */
  key: string;
}

function resolve(schedule: Schedule, layers: readonly Turns[], t: number): Resolved | null {
  const overrides = schedule.overrides ?? [];
  for (let i = overrides.length - 1; i >= 0; i--) {
    const o = overrides[i]!;
    if (o.from <= t && t < o.to) return { person: o.person, override: true, key: `o:${o.person}` };
  }
  for (let i = layers.length - 1; i >= 0; i--) {
    const k = turnAt(layers[i]!, t);
    if (k >= 0) return { person: personOfTurn(layers[i]!, k), override: false, key: `r:${i}:${k}` };
  }
  return null;
}

/** The person on call at instant `t`, or null when no layer has started and no override covers it. */
export function onCallAt(schedule: Schedule, t: number): string | null {
  assertUsable(schedule);
  const zone = zoneOf(schedule);
  return (
    resolve(
      schedule,
      schedule.layers.map((l) => turnsOf(l, zone)),
      t,
    )?.person ?? null
  );
}

/**
 * The shifts between `from` (inclusive) and `to` (exclusive), in time order, cut at the window's edges:
 * each turn of the rotation in force is a shift, overrides cut into it (an override spanning a hand-off
 * is one shift; the turn resumes after it as a shift of its own). Time nobody covers has no shift.
 */
export function shifts(schedule: Schedule, from: number, to: number): Shift[] {
  assertUsable(schedule);
  if (!(from < to)) return [];
  const zone = zoneOf(schedule);
  const layers = schedule.layers.map((l) => turnsOf(l, zone));
  const cuts = new Set<number>([from]);
  for (const turns of layers) {
    for (let k = Math.max(turnAt(turns, from), 0); ; k++) {
      const h = handoff(turns, k);
      if (h >= to) break;
      if (h > from) cuts.add(h);
    }
  }
  for (const o of schedule.overrides ?? []) {
    if (o.from > from && o.from < to) cuts.add(o.from);
    if (o.to > from && o.to < to) cuts.add(o.to);
  }
  const starts = [...cuts].sort((a, b) => a - b);
  const result: Shift[] = [];
  let lastKey = '';
  starts.forEach((start, i) => {
    const end = starts[i + 1] ?? to;
    const who = resolve(schedule, layers, start);
    if (!who) return;
    const last = result.at(-1);
    if (last && last.end === start && lastKey === who.key) {
      last.end = end;
    } else {
      result.push({ person: who.person, start, end, override: who.override });
    }
    lastKey = who.key;
  });
  return result;
}
