/** Pages as the API shows them: deliveries with level and round, problems, names, the next escalation. */
import type { Page, PageProblem } from '../../../shared/page-schemas.js';
import type { Db } from '../../platform/db/types.js';
import { iso } from '../../platform/ids.js';
import { escalationPlan, type EscalationPolicy } from '../oncall/index.js';
import { deliveriesOf, type PageRow } from './paging.repository.js';

export type StoredProblem = Omit<PageProblem, 'userName'>;

export async function toPages(
  db: Db,
  rows: readonly PageRow[],
  incidentKeys: ReadonlyMap<string, string>,
  namesOf: (ids: Iterable<string>, db: Db) => Promise<Map<string, string>>,
): Promise<Page[]> {
  const deliveries = await deliveriesOf(
    db,
    rows.map((r) => r.id),
  );
  const problemsOf = new Map(rows.map((r) => [r.id, JSON.parse(r.problems) as StoredProblem[]]));
  const people = new Set<string>();
  for (const d of deliveries) people.add(d.user_id);
  for (const r of rows) {
    if (r.acknowledged_by) people.add(r.acknowledged_by);
    for (const p of problemsOf.get(r.id)!) if (p.userId) people.add(p.userId);
  }
  const names = await namesOf(people, db);
  return rows.map((r) => {
    const policy = JSON.parse(r.policy) as EscalationPolicy;
    const plan = escalationPlan(policy, Number(r.paged_at));
    const sent = Number(r.sent);
    return {
      id: r.id,
      incidentKey: incidentKeys.get(r.incident_id) ?? '',
      reason: r.reason,
      policyId: r.policy_id,
      policyName: policy.name,
      status: r.status as Page['status'],
      pagedAt: iso(Number(r.paged_at)),
      stepsSent: sent,
      stepsTotal: plan.length,
      nextEscalationAt: r.status === 'open' && plan[sent] ? iso(plan[sent]!.at) : null,
      acknowledgedAt: iso(r.acknowledged_at == null ? null : Number(r.acknowledged_at)),
      acknowledgedBy: r.acknowledged_by ? { id: r.acknowledged_by, name: names.get(r.acknowledged_by) ?? null } : null,
      deliveries: deliveries
        .filter((d) => d.page_id === r.id)
        .map((d) => ({
          id: d.id,
          step: Number(d.step),
          level: plan[Number(d.step)]?.level ?? 0,
          round: plan[Number(d.step)]?.round ?? 0,
          userId: d.user_id,
          userName: names.get(d.user_id) ?? null,
          channel: d.channel,
          state: d.state as Page['deliveries'][number]['state'],
          detail: d.detail,
          at: iso(Number(d.updated_at)),
        })),
      problems: problemsOf.get(r.id)!.map((p) => ({ ...p, userName: p.userId ? (names.get(p.userId) ?? null) : null })),
    };
  });
}
