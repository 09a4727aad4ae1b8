/** The on-call model: schedules of rotation layers with overrides, and the shifts they produce. */

/** Time zone of a schedule that names none. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export type Rotation = 'daily' | 'weekly';

/** One rotation: the participants take turns of one day or one week, in order, handing off at a local time. */
export interface RotationLayer {
  rotation: Rotation;
  /** Person ids, in turn order; the first is on call from the first hand-off. */
  participants: readonly string[];
  /** Local time of the hand-off, `HH:MM`. */
  handoffTime: string;
  /** Weekly rotations: ISO weekday of the hand-off, 1 Monday .. 7 Sunday (default 1). Ignored for daily ones. */
  handoffWeekday?: number;
  /** Local date `YYYY-MM-DD`: the first hand-off is the first one on or after this date. */
  startDate: string;
}

/** A person on call from `from` (inclusive) to `to` (exclusive), whatever the rotation says. */
export interface Override {
  person: string;
  from: number;
  to: number;
}

export interface Schedule {
  id: string;
  name: string;
  /** IANA zone the hand-off times and start dates are read in; Asia/Shanghai when absent. */
  timeZone?: string;
  /** Later layers take precedence over earlier ones once they have started. */
  layers: readonly RotationLayer[];
  /** Later overrides take precedence over earlier ones where they overlap. */
  overrides?: readonly Override[];
}

/** A stretch of time one person is on call, `start` inclusive, `end` exclusive (epoch ms). */
export interface Shift {
  person: string;
  start: number;
  end: number;
  /** Whether an override put the person there (rather than a rotation). */
  override: boolean;
}
