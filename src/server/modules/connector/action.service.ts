/**
 * Containment action runs: asked for inside the caller's transaction (plan activation, or a person by
 * hand), approved or rejected by people (two-person rule: the requester cannot approve), run by the
 * durable job `action.run` with retries and backoff, rolled back by `action.rollback`. Every change is
 * audited, published on the bus (`action.changed`) and, for a run of an incident, written to its
 * timeline. A run never shows success when the far side failed: a 5xx, timeout or garbage answer is a
 * failed attempt (retried while attempts remain, then `failed` with the reason); an unexpected 4xx
 * fails at once.
 */
import type { ActionEventSink } from './action-events.js';
import type { ActionRequestBody, ActionRun, Approval } from '../../../shared/connector-schemas.js';
import type { Bus } from '../../platform/bus.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { newId, type Clock } from '../../platform/ids.js';
import type { JobRunner } from '../../platform/jobs/job-runner.js';
import type { Actor, AuditService } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import { canSee, type IncidentService } from '../incident/index.js';
import type { UserService } from '../user/index.js';
import { toRuns } from './action.mapper.js';
import { registerActionJobs } from './action-jobs.js';
import { runRecorder, SYSTEM_ACTOR } from './action-record.js';
import {
  findRun,
  findRunByKey,
  insertRun,
  runsOfIncident,
  updateRun,
  type ActionRunRow,
} from './connector.repository.js';
import type { ConnectorService } from './connector.service.js';

const APPROVAL_ORDER: Approval[] = ['none', 'one_person', 'two_person'];

/** What plan activation (or a person) asks for. */
export interface ActionRequest {
  incidentId?: string | null;
  planId?: string | null;
  planVersion?: number | null;
  stepId?: string | null;
  connector: string;
  action: string;
  parameters: Record<string, unknown>;
  approval: Approval;
  /** Idempotency key: the same key twice is the same run. */
  key: string;
  dryRun?: boolean;
  /** A user id; null for the system. */
  requestedBy: string | null;
  /** Who the audit log names (default: the requesting user, or the system). */
  actor?: Actor;
}

export function createActionService(deps: {
  store: Store;
  audit: AuditService;
  clock: Clock;
  bus: Bus;
  jobs: JobRunner;
  connectors: ConnectorService;
  incidents: IncidentService;
  users: UserService;
  /** Where a run's end is published (the outbox): `action.settled`. */
  events?: ActionEventSink;
}) {
  const { store, audit, clock, jobs, connectors, incidents, users } = deps;
  const rec = runRecorder(deps);
  const { view, recordChange, describe, mapperDeps } = rec;
  registerActionJobs(deps, rec);

  async function loadVisible(db: Db, p: Principal, id: string): Promise<ActionRunRow> {
    const row = await findRun(db, id);
    const missing = () => notFound(`action run ${id}`, { code: 'action.not_found', params: { id } });
    if (!row) throw missing();
    if (row.incident_id) {
      const ref = (await incidents.refs(db, [row.incident_id])).get(row.incident_id);
      if (!ref || !canSee(p, ref.audience)) throw missing();
    }
    return row;
  }

  const service = {
    /** The states of the runs with these idempotency keys, in the caller's transaction when given one. */
    async statesOf(keys: string[], db: Db = store.db): Promise<Map<string, ActionRunRow['state']>> {
      const out = new Map<string, ActionRunRow['state']>();
      for (const key of keys) {
        const run = await findRunByKey(db, key);
        if (run) out.set(key, run.state);
      }
      return out;
    },

    /**
     * Asks for an action inside the caller's transaction. The same key twice answers the existing run
     * and does nothing else. With approval `none` (and an action that needs none) the run is queued
     * for the job runner; otherwise it awaits approval. Call `publish()` after the commit.
     */
    async request(tx: Db, input: ActionRequest): Promise<{ run: ActionRun; created: boolean; publish: () => void }> {
      const existing = await findRunByKey(tx, input.key);
      if (existing) return { run: (await view(tx, existing)).run, created: false, publish: () => {} };
      const conn = await connectors.resolve(input.connector, tx);
      const def = conn.action(input.action);
      if (!def)
        throw invalid(
          `connector ${input.connector} (${conn.spec.kind}) has no action ${input.action}`,
          [{ path: 'action', message: 'unknown action for this connector', code: 'invalid_value' }],
          { code: 'action.unknown_action', params: { connector: input.connector, action: input.action } },
        );
      const parsed = def.parameters.safeParse(input.parameters);
      if (!parsed.success) {
        const errors = parsed.error.issues.map((i) => ({
          path: ['parameters', ...i.path.map(String)].join('.'),
          message: i.message,
          code: 'custom' as const,
        }));
        throw invalid(
          `invalid parameters for ${input.action}: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
          errors,
        );
      }
      const approval =
        APPROVAL_ORDER[
          Math.max(APPROVAL_ORDER.indexOf(input.approval), APPROVAL_ORDER.indexOf(def.minApproval ?? 'none'))
        ]!;
      const now = clock.now();
      const row: ActionRunRow = {
        id: newId(),
        incident_id: input.incidentId ?? null,
        plan_id: input.planId ?? null,
        plan_version: input.planVersion ?? null,
        step_id: input.stepId ?? null,
        connector: input.connector,
        action: input.action,
        parameters: JSON.stringify(input.parameters),
        idempotency_key: input.key,
        state: approval === 'none' ? 'queued' : 'awaiting_approval',
        approval,
        requested_by: input.requestedBy,
        approved_by: null,
        approved_at: null,
        rejected_by: null,
        reason: null,
        dry_run: input.dryRun ? 1 : 0,
        attempts: 0,
        max_attempts: conn.maxAttempts,
        request: null,
        response: null,
        error: null,
        rollback_request: null,
        rollback_response: null,
        created_at: now,
        updated_at: now,
        finished_at: null,
      };
      if (!(await insertRun(tx, row))) {
        const raced = (await findRunByKey(tx, input.key))!;
        return { run: (await view(tx, raced)).run, created: false, publish: () => {} };
      }
      if (row.state === 'queued')
        await jobs.enqueue(tx, {
          kind: 'action.run',
          payload: { runId: row.id },
          key: row.id,
          maxAttempts: row.max_attempts,
        });
      const names = input.requestedBy ? await users.namesOf([input.requestedBy], tx) : new Map<string, string>();
      const who = input.requestedBy
        ? { id: input.requestedBy, name: names.get(input.requestedBy) ?? input.requestedBy }
        : null;
      await audit.append(tx, input.actor ?? (who ? { id: who.id, label: who.name } : SYSTEM_ACTOR), {
        action: 'action.request',
        targetType: 'action_run',
        targetId: row.id,
        after: {
          connector: row.connector,
          action: row.action,
          parameters: input.parameters,
          approval,
          dryRun: input.dryRun === true,
          key: row.idempotency_key,
          planId: row.plan_id,
          stepId: row.step_id,
        },
        incidents: [row.incident_id],
      });
      const done = await recordChange(
        tx,
        row,
        who,
        `Action ${describe(row)} requested${approval === 'none' ? '' : `, awaiting ${approval === 'two_person' ? 'a second person' : "a person's"} approval`}`,
        'requested',
      );
      return { run: (await view(tx, row)).run, created: true, publish: done };
    },

    /** A person asks for an action on an incident (`POST /api/v1/incidents/:key/actions`). */
    async requestForIncident(p: Principal, key: string, body: ActionRequestBody): Promise<ActionRun> {
      assertCan(p, 'action.request');
      const out = await store.transaction(async (tx) => {
        const incident = await incidents.loadVisible(tx, p, key);
        return service.request(tx, {
          incidentId: incident.id,
          connector: body.connector,
          action: body.action,
          parameters: body.parameters,
          approval: body.approval,
          dryRun: body.dryRun,
          key: body.key ?? `manual:${newId()}`,
          requestedBy: p.user.id,
          actor: actorOf(p),
        });
      });
      out.publish();
      return out.run;
    },

    async approve(p: Principal, id: string): Promise<ActionRun> {
      assertCan(p, 'action.approve');
      const row = await loadVisible(store.db, p, id);
      if (row.state !== 'awaiting_approval')
        throw conflict(`the action is ${row.state}, not awaiting approval`, {
          code: 'action.not_awaiting_approval',
          params: { state: row.state },
        });
      if (row.approval === 'two_person' && row.requested_by === p.user.id)
        throw forbidden(
          'two-person rule: you asked for this action, so you cannot approve it; another person must approve it',
          { code: 'action.two_person_rule' },
        );
      const now = clock.now();
      const out = await store.transaction(async (tx) => {
        if (
          !(await updateRun(tx, id, ['awaiting_approval'], {
            state: 'queued',
            approved_by: p.user.id,
            approved_at: now,
            updated_at: now,
          }))
        )
          throw conflict('the action is no longer awaiting approval', {
            code: 'action.not_awaiting_approval',
            params: { state: 'changed' },
          });
        const after = (await findRun(tx, id))!;
        await jobs.enqueue(tx, {
          kind: 'action.run',
          payload: { runId: id },
          key: id,
          maxAttempts: after.max_attempts,
        });
        await audit.append(tx, actorOf(p), {
          action: 'action.approve',
          targetType: 'action_run',
          targetId: id,
          before: { state: row.state },
          after: { state: after.state, approval: after.approval, requestedBy: after.requested_by },
          incidents: [row.incident_id],
        });
        const done = await recordChange(
          tx,
          after,
          { id: p.user.id, name: p.user.name },
          `Action ${describe(after)} approved by ${p.user.name}`,
          'approved',
        );
        return { after, done };
      });
      out.done();
      return (await view(store.db, out.after)).run;
    },

    async reject(p: Principal, id: string, reason: string): Promise<ActionRun> {
      assertCan(p, 'action.approve');
      const row = await loadVisible(store.db, p, id);
      if (row.state !== 'awaiting_approval')
        throw conflict(`the action is ${row.state}, not awaiting approval`, {
          code: 'action.not_awaiting_approval',
          params: { state: row.state },
        });
      const now = clock.now();
      const out = await store.transaction(async (tx) => {
        const patch = { state: 'rejected' as const, rejected_by: p.user.id, reason, updated_at: now, finished_at: now };
        if (!(await updateRun(tx, id, ['awaiting_approval'], patch)))
          throw conflict('the action is no longer awaiting approval', {
            code: 'action.not_awaiting_approval',
            params: { state: 'changed' },
          });
        const after = (await findRun(tx, id))!;
        await audit.append(tx, actorOf(p), {
          action: 'action.reject',
          targetType: 'action_run',
          targetId: id,
          before: { state: row.state },
          after: { state: after.state, reason },
          incidents: [row.incident_id],
        });
        const done = await recordChange(
          tx,
          after,
          { id: p.user.id, name: p.user.name },
          `Action ${describe(after)} rejected by ${p.user.name}: ${reason}`,
          'rejected',
        );
        return { after, done };
      });
      out.done();
      return (await view(store.db, out.after)).run;
    },

    /** Asks for the rollback of a succeeded run whose action defines one (run by the job `action.rollback`). */
    async rollback(p: Principal, id: string): Promise<ActionRun> {
      assertCan(p, 'action.request');
      const row = await loadVisible(store.db, p, id);
      if (!(await connectors.hasRollback(row.connector, row.action)))
        throw conflict(`${row.action} on ${row.connector} has no rollback`, {
          code: 'action.no_rollback',
          params: { action: row.action },
        });
      if (row.state !== 'succeeded' || row.dry_run === 1)
        throw conflict(
          `only a succeeded run that was not a dry run can be rolled back; this one is ${row.state}${row.dry_run === 1 ? ' (dry run)' : ''}`,
          {
            code: 'action.not_rollbackable',
            params: { state: row.state },
          },
        );
      const out = await store.transaction(async (tx) => {
        const job = await jobs.enqueue(tx, {
          kind: 'action.rollback',
          payload: { runId: id },
          key: id,
          maxAttempts: row.max_attempts,
        });
        if (!job)
          throw conflict('a rollback of this run was already asked for', {
            code: 'action.not_rollbackable',
            params: { state: 'rollback_asked' },
          });
        await audit.append(tx, actorOf(p), {
          action: 'action.rollback',
          targetType: 'action_run',
          targetId: id,
          before: { state: row.state },
          incidents: [row.incident_id],
        });
        return recordChange(
          tx,
          row,
          { id: p.user.id, name: p.user.name },
          `Rollback of ${describe(row)} asked for by ${p.user.name}`,
          'rollback_asked',
        );
      });
      out();
      return (await view(store.db, row)).run;
    },

    async listForIncident(p: Principal, key: string): Promise<ActionRun[]> {
      assertCan(p, 'action.read');
      const incident = await incidents.loadVisible(store.db, p, key);
      return (await toRuns(store.db, await runsOfIncident(store.db, incident.id), mapperDeps)).runs;
    },

    async get(p: Principal, id: string): Promise<ActionRun> {
      assertCan(p, 'action.read');
      return (await view(store.db, await loadVisible(store.db, p, id))).run;
    },
  };
  return service;
}

export type ActionService = ReturnType<typeof createActionService>;
