/** Schedules and escalation policies stored and read back, on SQLite and (when configured) PostgreSQL. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS, countRows, testConfig } from '../../../../test/helpers/store.js';
import { migrate, openStore, type Store } from '../../platform/db/connect.js';
import { AppError } from '../../platform/errors.js';
import { escalationPlan } from './escalation.js';
import { createOncallService } from './oncall.service.js';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const layer = { rotation: 'daily', participants: ['a', 'b'], handoffTime: '09:00', startDate: '2026-03-02' } as const;

describe.each(STORE_KINDS)('on-call service (%s)', (kind) => {
  let store: Store;
  let drop: () => Promise<void>;
  const clock = { now: () => T0 };

  beforeEach(async () => {
    const t = testConfig(kind);
    drop = t.drop;
    store = await openStore(t.config.database);
    await migrate(store);
  });
  afterEach(async () => {
    await store.close();
    await drop();
  });

  it('stores a schedule (Asia/Shanghai when no zone is given) and reads it back with its shifts', async () => {
    const oncall = createOncallService({ store, clock });
    const created = await oncall.createSchedule({ name: '一线值班', layers: [layer] });
    expect(created.timeZone).toBe('Asia/Shanghai');
    expect(await oncall.schedule(created.id)).toEqual(created);
    expect(await oncall.schedules()).toEqual([created]);
    expect(await oncall.schedule('nope')).toBeNull();

    const withOverride = await oncall.addOverride(created.id, {
      person: 'x',
      from: Date.parse('2026-03-02T20:00:00Z'),
      to: Date.parse('2026-03-03T05:00:00Z'),
    });
    expect(await oncall.schedule(created.id)).toEqual(withOverride);
    const window = [Date.parse('2026-03-02T00:00:00Z'), Date.parse('2026-03-04T01:00:00Z')] as const;
    expect((await oncall.shifts(created.id, ...window)).map((s) => s.person)).toEqual(['a', 'x', 'b']);
    expect((await oncall.shifts(created.id, ...window, 'b')).map((s) => s.start)).toEqual([
      Date.parse('2026-03-03T05:00:00Z'),
    ]);
    await expect(oncall.shifts('nope', ...window)).rejects.toMatchObject({ status: 404 });
  });

  it('refuses an unusable schedule or override with one field error per problem, storing nothing', async () => {
    const oncall = createOncallService({ store, clock });
    const error = await oncall
      .createSchedule({ name: ' ', timeZone: 'Mars/Olympus', layers: [{ ...layer, participants: [] }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(422);
    expect((error as AppError).errors?.map((e) => e.path)).toEqual(['name', 'timeZone', 'layers.0.participants']);
    expect(await countRows(store, 'oncall_schedules')).toBe(0);

    const ok = await oncall.createSchedule({ name: 'ok', layers: [layer] });
    await expect(oncall.addOverride(ok.id, { person: 'x', from: 2, to: 1 })).rejects.toMatchObject({ status: 422 });
    expect((await oncall.schedule(ok.id))?.overrides).toEqual([]);
    await expect(oncall.addOverride('nope', { person: 'x', from: 1, to: 2 })).rejects.toMatchObject({ status: 404 });
  });

  it('stores an escalation policy whose schedules exist, and refuses one naming a missing schedule', async () => {
    const oncall = createOncallService({ store, clock });
    const schedule = await oncall.createSchedule({ name: 'SOC', layers: [layer] });
    const policy = await oncall.createPolicy({
      name: 'SOC escalation',
      levels: [
        { targets: [{ kind: 'schedule', scheduleId: schedule.id }], waitMinutes: 5 },
        { targets: [{ kind: 'person', personId: 'lead' }], waitMinutes: 10 },
      ],
      repeat: 2,
    });
    const stored = await oncall.policy(policy.id);
    expect(stored).toEqual(policy);
    expect(escalationPlan(stored!, T0)).toHaveLength(6);
    expect(await oncall.policy('nope')).toBeNull();

    const error = await oncall
      .createPolicy({
        name: 'bad',
        levels: [{ targets: [{ kind: 'schedule', scheduleId: 'gone' }], waitMinutes: 5 }],
        repeat: 0,
      })
      .catch((e: unknown) => e);
    expect((error as AppError).status).toBe(422);
    expect((error as AppError).errors).toEqual([{ path: 'levels.0.targets.0', message: 'no schedule gone' }]);
    expect(await countRows(store, 'escalation_policies')).toBe(1);
  });
});
