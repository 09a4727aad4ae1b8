/**
 * One attempt of a run or of its rollback, outside any transaction: resolve the connector, check the
 * parameters, do the action through a recording context. A failure says whether a retry may help
 * (5xx, timeout, garbage answer) or not (4xx, guard refusal, unknown action, bad parameters).
 */
import { AppError } from '../../platform/errors.js';
import { actionContext, type Recording } from './action-context.js';
import { ActionFailure } from './action-kind.js';
import type { ActionRunRow } from './connector.repository.js';
import type { ConnectorService } from './connector.service.js';

export interface Attempt {
  recording: Recording;
  result: unknown;
  failure: ActionFailure | null;
}

const asFailure = (err: unknown): ActionFailure =>
  err instanceof ActionFailure
    ? err
    : err instanceof AppError
      ? new ActionFailure(err.message, false)
      : new ActionFailure(err instanceof Error ? err.message || err.name : String(err), true);

export async function attempt(
  connectors: ConnectorService,
  row: ActionRunRow,
  what: 'run' | 'rollback',
): Promise<Attempt> {
  const recording: Recording = { requests: [], answers: [] };
  try {
    const conn = await connectors.resolve(row.connector);
    const def = conn.action(row.action);
    if (!def) throw new ActionFailure(`connector ${row.connector} has no action ${row.action}`, false);
    const parsed = def.parameters.safeParse(JSON.parse(row.parameters));
    if (!parsed.success)
      throw new ActionFailure(
        `invalid parameters: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(parameters)'}: ${i.message}`).join('; ')}`,
        false,
      );
    const ctx = actionContext(conn.context, { key: row.idempotency_key, dryRun: row.dry_run === 1 }, recording);
    if (what === 'run') return { recording, result: await def.run(ctx, parsed.data), failure: null };
    if (!def.rollback) throw new ActionFailure(`${row.action} has no rollback`, false);
    const previous = row.response ? (JSON.parse(row.response) as { result?: unknown }).result : null;
    return { recording, result: await def.rollback(ctx, parsed.data, previous ?? null), failure: null };
  } catch (err) {
    return { recording, result: null, failure: asFailure(err) };
  }
}
