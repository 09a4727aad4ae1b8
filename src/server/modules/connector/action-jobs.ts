/**
 * The durable jobs of action runs: `action.run` does the action, `action.rollback` undoes it. A failed
 * attempt that a retry may help puts the run back to `queued` and throws, so the job runner tries again
 * after its backoff; the last attempt (or a failure no retry helps) leaves the run `failed` (or
 * `rollback_failed`) with the reason. A job delivered again for a run that already finished does nothing.
 */
import type { Store } from '../../platform/db/connect.js';
import type { Clock } from '../../platform/ids.js';
import type { Job, JobRunner } from '../../platform/jobs/job-runner.js';
import { SYSTEM_ACTOR, type RunRecorder } from './action-record.js';
import { attempt } from './action-runner.js';
import { findRun, type ActionRunRow } from './connector.repository.js';
import type { ConnectorService } from './connector.service.js';

const ERROR_CHARS = 2000;

interface Payload {
  runId: string;
}

export function registerActionJobs(
  deps: { store: Store; clock: Clock; jobs: JobRunner; connectors: ConnectorService },
  rec: RunRecorder,
): void {
  const { store, clock, jobs, connectors } = deps;
  const { move, describe } = rec;

  /** The job of a run (`what` run) or of its rollback. */
  async function execute(job: Job<Payload>, what: 'run' | 'rollback'): Promise<void> {
    const row = await findRun(store.db, job.payload.runId);
    if (!row) return;
    const startFrom: ActionRunRow['state'][] = what === 'run' ? ['queued', 'running'] : ['succeeded'];
    // Re-delivered after it finished (or rejected meanwhile): nothing to do.
    if (!startFrom.includes(row.state)) return;
    let current = row;
    if (what === 'run') {
      const started = await move(
        row,
        startFrom,
        { state: 'running', attempts: job.attempts },
        {
          actor: SYSTEM_ACTOR,
          who: null,
          text: null,
        },
      );
      if (!started) return;
      current = started;
    }
    const a = await attempt(connectors, current, what);
    const recorded =
      what === 'run'
        ? {
            request: JSON.stringify(a.recording.requests),
            response: JSON.stringify({ answers: a.recording.answers, result: a.result ?? null }),
          }
        : {
            rollback_request: JSON.stringify(a.recording.requests),
            rollback_response: JSON.stringify({ answers: a.recording.answers, result: a.result ?? null }),
          };
    const from: ActionRunRow['state'][] = what === 'run' ? ['running'] : ['succeeded'];
    const now = clock.now();
    if (!a.failure) {
      await move(
        current,
        from,
        { ...recorded, state: what === 'run' ? 'succeeded' : 'rolled_back', error: null, finished_at: now },
        {
          actor: SYSTEM_ACTOR,
          who: null,
          text: what === 'run' ? `Action ${describe(current)} succeeded` : `Action ${describe(current)} rolled back`,
          step: what === 'run' ? 'succeeded' : 'rolled_back',
          audit: 'result',
        },
      );
      return;
    }
    const reason = a.failure.message.slice(0, ERROR_CHARS);
    const last = !a.failure.retry || job.attempts >= job.maxAttempts;
    if (last) {
      await move(
        current,
        from,
        {
          ...recorded,
          state: what === 'run' ? 'failed' : 'rollback_failed',
          error: `${reason} (attempt ${job.attempts} of ${job.maxAttempts})`,
          finished_at: now,
        },
        {
          actor: SYSTEM_ACTOR,
          who: null,
          text: `Action ${describe(current)} ${what === 'run' ? 'failed' : 'could not be rolled back'}: ${reason}`,
          step: what === 'run' ? 'failed' : 'rollback_failed',
          audit: 'result',
        },
      );
      return;
    }
    await move(
      current,
      from,
      {
        ...recorded,
        ...(what === 'run' ? { state: 'queued' as const } : {}),
        error: `attempt ${job.attempts} of ${job.maxAttempts} failed: ${reason}; retrying`,
      },
      { actor: SYSTEM_ACTOR, who: null, text: null },
    );
    throw a.failure; // the job runner tries again after its backoff
  }

  jobs.register<Payload>('action.run', (job) => execute(job, 'run'));
  jobs.register<Payload>('action.rollback', (job) => execute(job, 'rollback'));
}
