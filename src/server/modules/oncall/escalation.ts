/**
 * Escalation policies: who is paged, in which order and when, for a page nobody acknowledges.
 * Pure functions of the policy and the instants given (epoch ms); nothing here reads a clock.
 */
import { onCallAt } from './schedule.js';
import type { Schedule } from './schedule.types.js';

/** Whom a level pages: everyone on call on a schedule at that moment, or one person. */
export type EscalationTarget = { kind: 'schedule'; scheduleId: string } | { kind: 'person'; personId: string };

export interface EscalationLevel {
  targets: readonly EscalationTarget[];
  /** Minutes to wait for an acknowledgement before the next level (or the next round) is paged. */
  waitMinutes: number;
}

export interface EscalationPolicy {
  id: string;
  name: string;
  levels: readonly EscalationLevel[];
  /** How many times the whole list of levels is paged again after the first round (0: once only). */
  repeat: number;
}

/** One page to send: level `level` (0-based) of round `round` (0-based), at instant `at`. */
export interface EscalationStep {
  index: number;
  round: number;
  level: number;
  targets: readonly EscalationTarget[];
  at: number;
}

/** What is wrong with a policy, one line per problem (empty when it is usable). */
export function policyProblems(policy: EscalationPolicy): string[] {
  const problems: string[] = [];
  if (policy.levels.length === 0) problems.push('levels: at least one level');
  policy.levels.forEach((level, i) => {
    if (level.targets.length === 0) problems.push(`levels.${i}.targets: at least one target`);
    if (!(Number.isInteger(level.waitMinutes) && level.waitMinutes >= 1)) {
      problems.push(`levels.${i}.waitMinutes: a whole number of minutes, at least 1`);
    }
  });
  if (!(Number.isInteger(policy.repeat) && policy.repeat >= 0 && policy.repeat <= 9)) {
    problems.push('repeat: 0 to 9');
  }
  return problems;
}

/** Every page the policy sends for a page raised at `pagedAt` that nobody acknowledges, in order. */
export function escalationPlan(policy: EscalationPolicy, pagedAt: number): EscalationStep[] {
  const problems = policyProblems(policy);
  if (problems.length > 0) throw new RangeError(`escalation policy ${policy.id}: ${problems.join('; ')}`);
  const steps: EscalationStep[] = [];
  let at = pagedAt;
  for (let round = 0; round <= policy.repeat; round++) {
    policy.levels.forEach((level, i) => {
      steps.push({ index: steps.length, round, level: i, targets: level.targets, at });
      at += level.waitMinutes * 60_000;
    });
  }
  return steps;
}

/** Where one page stands: when it was raised, how many steps were sent, whether someone acknowledged it. */
export interface PageState {
  pagedAt: number;
  /** Steps of the plan already sent (the first `sent` of `escalationPlan`). */
  sent: number;
  acknowledgedAt?: number | null;
}

export type NextStep =
  /** Send `step` now (it is due; several may be due after downtime — send them in turn). */
  | { action: 'page'; step: EscalationStep }
  /** Nothing to send before `step.at`. */
  | { action: 'wait'; step: EscalationStep }
  /** Stop: someone acknowledged, or every step of the plan was sent. */
  | { action: 'stop'; reason: 'acknowledged' | 'exhausted' };

/**
 * What to do at `now` for a page: page the next step, wait for it, or stop. Acknowledging stops the
 * escalation from the instant of the acknowledgement on.
 */
export function nextStep(policy: EscalationPolicy, state: PageState, now: number): NextStep {
  if (state.acknowledgedAt != null && state.acknowledgedAt <= now) return { action: 'stop', reason: 'acknowledged' };
  const step = escalationPlan(policy, state.pagedAt)[state.sent];
  if (!step) return { action: 'stop', reason: 'exhausted' };
  return step.at <= now ? { action: 'page', step } : { action: 'wait', step };
}

/** The people a step pages at instant `at`: schedules resolved to whoever is on call then, each person once. */
export function recipients(
  targets: readonly EscalationTarget[],
  schedules: ReadonlyMap<string, Schedule>,
  at: number,
): string[] {
  const people = new Set<string>();
  for (const target of targets) {
    if (target.kind === 'person') {
      people.add(target.personId);
      continue;
    }
    const schedule = schedules.get(target.scheduleId);
    const person = schedule ? onCallAt(schedule, at) : null;
    if (person) people.add(person);
  }
  return [...people];
}
