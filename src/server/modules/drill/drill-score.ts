/**
 * A drill's score, computed from what happened on its incident (never typed; docs/drills.md "Scoring").
 * Each measure is the time from the drill's start to a fact of the incident:
 * - activation: the first plan activation; target: the plan's earliest task due offset (a plan is late
 *   to start once its first task falls due);
 * - containment: the incident's `containedAt` milestone; target: the latest due offset of the plan's
 *   contain phase tasks;
 * - holding_statement: the first holding statement drafted; target: the plan's holding-statement step;
 * - cac_report / csrc_report: the first regulator report drafted for the CAC (`cac-report`) / the CSRC
 *   (`csrc-emergency`); target: the earliest deadline of that obligation's clocks on the incident (the
 *   CSRC one falls back to the plan's regulator-report step when no clock runs);
 * - customer_notice: the first customer campaign launched; target: the plan's customer-notice step.
 * A measure is met when reached within its target, missed when reached later, not_reached when there
 * is no such fact (never zero minutes), and no_target when neither the plan nor a clock gives one.
 * Score = met / measures with a target (not reached counts against the drill); null without targets.
 */
import type { DrillMeasure, DrillScore, MeasureScore } from '../../../shared/drill-schemas.js';
import type { Plan } from '../../../shared/plan-schemas.js';

/** Minutes of a due offset such as `+15m`, `+2h`, `+1d`. */
export function dueMinutes(due: string): number {
  const m = /^\+(\d+)([mhd])$/.exec(due);
  if (!m) return Number.NaN;
  return Number(m[1]) * (m[2] === 'm' ? 1 : m[2] === 'h' ? 60 : 1440);
}

/** The facts of the drill incident the measures read (instants in ms; null: not happened, undefined: withheld). */
export interface ScoreFacts {
  activatedAt: number | null | undefined;
  containedAt: number | null | undefined;
  holdingStatementAt: number | null | undefined;
  cacReportAt: number | null | undefined;
  csrcReportAt: number | null | undefined;
  customerNoticeAt: number | null | undefined;
  /** The earliest deadline of each obligation's clocks on the incident (ms), when one runs. */
  deadlines: Map<string, number>;
}

type Target = NonNullable<MeasureScore['target']>;

function planTargets(plan: Plan | null): Partial<Record<DrillMeasure, Target>> {
  if (!plan) return {};
  const out: Partial<Record<DrillMeasure, Target>> = {};
  const tasks = Object.values(plan.phases).flatMap((t) => t ?? []);
  const steps = [...tasks, ...(plan.communications ?? [])];
  const first = steps.reduce<{ id: string; due: string } | null>(
    (a, s) => (!a || dueMinutes(s.due) < dueMinutes(a.due) ? s : a),
    null,
  );
  if (first) out.activation = { minutes: dueMinutes(first.due), source: 'plan', ref: first.id };
  const contain = plan.phases.contain ?? [];
  const last = contain.reduce<{ id: string; due: string } | null>(
    (a, s) => (!a || dueMinutes(s.due) > dueMinutes(a.due) ? s : a),
    null,
  );
  if (last) out.containment = { minutes: dueMinutes(last.due), source: 'plan', ref: last.id };
  const comm = (kind: string) => (plan.communications ?? []).find((c) => c.statement === kind);
  const step = (kind: string): Target | undefined => {
    const c = comm(kind);
    return c ? { minutes: dueMinutes(c.due), source: 'plan', ref: c.id } : undefined;
  };
  const holding = step('holding_statement');
  if (holding) out.holding_statement = holding;
  const notice = step('customer_notice');
  if (notice) out.customer_notice = notice;
  const regulator = step('regulator_report');
  if (regulator) out.csrc_report = regulator;
  return out;
}

const round = (n: number) => Math.round(n * 10) / 10;

export function scoreDrill(startedAt: number, plan: Plan | null, facts: ScoreFacts): DrillScore {
  const targets = planTargets(plan);
  const regulator = (measure: DrillMeasure, obligation: string) => {
    const due = facts.deadlines.get(obligation);
    if (due !== undefined)
      targets[measure] = { minutes: round((due - startedAt) / 60_000), source: 'regulator', ref: obligation };
  };
  regulator('cac_report', 'cac-report');
  regulator('csrc_report', 'csrc-emergency');
  const at: Record<DrillMeasure, number | null | undefined> = {
    activation: facts.activatedAt,
    containment: facts.containedAt,
    holding_statement: facts.holdingStatementAt,
    cac_report: facts.cacReportAt,
    csrc_report: facts.csrcReportAt,
    customer_notice: facts.customerNoticeAt,
  };
  const measures: MeasureScore[] = (Object.keys(at) as DrillMeasure[]).map((measure) => {
    const t = at[measure];
    const target = targets[measure] ?? null;
    if (t === undefined) return { measure, reachedAt: null, minutes: null, target, result: 'withheld' };
    const minutes = t === null ? null : round(Math.max(0, t - startedAt) / 60_000);
    const reachedAt = t === null ? null : new Date(t).toISOString();
    const result: MeasureScore['result'] =
      minutes === null
        ? target
          ? 'not_reached'
          : 'no_target'
        : !target
          ? 'no_target'
          : minutes <= target.minutes
            ? 'met'
            : 'missed';
    return { measure, reachedAt, minutes, target, result };
  });
  const counted = measures.filter((m) => m.target && m.result !== 'withheld');
  const met = counted.filter((m) => m.result === 'met').length;
  return { measures, met, targets: counted.length, score: counted.length ? met / counted.length : null };
}
