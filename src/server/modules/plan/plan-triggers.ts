/**
 * When a plan starts by itself: a plan matches when any of its triggers matches, and a trigger matches
 * when all of its conditions hold for the incident's facts (its alerts' rules, tags and highest level; its
 * category, grade and services).
 */
import { ALERT_LEVELS, GRADES, type AlertLevel, type Category, type Grade } from '../../../shared/enums.js';
import type { Plan } from '../../../shared/plan-schemas.js';

export interface TriggerFacts {
  ruleIds: string[];
  tags: string[];
  category?: Category;
  grade?: Grade;
  services: string[];
  level?: AlertLevel;
}

type Trigger = Plan['triggers'][number];

const anyIn = (wanted: string[] | undefined, have: string[]) => !wanted || wanted.some((w) => have.includes(w));

function holds(t: Trigger, f: TriggerFacts): boolean {
  if (!anyIn(t.rules, f.ruleIds)) return false;
  const tags = f.tags.map((x) => x.toLowerCase());
  if (t.tags && !t.tags.some((x) => tags.includes(x.toLowerCase()))) return false;
  if (t.categories && (!f.category || !t.categories.includes(f.category))) return false;
  // GRADES run from I (most severe) to IV: "at least III" is I, II or III.
  if (t.min_grade && (!f.grade || GRADES.indexOf(f.grade) > GRADES.indexOf(t.min_grade))) return false;
  if (!anyIn(t.services, f.services)) return false;
  if (t.min_level && (!f.level || ALERT_LEVELS.indexOf(f.level) < ALERT_LEVELS.indexOf(t.min_level))) return false;
  return true;
}

/** The index of the first trigger of `plan` that matches, or -1. */
export function matchingTrigger(plan: Pick<Plan, 'triggers'>, facts: TriggerFacts): number {
  return plan.triggers.findIndex((t) => holds(t, facts));
}
