/** Stored plan rows to the API's shapes (src/shared/plan-schemas.ts), and the review date. */
import type { Plan, PlanStatus, PlanSummary, PlanVersionInfo } from '../../../shared/plan-schemas.js';
import type { PlansTable, PlanVersionsTable } from '../../platform/db/types.js';
import { iso } from '../../platform/ids.js';

/** Current names of users by id (a CLI actor has no id: its label is shown). */
export type Names = Map<string, string>;

const who = (id: string | null, label: string | null, names: Names) =>
  label === null ? null : { id, name: (id && names.get(id)) ?? label };

export function toVersionInfo(r: PlanVersionsTable, names: Names): PlanVersionInfo {
  return {
    planId: r.plan_id,
    version: Number(r.version),
    status: r.status,
    sha256: r.sha256,
    createdBy: who(r.created_by, r.created_by_label, names),
    createdAt: iso(r.created_at),
    approvedBy: who(r.approved_by, r.approved_by_label, names),
    approvedAt: iso(r.approved_at),
    activatedBy: who(r.activated_by, r.activated_by_label, names),
    activatedAt: iso(r.activated_at),
    retiredAt: iso(r.retired_at),
  };
}

/** The user ids a list of versions names (for one `namesOf` query). */
export const userIdsOf = (rows: PlanVersionsTable[]) =>
  rows.flatMap((r) => [r.created_by, r.approved_by, r.activated_by]).filter((id): id is string => id !== null);

/** `months` calendar months after `ms` (UTC), kept within the month: 31 January + 1 month is 28/29 February. */
export function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.getTime();
}

export interface SummaryInput {
  plan: PlansTable;
  latest: { version: number; status: PlanStatus };
  active: { version: number; approvedAt: number | null; document: Plan } | null;
  now: number;
}

export function toSummary({ plan, latest, active, now }: SummaryInput): PlanSummary {
  const dueAt =
    active && active.approvedAt !== null
      ? addMonths(Number(active.approvedAt), active.document.review_period_months)
      : null;
  return {
    id: plan.id,
    nameZh: plan.name_zh,
    nameEn: plan.name_en,
    latestVersion: Number(latest.version),
    status: latest.status,
    activeVersion: active ? Number(active.version) : null,
    reviewDueAt: iso(dueAt),
    reviewDue: dueAt !== null && dueAt <= now,
    updatedAt: iso(plan.updated_at),
  };
}
