import { describe, expect, it } from 'vitest';
import { matchingTrigger, type TriggerFacts } from './plan-triggers.js';

const facts = (f: Partial<TriggerFacts>): TriggerFacts => ({ ruleIds: [], tags: [], services: [], ...f });

describe('matchingTrigger', () => {
  const plan = {
    triggers: [
      { rules: ['stuffing'] },
      { rules: ['transfer_out'], min_level: 'high' as const },
      { tags: ['attack.t1110.004'], services: ['online-trading', 'mobile-app'], min_grade: 'III' as const },
      { categories: ['data_security' as const] },
    ],
  };

  it('matches on any listed rule', () => {
    expect(matchingTrigger(plan, facts({ ruleIds: ['other', 'stuffing'] }))).toBe(0);
    expect(matchingTrigger(plan, facts({ ruleIds: ['other'] }))).toBe(-1);
  });

  it('needs every condition of one trigger: the level at least the minimum', () => {
    expect(matchingTrigger(plan, facts({ ruleIds: ['transfer_out'], level: 'medium' }))).toBe(-1);
    expect(matchingTrigger(plan, facts({ ruleIds: ['transfer_out'], level: 'high' }))).toBe(1);
    expect(matchingTrigger(plan, facts({ ruleIds: ['transfer_out'], level: 'critical' }))).toBe(1);
    expect(matchingTrigger(plan, facts({ ruleIds: ['transfer_out'] }))).toBe(-1);
  });

  it('reads grades with I as the most severe, and tags without regard to case', () => {
    const base = { tags: ['ATTACK.T1110.004'], services: ['mobile-app'] };
    expect(matchingTrigger(plan, facts({ ...base, grade: 'IV' }))).toBe(-1);
    expect(matchingTrigger(plan, facts({ ...base, grade: 'III' }))).toBe(2);
    expect(matchingTrigger(plan, facts({ ...base, grade: 'I' }))).toBe(2);
    expect(matchingTrigger(plan, facts({ ...base, grade: 'I', services: ['market-data'] }))).toBe(-1);
  });

  it('matches a category', () => {
    expect(matchingTrigger(plan, facts({ category: 'data_security' }))).toBe(3);
    expect(matchingTrigger(plan, facts({ category: 'network_attack' }))).toBe(-1);
  });
});
