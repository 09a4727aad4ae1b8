/** triggerMatches: any trigger, all conditions; grades (I most severe) and levels (critical highest) compared by order. */
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../shared/plan-schemas.js';
import { type TriggerFacts, triggerHolds, triggerMatches } from './plan-triggers.js';

type Trigger = Plan['triggers'][number];
const facts = (f: Partial<TriggerFacts> = {}): TriggerFacts => ({ ruleIds: [], tags: [], services: [], ...f });
const plan = (...triggers: Trigger[]) => ({ triggers });

describe('one condition', () => {
  it('rules: any listed rule among the rule ids', () => {
    const t: Trigger = { rules: ['r1', 'r2'] };
    expect(triggerHolds(t, facts({ ruleIds: ['x', 'r2'] }))).toBe(true);
    expect(triggerHolds(t, facts({ ruleIds: ['x'] }))).toBe(false);
    expect(triggerHolds(t, facts())).toBe(false);
  });

  it('tags: any listed tag', () => {
    const t: Trigger = { tags: ['attack.t1110.004', 'attack.t1078'] };
    expect(triggerHolds(t, facts({ tags: ['attack.t1078'] }))).toBe(true);
    expect(triggerHolds(t, facts({ tags: ['attack.t1110'] }))).toBe(false); // no prefix matching
  });

  it('categories: the category is in the list; an unknown category does not match', () => {
    const t: Trigger = { categories: ['network_attack', 'data_security'] };
    expect(triggerHolds(t, facts({ category: 'data_security' }))).toBe(true);
    expect(triggerHolds(t, facts({ category: 'other' }))).toBe(false);
    expect(triggerHolds(t, facts())).toBe(false);
  });

  it.each([
    ['I', 'I', true],
    ['I', 'III', true],
    ['III', 'III', true],
    ['IV', 'III', false],
    ['II', 'I', false],
    ['IV', 'IV', true],
  ] as const)('min_grade: grade %s against min %s -> %s', (grade, min, expected) => {
    expect(triggerHolds({ min_grade: min }, facts({ grade }))).toBe(expected);
  });

  it('min_grade without a grade does not match', () => {
    expect(triggerHolds({ min_grade: 'IV' }, facts())).toBe(false);
  });

  it('services: any in common', () => {
    const t: Trigger = { services: ['online-trading', 'mobile-app'] };
    expect(triggerHolds(t, facts({ services: ['market-data', 'mobile-app'] }))).toBe(true);
    expect(triggerHolds(t, facts({ services: ['market-data'] }))).toBe(false);
  });

  it.each([
    ['critical', 'high', true],
    ['high', 'high', true],
    ['medium', 'high', false],
    ['informational', 'informational', true],
    ['low', 'medium', false],
    ['critical', 'informational', true],
  ] as const)('min_level: level %s against min %s -> %s', (level, min, expected) => {
    expect(triggerHolds({ min_level: min }, facts({ level }))).toBe(expected);
  });

  it('min_level without a level does not match', () => {
    expect(triggerHolds({ min_level: 'informational' }, facts())).toBe(false);
  });
});

describe('a trigger with several conditions needs all of them', () => {
  const t: Trigger = { tags: ['attack.t1110.004'], services: ['online-trading'], min_grade: 'III' };
  const all = facts({ tags: ['attack.t1110.004'], services: ['online-trading'], grade: 'II' });
  it('holds when every condition holds', () => expect(triggerHolds(t, all)).toBe(true));
  it.each([
    ['tag', { tags: [] }],
    ['service', { services: ['mobile-app'] }],
    ['grade', { grade: 'IV' as const }],
  ])('fails without the %s', (_what, change) => {
    expect(triggerHolds(t, { ...all, ...change })).toBe(false);
  });
});

describe('a plan matches when any trigger matches', () => {
  const p = plan({ rules: ['stuffing'] }, { categories: ['network_attack'], min_level: 'high' });
  it('first trigger', () => expect(triggerMatches(p, facts({ ruleIds: ['stuffing'] }))).toBe(true));
  it('second trigger', () =>
    expect(triggerMatches(p, facts({ category: 'network_attack', level: 'critical' }))).toBe(true));
  it('neither (the second only half)', () =>
    expect(triggerMatches(p, facts({ category: 'network_attack', level: 'medium' }))).toBe(false));
  it('no triggers, no match', () => expect(triggerMatches(plan(), facts({ ruleIds: ['stuffing'] }))).toBe(false));
});

it('the bundled account-takeover triggers', async () => {
  const { lintPlanFile } = await import('./plan-lint.js');
  const doc = lintPlanFile('plans/account-takeover.yml').plan!;
  expect(doc).not.toBeNull();
  // The credential stuffing correlation's own id (the rules it reads raise no alerts).
  expect(triggerMatches(doc, facts({ ruleIds: ['95fa4895-874a-46cd-a448-2f770e76d64d'] }))).toBe(true);
  expect(triggerMatches(doc, facts({ ruleIds: ['tocsin_trading_login_stuffing_source'] }))).toBe(false);
  expect(triggerMatches(doc, facts({ ruleIds: ['unrelated'], category: 'other', grade: 'IV', level: 'low' }))).toBe(
    false,
  );
});
