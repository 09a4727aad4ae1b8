/**
 * How a run's changes are recorded: the row moved on (only from the states expected, so a stale
 * handler changes nothing), audited, written to the incident's timeline, and published on the bus
 * after the commit.
 */
import type { ActionRun } from '../../../shared/connector-schemas.js';
import type { TimelineEntry } from '../../../shared/incident-schemas.js';
import type { Audience, Bus } from '../../platform/bus.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import type { Clock } from '../../platform/ids.js';
import type { Actor, AuditService } from '../audit/index.js';
import type { IncidentService } from '../incident/index.js';
import type { UserService } from '../user/index.js';
import { toRuns } from './action.mapper.js';
import { findRun, updateRun, type ActionRunRow } from './connector.repository.js';
import type { ConnectorService } from './connector.service.js';
import type { ActionEventSink } from './action-events.js';

/** The steps of a run the incident's timeline records (`data.step` of its entries). */
type ActionStep =
  | 'requested'
  | 'approved'
  | 'rejected'
  | 'succeeded'
  | 'failed'
  | 'rollback_asked'
  | 'rolled_back'
  | 'rollback_failed';

export const SYSTEM_ACTOR: Actor = { id: null, label: 'system (actions)' };

export function runRecorder(deps: {
  store: Store;
  audit: AuditService;
  clock: Clock;
  bus: Bus;
  connectors: ConnectorService;
  incidents: IncidentService;
  users: UserService;
  /** Where a run's end is published (the outbox). */
  events?: ActionEventSink;
}) {
  const { store, audit, clock, bus, connectors, incidents, users } = deps;
  const mapperDeps = { incidents, users, hasRollback: connectors.hasRollback };

  const view = async (db: Db, row: ActionRunRow) => {
    const { runs, audiences } = await toRuns(db, [row], mapperDeps);
    return { run: runs[0]!, audience: audiences[0]! };
  };

  /** Appends the run's change to its incident's timeline (if any); what to publish after commit. */
  async function recordChange(
    tx: Db,
    row: ActionRunRow,
    actor: { id: string; name: string } | null,
    text: string | null,
    /** What happened, for the console to word (requested, approved, rejected, succeeded, failed, rollback_asked, rolled_back, rollback_failed). */
    step: ActionStep | null = null,
  ): Promise<() => void> {
    let entry: { entry: TimelineEntry; publish: () => void } | null = null;
    if (text && row.incident_id)
      entry = await incidents.recordOnTimeline(tx, row.incident_id, {
        actorId: actor?.id ?? null,
        text,
        data: {
          event: 'action',
          step,
          runId: row.id,
          connector: row.connector,
          action: row.action,
          state: row.state,
          approval: row.approval,
          dryRun: row.dry_run === 1,
          reason: row.reason,
          error: row.error,
        },
      });
    const { run, audience } = await view(tx, row);
    return () => {
      publish(run, audience);
      entry?.publish();
    };
  }

  const publish = (run: ActionRun, audience: Audience) =>
    bus.publish({ event: 'action.changed', incidentKey: run.incidentKey, action: run, audience });

  const describe = (row: ActionRunRow) => `${row.action} on ${row.connector}${row.dry_run === 1 ? ' (dry run)' : ''}`;

  /** Moves the run from one of `from` with `patch`, audits and records it; null when it was not in `from`. */
  async function move(
    row: ActionRunRow,
    from: readonly ActionRunRow['state'][],
    patch: Partial<ActionRunRow>,
    opts: {
      actor: Actor;
      who: { id: string; name: string } | null;
      text: string | null;
      step?: ActionStep;
      audit?: 'result' | null;
    },
  ): Promise<ActionRunRow | null> {
    const outcome = await store.transaction(async (tx) => {
      const now = clock.now();
      const moved = await updateRun(tx, row.id, from, { ...patch, updated_at: now });
      if (!moved) return null;
      const after = (await findRun(tx, row.id))!;
      if (opts.audit === 'result')
        await audit.append(tx, opts.actor, {
          action: 'action.result',
          targetType: 'action_run',
          targetId: row.id,
          before: { state: row.state },
          after: { state: after.state, attempts: after.attempts, error: after.error, dryRun: after.dry_run === 1 },
          incidents: [row.incident_id],
        });
      if (after.state === 'succeeded' || after.state === 'failed')
        await deps.events?.publish(tx, 'action.settled', {
          runId: after.id,
          key: after.idempotency_key,
          state: after.state,
          incidentId: after.incident_id,
          stepId: after.step_id,
        });
      return { after, done: await recordChange(tx, after, opts.who, opts.text, opts.step ?? null) };
    });
    if (!outcome) return null;
    outcome.done();
    return outcome.after;
  }

  return { view, recordChange, describe, move, mapperDeps };
}

export type RunRecorder = ReturnType<typeof runRecorder>;
