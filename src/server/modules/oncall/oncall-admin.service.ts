/**
 * On-call through the API: schedules (with overrides) and escalation policies read by everyone
 * (oncall.read), changed by oncall.manage, every change audited in its transaction; who is on call now,
 * shifts over a window, the iCalendar export and its session-less feed (a per-schedule capability token).
 */
import { randomBytes } from 'node:crypto';
import type { PolicyInput, ScheduleInput, ScheduleView } from '../../../shared/oncall-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db, EscalationPoliciesTable, OncallSchedulesTable } from '../../platform/db/types.js';
import { conflict, type FieldError, invalid, notFound } from '../../platform/errors.js';
import { type Clock, newId } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { UserService } from '../user/index.js';
import { type EscalationPolicy, policyProblems } from './escalation.js';
import { toICalendar } from './icalendar.js';
import {
  deletePolicy,
  deleteSchedule,
  existingScheduleIds,
  findPolicy,
  findSchedule,
  insertPolicy,
  insertSchedule,
  listPolicies,
  listSchedules,
  scheduleByFeedToken,
  setFeedToken,
  updatePolicy,
  updateSchedule,
} from './oncall.repository.js';
import { onCallAt, scheduleProblems, shifts } from './schedule.js';
import { DEFAULT_TIME_ZONE, type Schedule } from './schedule.types.js';

const MAX_WINDOW_MS = 62 * 86_400_000;

function refuse(what: string, problems: string[]): never {
  const errors: FieldError[] = problems.map((p) => {
    const at = p.indexOf(': ');
    return { path: `body.${p.slice(0, at)}`, message: p.slice(at + 2) };
  });
  throw invalid(`the ${what} cannot be used: ${problems.join('; ')}`, errors);
}

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

export function createOncallAdmin(deps: {
  store: Store;
  clock: Clock;
  audit: AuditService;
  users: UserService;
  publicUrl: string;
  /**
   * Refuses (throws) when a person may not go on call (the training module's required on-call course);
   * given the people a change adds, in its transaction.
   */
  gate?: (db: Db, userIds: string[]) => Promise<void>;
}) {
  const { store, clock, audit, users } = deps;
  const feedUrl = (token: string | null | undefined) =>
    token ? `${deps.publicUrl}/api/v1/oncall/feeds/${token}` : null;
  const view = (r: OncallSchedulesTable): ScheduleView => {
    const s = toSchedule(r);
    return {
      id: s.id,
      name: s.name,
      timeZone: s.timeZone ?? DEFAULT_TIME_ZONE,
      layers: s.layers as ScheduleView['layers'],
      overrides: (s.overrides ?? []).map((o) => ({
        person: o.person,
        from: new Date(o.from).toISOString(),
        to: new Date(o.to).toISOString(),
      })),
      feedUrl: feedUrl(r.feed_token),
    };
  };

  async function rowOrThrow(db: Db, id: string): Promise<OncallSchedulesTable> {
    const row = await findSchedule(db, id);
    if (!row) throw notFound(`schedule ${id}`);
    return row;
  }

  /** People a schedule or policy names that are not in the directory. */
  async function unknownPeople(ids: string[], db: Db): Promise<Set<string>> {
    const names = await users.namesOf(ids, db);
    return new Set(ids.filter((id) => !names.has(id)));
  }

  const peopleOf = (s: Schedule) =>
    new Set([...s.layers.flatMap((l) => l.participants), ...(s.overrides ?? []).map((o) => o.person)]);

  /** The people `next` puts on call that `before` did not (all of them for a new schedule). */
  async function gatePeople(tx: Db, before: Schedule | null, next: Schedule): Promise<void> {
    if (!deps.gate) return;
    const had = before ? peopleOf(before) : new Set<string>();
    await deps.gate(
      tx,
      [...peopleOf(next)].filter((id) => !had.has(id)),
    );
  }

  async function checkSchedule(tx: Db, s: Schedule): Promise<void> {
    const problems = scheduleProblems(s);
    const people = [...s.layers.flatMap((l) => l.participants), ...(s.overrides ?? []).map((o) => o.person)];
    const unknown = await unknownPeople([...new Set(people)], tx);
    s.layers.forEach((l, i) => {
      l.participants.forEach((p, j) => {
        if (unknown.has(p)) problems.push(`layers.${i}.participants.${j}: no user ${p}`);
      });
    });
    (s.overrides ?? []).forEach((o, i) => {
      if (unknown.has(o.person)) problems.push(`overrides.${i}.person: no user ${o.person}`);
    });
    if (problems.length > 0) refuse('schedule', problems);
  }

  async function checkPolicy(tx: Db, policy: EscalationPolicy): Promise<void> {
    const problems = policyProblems(policy);
    const scheduleIds = policy.levels.flatMap((l) =>
      l.targets.flatMap((t) => (t.kind === 'schedule' ? [t.scheduleId] : [])),
    );
    const known = await existingScheduleIds(tx, [...new Set(scheduleIds)]);
    const people = policy.levels.flatMap((l) => l.targets.flatMap((t) => (t.kind === 'person' ? [t.personId] : [])));
    const unknown = await unknownPeople([...new Set(people)], tx);
    policy.levels.forEach((level, i) => {
      level.targets.forEach((t, j) => {
        if (t.kind === 'schedule' && !known.has(t.scheduleId))
          problems.push(`levels.${i}.targets.${j}: no schedule ${t.scheduleId}`);
        if (t.kind === 'person' && unknown.has(t.personId))
          problems.push(`levels.${i}.targets.${j}: no user ${t.personId}`);
      });
    });
    if (problems.length > 0) refuse('escalation policy', problems);
  }

  const fromInput = (id: string, input: ScheduleInput): Schedule => ({
    id,
    name: input.name,
    timeZone: input.timeZone ?? DEFAULT_TIME_ZONE,
    layers: input.layers,
    overrides: (input.overrides ?? []).map((o) => ({
      person: o.person,
      from: Date.parse(o.from),
      to: Date.parse(o.to),
    })),
  });

  async function writeSchedule(
    p: Principal,
    id: string,
    mutate: (s: Schedule) => Schedule,
    action: 'oncall.schedule_update' | 'oncall.override_add' | 'oncall.override_remove',
  ) {
    assertCan(p, 'oncall.manage');
    return store.transaction(async (tx) => {
      const before = toSchedule(await rowOrThrow(tx, id));
      const next = mutate(before);
      await checkSchedule(tx, next);
      await gatePeople(tx, before, next);
      const now = clock.now();
      await updateSchedule(tx, id, {
        name: next.name,
        time_zone: next.timeZone ?? DEFAULT_TIME_ZONE,
        layers: JSON.stringify(next.layers),
        overrides: JSON.stringify(next.overrides ?? []),
        updated_at: now,
      });
      await audit.append(tx, actorOf(p), { action, targetType: 'oncall_schedule', targetId: id, before, after: next });
      return view((await findSchedule(tx, id))!);
    });
  }

  return {
    async listSchedules(p: Principal): Promise<{ items: ScheduleView[] }> {
      assertCan(p, 'oncall.read');
      return { items: (await listSchedules(store.db)).map(view) };
    },
    async getSchedule(p: Principal, id: string): Promise<ScheduleView> {
      assertCan(p, 'oncall.read');
      return view(await rowOrThrow(store.db, id));
    },
    async createSchedule(p: Principal, input: ScheduleInput): Promise<ScheduleView> {
      assertCan(p, 'oncall.manage');
      const s = fromInput(newId(), input);
      return store.transaction(async (tx) => {
        await checkSchedule(tx, s);
        await gatePeople(tx, null, s);
        const now = clock.now();
        const row: OncallSchedulesTable = {
          id: s.id,
          name: s.name,
          time_zone: s.timeZone!,
          layers: JSON.stringify(s.layers),
          overrides: JSON.stringify(s.overrides),
          created_at: now,
          updated_at: now,
        };
        await insertSchedule(tx, row);
        await audit.append(tx, actorOf(p), {
          action: 'oncall.schedule_create',
          targetType: 'oncall_schedule',
          targetId: s.id,
          after: s,
        });
        return view(row);
      });
    },
    updateSchedule: (p: Principal, id: string, input: ScheduleInput) =>
      writeSchedule(p, id, () => fromInput(id, input), 'oncall.schedule_update'),
    addOverride: (p: Principal, id: string, o: { person: string; from: string; to: string }) =>
      writeSchedule(
        p,
        id,
        (s) => ({
          ...s,
          overrides: [...(s.overrides ?? []), { person: o.person, from: Date.parse(o.from), to: Date.parse(o.to) }],
        }),
        'oncall.override_add',
      ),
    removeOverride: (p: Principal, id: string, index: number) =>
      writeSchedule(
        p,
        id,
        (s) => {
          if (!(s.overrides ?? [])[index]) throw notFound(`override ${index} of schedule ${id}`);
          return { ...s, overrides: (s.overrides ?? []).filter((_, i) => i !== index) };
        },
        'oncall.override_remove',
      ),
    async deleteSchedule(p: Principal, id: string): Promise<void> {
      assertCan(p, 'oncall.manage');
      await store.transaction(async (tx) => {
        const before = toSchedule(await rowOrThrow(tx, id));
        const users = (await listPolicies(tx))
          .map(toPolicy)
          .filter((pol) => pol.levels.some((l) => l.targets.some((t) => t.kind === 'schedule' && t.scheduleId === id)));
        if (users.length > 0)
          throw conflict(`escalation policies use this schedule: ${users.map((u) => u.name).join(', ')}`);
        await deleteSchedule(tx, id);
        await audit.append(tx, actorOf(p), {
          action: 'oncall.schedule_delete',
          targetType: 'oncall_schedule',
          targetId: id,
          before,
        });
      });
    },
    /** Who is on call at the clock's now. */
    async now(p: Principal, id: string) {
      assertCan(p, 'oncall.read');
      const s = toSchedule(await rowOrThrow(store.db, id));
      const at = clock.now();
      const person = onCallAt(s, at);
      const names = person ? await users.namesOf([person]) : new Map<string, string>();
      return { at: new Date(at).toISOString(), person, personName: person ? (names.get(person) ?? null) : null };
    },
    async shifts(p: Principal, id: string, from: number, to: number) {
      assertCan(p, 'oncall.read');
      if (!(from < to) || to - from > MAX_WINDOW_MS)
        throw invalid('from must be before to, at most 62 days apart', [
          { path: 'query.to', message: 'at most 62 days after from' },
        ]);
      const list = shifts(toSchedule(await rowOrThrow(store.db, id)), from, to);
      const names = await users.namesOf(new Set(list.map((s) => s.person)));
      return {
        items: list.map((s) => ({
          person: s.person,
          personName: names.get(s.person) ?? null,
          start: new Date(s.start).toISOString(),
          end: new Date(s.end).toISOString(),
          override: s.override,
        })),
      };
    },
    /** The iCalendar of the next 8 weeks (from a week ago), only `person`'s shifts when given. */
    async calendar(p: Principal | null, id: string, opts: { person?: string; language?: 'zh-CN' | 'en' } = {}) {
      if (p) assertCan(p, 'oncall.read');
      return calendarOf(toSchedule(await rowOrThrow(store.db, id)), opts);
    },
    /** The feed a calendar app subscribes to: null for an unknown token. */
    async feed(token: string, language?: 'zh-CN' | 'en'): Promise<string | null> {
      const row = await scheduleByFeedToken(store.db, token);
      return row ? calendarOf(toSchedule(row), { language }) : null;
    },
    /** Makes (or replaces: the old URL stops working) the schedule's feed token. */
    async resetFeed(p: Principal, id: string): Promise<ScheduleView> {
      assertCan(p, 'oncall.manage');
      return store.transaction(async (tx) => {
        await rowOrThrow(tx, id);
        await setFeedToken(tx, id, randomBytes(24).toString('base64url'), clock.now());
        await audit.append(tx, actorOf(p), {
          action: 'oncall.feed_token_reset',
          targetType: 'oncall_schedule',
          targetId: id,
        });
        return view((await findSchedule(tx, id))!);
      });
    },

    async listPolicies(p: Principal): Promise<{ items: EscalationPolicy[] }> {
      assertCan(p, 'oncall.read');
      return { items: (await listPolicies(store.db)).map(toPolicy) };
    },
    async getPolicy(p: Principal, id: string): Promise<EscalationPolicy> {
      assertCan(p, 'oncall.read');
      const row = await findPolicy(store.db, id);
      if (!row) throw notFound(`escalation policy ${id}`);
      return toPolicy(row);
    },
    async createPolicy(p: Principal, input: PolicyInput): Promise<EscalationPolicy> {
      assertCan(p, 'oncall.manage');
      const policy: EscalationPolicy = { id: newId(), ...input };
      return store.transaction(async (tx) => {
        await checkPolicy(tx, policy);
        const now = clock.now();
        await insertPolicy(tx, {
          id: policy.id,
          name: policy.name,
          levels: JSON.stringify(policy.levels),
          repeat: policy.repeat,
          created_at: now,
          updated_at: now,
        });
        await audit.append(tx, actorOf(p), {
          action: 'oncall.policy_create',
          targetType: 'escalation_policy',
          targetId: policy.id,
          after: policy,
        });
        return policy;
      });
    },
    async updatePolicy(p: Principal, id: string, input: PolicyInput): Promise<EscalationPolicy> {
      assertCan(p, 'oncall.manage');
      const policy: EscalationPolicy = { id, ...input };
      return store.transaction(async (tx) => {
        const row = await findPolicy(tx, id);
        if (!row) throw notFound(`escalation policy ${id}`);
        await checkPolicy(tx, policy);
        await updatePolicy(tx, id, {
          name: policy.name,
          levels: JSON.stringify(policy.levels),
          repeat: policy.repeat,
          updated_at: clock.now(),
        });
        await audit.append(tx, actorOf(p), {
          action: 'oncall.policy_update',
          targetType: 'escalation_policy',
          targetId: id,
          before: toPolicy(row),
          after: policy,
        });
        return policy;
      });
    },
    async deletePolicy(p: Principal, id: string): Promise<void> {
      assertCan(p, 'oncall.manage');
      await store.transaction(async (tx) => {
        const row = await findPolicy(tx, id);
        if (!row) throw notFound(`escalation policy ${id}`);
        await deletePolicy(tx, id);
        await audit.append(tx, actorOf(p), {
          action: 'oncall.policy_delete',
          targetType: 'escalation_policy',
          targetId: id,
          before: toPolicy(row),
        });
      });
    },
  };

  async function calendarOf(s: Schedule, opts: { person?: string; language?: 'zh-CN' | 'en' }): Promise<string> {
    const now = clock.now();
    let list = shifts(s, now - 7 * 86_400_000, now + 56 * 86_400_000);
    if (opts.person) list = list.filter((x) => x.person === opts.person);
    const names = await users.namesOf(new Set(list.map((x) => x.person)));
    return toICalendar(list, names, { stamp: now, calendarName: s.name, scope: s.id, language: opts.language });
  }
}

export type OncallAdmin = ReturnType<typeof createOncallAdmin>;
