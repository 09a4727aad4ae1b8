/** Escalation plans and the next step of an unacknowledged page, driven by instants only. */
import { describe, expect, it } from 'vitest';
import { type EscalationPolicy, escalationPlan, nextStep, policyProblems, recipients } from './escalation.js';
import type { Schedule } from './schedule.types.js';

const T = Date.parse('2026-03-03T02:00:00Z');
const MIN = 60_000;

const primary = { kind: 'schedule', scheduleId: 's-primary' } as const;
const lead = { kind: 'person', personId: 'lead' } as const;
const ciso = { kind: 'person', personId: 'ciso' } as const;

const policy: EscalationPolicy = {
  id: 'p-soc',
  name: 'SOC',
  levels: [
    { targets: [primary], waitMinutes: 5 },
    { targets: [lead, ciso], waitMinutes: 10 },
  ],
  repeat: 1,
};

describe('escalationPlan', () => {
  it('pages each level in order, after the previous level waited, and the whole list again `repeat` times', () => {
    expect(escalationPlan(policy, T)).toEqual([
      { index: 0, round: 0, level: 0, targets: [primary], at: T },
      { index: 1, round: 0, level: 1, targets: [lead, ciso], at: T + 5 * MIN },
      { index: 2, round: 1, level: 0, targets: [primary], at: T + 15 * MIN },
      { index: 3, round: 1, level: 1, targets: [lead, ciso], at: T + 20 * MIN },
    ]);
    expect(escalationPlan({ ...policy, repeat: 0 }, T)).toHaveLength(2);
  });

  it('refuses a policy it cannot follow, naming each problem', () => {
    const bad: EscalationPolicy = { id: 'p-bad', name: 'bad', levels: [{ targets: [], waitMinutes: 0 }], repeat: -1 };
    expect(policyProblems(bad)).toEqual([
      'levels.0.targets: at least one target',
      'levels.0.waitMinutes: a whole number of minutes, at least 1',
      'repeat: 0 to 9',
    ]);
    expect(policyProblems({ ...policy, levels: [] })).toEqual(['levels: at least one level']);
    expect(() => escalationPlan(bad, T)).toThrow(RangeError);
    expect(policyProblems(policy)).toEqual([]);
  });
});

describe('nextStep', () => {
  const plan = escalationPlan(policy, T);

  it('pages the first level at once, then waits until the exact instant the next level is due', () => {
    expect(nextStep(policy, { pagedAt: T, sent: 0 }, T)).toEqual({ action: 'page', step: plan[0] });
    expect(nextStep(policy, { pagedAt: T, sent: 1 }, T + 5 * MIN - 1)).toEqual({ action: 'wait', step: plan[1] });
    expect(nextStep(policy, { pagedAt: T, sent: 1 }, T + 5 * MIN)).toEqual({ action: 'page', step: plan[1] });
    expect(nextStep(policy, { pagedAt: T, sent: 2 }, T + 15 * MIN)).toEqual({ action: 'page', step: plan[2] });
  });

  it('acknowledging stops it from the acknowledgement on', () => {
    const acked = { pagedAt: T, sent: 1, acknowledgedAt: T + 3 * MIN };
    expect(nextStep(policy, acked, T + 5 * MIN)).toEqual({ action: 'stop', reason: 'acknowledged' });
    expect(nextStep(policy, acked, T + 3 * MIN)).toEqual({ action: 'stop', reason: 'acknowledged' });
    expect(nextStep(policy, { ...acked, acknowledgedAt: null }, T + 5 * MIN)).toEqual({
      action: 'page',
      step: plan[1],
    });
  });

  it('after downtime the overdue steps are paged in turn, then it stops when every step was sent', () => {
    const late = T + 60 * MIN;
    expect(nextStep(policy, { pagedAt: T, sent: 1 }, late)).toEqual({ action: 'page', step: plan[1] });
    expect(nextStep(policy, { pagedAt: T, sent: 3 }, late)).toEqual({ action: 'page', step: plan[3] });
    expect(nextStep(policy, { pagedAt: T, sent: 4 }, late)).toEqual({ action: 'stop', reason: 'exhausted' });
  });
});

describe('recipients', () => {
  const schedule: Schedule = {
    id: 's-primary',
    name: 'SOC primary',
    layers: [{ rotation: 'daily', participants: ['a', 'b'], handoffTime: '09:00', startDate: '2026-03-02' }],
  };
  const schedules = new Map([[schedule.id, schedule]]);

  it('resolves a schedule to whoever is on call at the step, each person once, unknown schedules to nobody', () => {
    expect(recipients([primary, lead], schedules, Date.parse('2026-03-03T00:59:59Z'))).toEqual(['a', 'lead']);
    expect(recipients([primary, lead], schedules, Date.parse('2026-03-03T01:00:00Z'))).toEqual(['b', 'lead']);
    expect(recipients([lead, lead, { kind: 'schedule', scheduleId: 'gone' }], schedules, T)).toEqual(['lead']);
  });
});
