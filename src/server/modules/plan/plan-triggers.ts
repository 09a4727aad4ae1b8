/**
 * Whether a plan applies to what was detected: a plan matches when ANY of its triggers matches, and a
 * trigger matches when ALL of its conditions hold. Pure, for the activation engine (docs/plans.md).
 */
import { ALERT_LEVELS, type AlertLevel, type Category, GRADES, type Grade } from '../../../shared/enums.js';
import type { Plan } from '../../../shared/plan-schemas.js';

/** What is known about an alert or incident when plans are matched against it. */
export interface TriggerFacts {
  /** Ids (and names) of the rules that matched. */
  ruleIds: string[];
  /** Tags of those rules. */
  tags: string[];
  category?: Category;
  grade?: Grade;
  /** Keys of the catalog services affected. */
  services: string[];
  /** The most severe alert level seen. */
  level?: AlertLevel;
}

type Trigger = Plan['triggers'][number];

const anyShared = (wanted: readonly string[], have: readonly string[]) => wanted.some((w) => have.includes(w));

/** Grade I is the most severe: `grade` is at least as severe as `min` when it comes no later in GRADES. */
const gradeAtLeast = (grade: Grade | undefined, min: Grade) =>
  grade !== undefined && GRADES.indexOf(grade) <= GRADES.indexOf(min);

/** Levels run informational < low < medium < high < critical. */
const levelAtLeast = (level: AlertLevel | undefined, min: AlertLevel) =>
  level !== undefined && ALERT_LEVELS.indexOf(level) >= ALERT_LEVELS.indexOf(min);

/** Whether every condition of one trigger holds (a condition that is absent holds). */
export function triggerHolds(trigger: Trigger, facts: TriggerFacts): boolean {
  if (trigger.rules && !anyShared(trigger.rules, facts.ruleIds)) return false;
  if (trigger.tags && !anyShared(trigger.tags, facts.tags)) return false;
  if (trigger.categories && (facts.category === undefined || !trigger.categories.includes(facts.category)))
    return false;
  if (trigger.min_grade && !gradeAtLeast(facts.grade, trigger.min_grade)) return false;
  if (trigger.services && !anyShared(trigger.services, facts.services)) return false;
  if (trigger.min_level && !levelAtLeast(facts.level, trigger.min_level)) return false;
  return true;
}

/** Whether the plan applies: any one of its triggers holds. */
export function triggerMatches(plan: Pick<Plan, 'triggers'>, facts: TriggerFacts): boolean {
  return plan.triggers.some((t) => triggerHolds(t, facts));
}

/** The index of the first trigger of `plan` that holds, or -1 (activation records which one started the plan). */
export function matchingTrigger(plan: Pick<Plan, 'triggers'>, facts: TriggerFacts): number {
  return plan.triggers.findIndex((t) => triggerHolds(t, facts));
}
