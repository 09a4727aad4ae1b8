/**
 * The durable jobs as administrators see them: the list (dead jobs above all: a reaction that failed on
 * every attempt) and retrying a dead job, audited. The job runner itself lives in platform/jobs.
 */
import type { Job } from '../../../shared/job-schemas.js';
import { conflict } from '../../platform/errors.js';
import { iso } from '../../platform/ids.js';
import type { JobRunner, JobState } from '../../platform/jobs/job-runner.js';
import type { AuditService } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { Store } from '../../platform/db/connect.js';

export function createJobsService(deps: { store: Store; audit: AuditService; jobs: JobRunner }) {
  const { store, audit, jobs } = deps;
  return {
    async list(
      p: Principal,
      filter: { state?: JobState; kind?: string },
      cursor: string | undefined,
      limit: number,
    ): Promise<{ items: Job[]; next: string | null }> {
      assertCan(p, 'job.read');
      const page = await jobs.list(filter, cursor, limit);
      return {
        next: page.next,
        items: page.items.map((j) => ({
          id: j.id,
          kind: j.kind,
          key: j.key,
          state: j.state,
          runAt: iso(j.runAt),
          attempts: j.attempts,
          maxAttempts: j.maxAttempts,
          lastError: j.lastError,
          createdAt: iso(j.createdAt),
          updatedAt: iso(j.updatedAt),
        })),
      };
    },

    /** Queues a dead job again (from its first attempt); 409 when it is not dead. */
    async retry(p: Principal, id: string): Promise<void> {
      assertCan(p, 'job.manage');
      const job = await jobs.job(id);
      if (job?.state !== 'dead' || !(await jobs.retry(id)))
        throw conflict(`job ${id} is not dead (only a dead job can be retried)`, {
          code: 'job.not_dead',
          params: { id },
        });
      await store.transaction((tx) =>
        audit.append(tx, actorOf(p), {
          action: 'job.retry',
          targetType: 'job',
          targetId: id,
          before: { state: 'dead', kind: job.kind, attempts: job.attempts, lastError: job.lastError },
          after: { state: 'queued' },
        }),
      );
    },
  };
}

export type JobsService = ReturnType<typeof createJobsService>;
