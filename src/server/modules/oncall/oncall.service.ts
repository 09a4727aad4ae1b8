/**
 * On-call schedules and escalation policies in the store: created whole after the domain rules
 * (`scheduleProblems`, `policyProblems`) accept them, read back as the domain's types, and a schedule's
 * shifts over a window (the data of the iCalendar export).
 */
import type { Store } from '../../platform/db/connect.js';
import type { Db, EscalationPoliciesTable, OncallSchedulesTable } from '../../platform/db/types.js';
import { type FieldError, invalid, notFound } from '../../platform/errors.js';
import { type Clock, newId } from '../../platform/ids.js';
import { type EscalationPolicy, policyProblems } from './escalation.js';
import {
  existingScheduleIds,
  findPolicy,
  findSchedule,
  insertPolicy,
  insertSchedule,
  listSchedules,
  policyByName,
  scheduleByName,
  updateScheduleOverrides,
} from './oncall.repository.js';
import { onCallAt, scheduleProblems, shifts } from './schedule.js';
import { DEFAULT_TIME_ZONE, type Override, type Schedule, type Shift } from './schedule.types.js';

const toSchedule = (r: OncallSchedulesTable): Schedule => ({
  id: r.id,
  name: r.name,
  timeZone: r.time_zone,
  layers: JSON.parse(r.layers),
  overrides: JSON.parse(r.overrides),
});

const toPolicy = (r: EscalationPoliciesTable): EscalationPolicy => ({
  id: r.id,
  name: r.name,
  levels: JSON.parse(r.levels),
  repeat: Number(r.repeat),
});

/** `path: message` lines of the domain checks as a 422 with one field error each. */
function refuse(what: string, problems: string[]): never {
  const errors: FieldError[] = problems.map((p) => {
    const at = p.indexOf(': ');
    return { path: p.slice(0, at), message: p.slice(at + 2) };
  });
  throw invalid(`the ${what} cannot be used: ${problems.join('; ')}`, errors);
}

export function createOncallService(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps;

  async function scheduleOrThrow(id: string): Promise<Schedule> {
    const row = await findSchedule(store.db, id);
    if (!row) throw notFound(`schedule ${id}`);
    return toSchedule(row);
  }

  return {
    async createSchedule(input: Omit<Schedule, 'id'>): Promise<Schedule> {
      const schedule: Schedule = {
        id: newId(),
        name: input.name,
        timeZone: input.timeZone ?? DEFAULT_TIME_ZONE,
        layers: input.layers,
        overrides: input.overrides ?? [],
      };
      const problems = scheduleProblems(schedule);
      if (!schedule.name.trim()) problems.unshift('name: a name is required');
      if (problems.length > 0) refuse('schedule', problems);
      const now = clock.now();
      await store.transaction((tx) =>
        insertSchedule(tx, {
          id: schedule.id,
          name: schedule.name,
          time_zone: schedule.timeZone!,
          layers: JSON.stringify(schedule.layers),
          overrides: JSON.stringify(schedule.overrides),
          created_at: now,
          updated_at: now,
        }),
      );
      return schedule;
    },

    /** The schedule, or null (in the caller's transaction when given one). */
    async schedule(id: string, db: Db = store.db): Promise<Schedule | null> {
      const row = await findSchedule(db, id);
      return row ? toSchedule(row) : null;
    },

    async schedules(): Promise<Schedule[]> {
      return (await listSchedules(store.db)).map(toSchedule);
    },

    /** Adds an override (it wins over earlier ones where they overlap). */
    async addOverride(scheduleId: string, override: Override): Promise<Schedule> {
      return store.transaction(async (tx) => {
        const row = await findSchedule(tx, scheduleId);
        if (!row) throw notFound(`schedule ${scheduleId}`);
        const schedule = toSchedule(row);
        const next: Schedule = { ...schedule, overrides: [...(schedule.overrides ?? []), override] };
        const problems = scheduleProblems(next);
        if (problems.length > 0) refuse('override', problems);
        await updateScheduleOverrides(tx, scheduleId, JSON.stringify(next.overrides), clock.now());
        return next;
      });
    },

    /** The schedule's shifts from `from` to `to`, only `person`'s when given. */
    async shifts(scheduleId: string, from: number, to: number, person?: string): Promise<Shift[]> {
      const all = shifts(await scheduleOrThrow(scheduleId), from, to);
      return person === undefined ? all : all.filter((s) => s.person === person);
    },

    async createPolicy(input: Omit<EscalationPolicy, 'id'>): Promise<EscalationPolicy> {
      const policy: EscalationPolicy = { id: newId(), name: input.name, levels: input.levels, repeat: input.repeat };
      return store.transaction(async (tx) => {
        const problems = policyProblems(policy);
        if (!policy.name.trim()) problems.unshift('name: a name is required');
        const wanted = policy.levels.flatMap((l) =>
          l.targets.flatMap((t) => (t.kind === 'schedule' ? [t.scheduleId] : [])),
        );
        const known = await existingScheduleIds(tx, [...new Set(wanted)]);
        policy.levels.forEach((level, i) => {
          level.targets.forEach((t, j) => {
            if (t.kind === 'schedule' && !known.has(t.scheduleId)) {
              problems.push(`levels.${i}.targets.${j}: no schedule ${t.scheduleId}`);
            }
          });
        });
        if (problems.length > 0) refuse('escalation policy', problems);
        const now = clock.now();
        await insertPolicy(tx, {
          id: policy.id,
          name: policy.name,
          levels: JSON.stringify(policy.levels),
          repeat: policy.repeat,
          created_at: now,
          updated_at: now,
        });
        return policy;
      });
    },

    /** Who is on call at `at` on the schedule named `name` (plans name their schedules); null for none or no such schedule. */
    async onCallByName(name: string, at: number, db: Db = store.db): Promise<string | null> {
      const row = await scheduleByName(db, name);
      return row ? onCallAt(toSchedule(row), at) : null;
    },

    /** The id of the escalation policy named `name`, or null. */
    async policyIdByName(name: string, db: Db = store.db): Promise<string | null> {
      return (await policyByName(db, name))?.id ?? null;
    },

    /** The escalation policy, or null (in the caller's transaction when given one). */
    async policy(id: string, db: Db = store.db): Promise<EscalationPolicy | null> {
      const row = await findPolicy(db, id);
      return row ? toPolicy(row) : null;
    },
  };
}
export type OncallService = ReturnType<typeof createOncallService>;
