/** On-call schedules and escalation policies as the API takes and gives them (times ISO 8601). */
import { z } from 'zod';
import { isoTime } from './api-schemas.js';
import { label } from './text.js';

const PersonId = z.string().min(1).max(64);

export const RotationLayer = z.strictObject({
  rotation: z.enum(['daily', 'weekly']),
  participants: z.array(PersonId).min(1).max(100),
  handoffTime: z.string().regex(/^\d{2}:\d{2}$/, 'HH:MM'),
  handoffWeekday: z.int().min(1).max(7).optional(),
  startDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
});

export const OverrideInput = z.strictObject({ person: PersonId, from: isoTime, to: isoTime });

export const ScheduleInput = z.strictObject({
  name: label(200),
  timeZone: z.string().min(1).max(64).optional(),
  layers: z.array(RotationLayer).min(1).max(10),
  overrides: z.array(OverrideInput).max(500).optional(),
});
export type ScheduleInput = z.infer<typeof ScheduleInput>;

export const ScheduleView = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  layers: z.array(RotationLayer),
  overrides: z.array(z.object({ person: z.string(), from: z.string(), to: z.string() })),
  /** The calendar feed (no session needed), once an administrator made one; null before. */
  feedUrl: z.string().nullable(),
});
export type ScheduleView = z.infer<typeof ScheduleView>;

export const ShiftView = z.object({
  person: z.string(),
  personName: z.string().nullable(),
  start: z.string(),
  end: z.string(),
  override: z.boolean(),
});

export const EscalationTargetInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('schedule'), scheduleId: z.string().min(1).max(64) }),
  z.strictObject({ kind: z.literal('person'), personId: PersonId }),
]);

export const PolicyInput = z.strictObject({
  name: label(200),
  levels: z
    .array(
      z.strictObject({ targets: z.array(EscalationTargetInput).min(1).max(20), waitMinutes: z.int().min(1).max(1440) }),
    )
    .min(1)
    .max(10),
  repeat: z.int().min(0).max(9).default(0),
});
export type PolicyInput = z.infer<typeof PolicyInput>;

export const PolicyView = z.object({
  id: z.string(),
  name: z.string(),
  levels: z.array(z.object({ targets: z.array(EscalationTargetInput), waitMinutes: z.int() })),
  repeat: z.int(),
});
