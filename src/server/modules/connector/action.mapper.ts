/** Action runs as the API shows them: incident keys and people's names resolved, JSON parsed. */
import type { ActionRun } from '../../../shared/connector-schemas.js';
import type { Audience } from '../../platform/bus.js';
import type { Db } from '../../platform/db/types.js';
import { iso } from '../../platform/ids.js';
import type { IncidentService } from '../incident/index.js';
import type { UserService } from '../user/index.js';
import type { ActionRunRow } from './connector.repository.js';

const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

export interface RunViews {
  runs: ActionRun[];
  audiences: Audience[];
}

/** Who hears about a run on the stream: its incident's audience, else everyone who may read actions. */
const OPEN: Audience = { restricted: false, memberIds: [], permission: 'action.read' };

export async function toRuns(
  db: Db,
  rows: ActionRunRow[],
  deps: {
    incidents: IncidentService;
    users: UserService;
    hasRollback: (connector: string, action: string, db: Db) => Promise<boolean>;
  },
): Promise<RunViews> {
  const refs = await deps.incidents.refs(
    db,
    rows.map((r) => r.incident_id).filter((id): id is string => id !== null),
  );
  const people = rows.flatMap((r) => [r.requested_by, r.approved_by, r.rejected_by]).filter((x): x is string => !!x);
  const names = await deps.users.namesOf(people, db);
  const person = (id: string | null) => (id ? { id, name: names.get(id) ?? id } : null);
  const rollbackOf = new Map<string, Promise<boolean>>();
  const canRollback = (connector: string, action: string) => {
    const k = `${connector}\u0000${action}`;
    if (!rollbackOf.has(k)) rollbackOf.set(k, deps.hasRollback(connector, action, db));
    return rollbackOf.get(k)!;
  };
  const runs: ActionRun[] = [];
  const audiences: Audience[] = [];
  for (const r of rows) {
    const ref = r.incident_id ? refs.get(r.incident_id) : undefined;
    audiences.push(ref ? { ...ref.audience, permission: 'action.read' } : OPEN);
    runs.push({
      id: r.id,
      incidentKey: ref?.key ?? null,
      planId: r.plan_id,
      planVersion: r.plan_version === null ? null : Number(r.plan_version),
      stepId: r.step_id,
      connector: r.connector,
      action: r.action,
      parameters: JSON.parse(r.parameters) as Record<string, unknown>,
      key: r.idempotency_key,
      state: r.state,
      approval: r.approval,
      requestedBy: person(r.requested_by),
      approvedBy: person(r.approved_by),
      approvedAt: iso(r.approved_at === null ? null : Number(r.approved_at)),
      rejectedBy: person(r.rejected_by),
      reason: r.reason,
      dryRun: r.dry_run === 1,
      attempts: Number(r.attempts),
      maxAttempts: Number(r.max_attempts),
      canRollback: await canRollback(r.connector, r.action),
      request: parse(r.request),
      response: parse(r.response),
      error: r.error,
      rollbackRequest: parse(r.rollback_request),
      rollbackResponse: parse(r.rollback_response),
      createdAt: iso(Number(r.created_at)),
      updatedAt: iso(Number(r.updated_at)),
      finishedAt: iso(r.finished_at === null ? null : Number(r.finished_at)),
    });
  }
  return { runs, audiences };
}
