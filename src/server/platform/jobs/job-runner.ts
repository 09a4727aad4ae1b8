/**
 * The durable job runner: jobs are rows of the store, enqueued inside the caller's transaction (so a
 * job exists exactly when the change that asked for it committed), claimed when due under a lease, run
 * by the handler registered for their kind, retried with exponential backoff, and `dead` after their
 * last attempt with the last error kept.
 *
 * Delivery is at least once: a runner that dies mid-job (kill -9, power loss) leaves the job running
 * until its lease ends (30 s; a live runner renews the leases of the jobs it runs every third of that,
 * for at most `maxRunMs`), then any runner takes it again; a handler that finished but whose runner died
 * before recording it runs again too. So handlers MUST be idempotent — check what they already did
 * (a key on what they write, a state they move only forward) before doing it again.
 *
 * Several processes may share one PostgreSQL store: claims use `FOR UPDATE SKIP LOCKED`, so no job is
 * taken twice while its lease holds. Time comes from the Clock: tests call `runDue(now)` instead of
 * starting the loop.
 */
import os from 'node:os';
import { afterCommit, type Store } from '../db/connect.js';
import type { Db } from '../db/types.js';
import { newId, type Clock } from '../ids.js';
import { cursorCodec } from '../cursor.js';
import { DEFAULT_BACKOFF, backoffDelay, type BackoffPolicy } from './backoff.js';
import {
  claimJobs,
  countJobsByState,
  insertJob,
  jobById,
  listJobs,
  pruneJobs,
  renewLeases,
  requeueDeadJob,
  sendJob,
  settleJob,
  type JobRow,
} from './jobs.repository.js';

export type JobState = JobRow['state'];

/** A job as handlers and readers see it. */
export interface Job<P = unknown> {
  id: string;
  kind: string;
  key: string | null;
  payload: P;
  state: JobState;
  runAt: number;
  /** Times the job was started, this run included. */
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

/**
 * Runs one job. Must be idempotent (see the file's header); a thrown error is a failed attempt, except
 * `JobDeferred`: the handler may not act before its `runAt`.
 */
export type JobHandler<P = unknown> = (job: Job<P>) => Promise<void>;

/**
 * Thrown by a handler that may not act yet (quiet hours: compensation notices): the job waits queued
 * until `runAt` (at least a second from now), and the run is not counted as an attempt.
 */
export class JobDeferred extends Error {
  constructor(readonly runAt: number) {
    super(`put off until ${new Date(runAt).toISOString()}`);
    this.name = 'JobDeferred';
  }
}

export interface NewJob<P = unknown> {
  kind: string;
  /** Must survive JSON. */
  payload: P;
  /** When it may run (epoch ms); default now. */
  runAt?: number;
  /** Idempotency key: a second job of the same kind and key is not enqueued. */
  key?: string;
  /** Tries before the job is dead; default the runner's (5). */
  maxAttempts?: number;
}

export interface JobRunnerOptions {
  store: Store;
  clock: Clock;
  /**
   * How long a claimed job is held before another runner may take it over (ms); default 30 s. The loop
   * renews the leases of the jobs it runs every third of it, so this is how soon a dead runner's job
   * runs elsewhere, not how long a job may take.
   */
  leaseMs?: number;
  /**
   * How long the loop keeps renewing a job's lease (ms from its start); default 30 minutes. A handler that
   * runs longer (hangs) loses its lease then, and another runner takes the job.
   */
  maxRunMs?: number;
  /** Jobs claimed (and run together) per round; default 10. */
  batch?: number;
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  /** Jitter's randomness (tests pin it). */
  random?: () => number;
  /** This runner's name in `locked_by`; default host:pid:random. */
  name?: string;
  /** Told about failures of the loop itself (not of jobs, which are recorded on the job). */
  onError?: (err: unknown, where: string) => void;
  /** How long done jobs and outbox events are kept (ms); default 7 days. The loop prunes hourly unless told not to. */
  retentionMs?: number;
  /** Told of every failed attempt (for metrics); `dead` when it was the last. */
  onAttemptFailed?: (job: Job, dead: boolean) => void;
}

export interface JobRunner {
  /** Registers the handler of a kind; this runner claims only kinds it has a handler for. */
  register<P>(kind: string, handler: JobHandler<P>): void;
  /** Enqueues in the caller's transaction; the job's id, or null when its key was already taken. */
  enqueue<P>(tx: Db, job: NewJob<P>): Promise<string | null>;
  /**
   * Enqueues like `enqueue` without waiting to learn whether its key was taken (on PostgreSQL the insert
   * is pipelined with what the transaction sends next: platform/db/pipeline.ts), for callers that do not
   * read the id (the outbox's subscribers).
   */
  send<P>(tx: Db, job: NewJob<P>): Promise<void>;
  /** Claims what is due at `now` and runs it, round after round until nothing is due; how many ran. */
  runDue(now?: number): Promise<number>;
  /**
   * Starts the loop (every `intervalMs`, default 1 s); once started, a job enqueued due now runs right
   * after its commit. `prune: false` leaves the hourly prune to the caller (one process of several, under a lease).
   */
  start(opts?: { intervalMs?: number; prune?: boolean }): void;
  /**
   * Stops claiming and waits for the jobs running now to finish — at most `waitMs` when given; false
   * when some were still running then (their leases end and another runner takes them over).
   */
  stop(opts?: { waitMs?: number }): Promise<boolean>;
  /** Jobs queued, running and dead in the store now. */
  counts(): Promise<Partial<Record<'queued' | 'running' | 'dead', number>>>;
  job(id: string): Promise<Job | undefined>;
  /** Jobs newest-changed first (a state and kind to filter on), a page after `cursor`. */
  list(
    filter: { state?: JobState; kind?: string },
    cursor: string | undefined,
    limit: number,
  ): Promise<{ items: Job[]; next: string | null }>;
  /** Queues a dead job again from its first attempt; false when it is not dead. */
  retry(id: string): Promise<boolean>;
  /** Deletes done jobs and outbox events older than the retention (a done job's key is free again then). */
  prune(now?: number): Promise<{ jobs: number; events: number }>;
}

const ERROR_CHARS = 2000;
const jobCursor = cursorCodec(['int', 'id'] as const);

const toJob = <P>(r: JobRow): Job<P> => ({
  id: r.id,
  kind: r.kind,
  key: r.key,
  payload: JSON.parse(r.payload) as P,
  state: r.state,
  runAt: Number(r.run_at),
  attempts: Number(r.attempts),
  maxAttempts: Number(r.max_attempts),
  lastError: r.last_error,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const errorText = (err: unknown): string =>
  (err instanceof Error ? err.message || err.name : String(err)).slice(0, ERROR_CHARS);

export function createJobRunner(opts: JobRunnerOptions): JobRunner {
  const { store, clock } = opts;
  const leaseMs = opts.leaseMs ?? 30_000;
  const maxRunMs = opts.maxRunMs ?? 30 * 60_000;
  const batch = opts.batch ?? 10;
  const defaultMaxAttempts = opts.maxAttempts ?? 5;
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const random = opts.random ?? Math.random;
  const name = opts.name ?? `${os.hostname()}:${process.pid}:${newId().slice(-8)}`;
  const onError = opts.onError ?? (() => {});
  const retentionMs = opts.retentionMs ?? 7 * 86_400_000;
  let lastPrune = 0;
  const handlers = new Map<string, JobHandler>();
  let timer: NodeJS.Timeout | null = null;
  let round: Promise<unknown> | null = null;
  let stopped = false;
  /** A job became due while a round ran: run another round right after it. */
  let again = false;

  /** The jobs the loop runs now (a slow one — an SMTP dialogue — never holds back the jobs claimed after it). */
  const inFlight = new Set<Promise<void>>();
  /** The jobs this runner is running (loop and runDue), by id: the clock's time when each began. */
  const runningSince = new Map<string, number>();
  let renewedAt = Number.NEGATIVE_INFINITY;

  /** Renews the leases of the jobs running here, every third of a lease, up to `maxRunMs` from each one's start. */
  function renew(now: number): void {
    if (!runningSince.size || now - renewedAt < leaseMs / 3) return;
    renewedAt = now;
    const ids = [...runningSince].filter(([, since]) => now - since < maxRunMs).map(([id]) => id);
    renewLeases(store, ids, name, now + leaseMs).catch((err) => onError(err, 'renewing job leases'));
  }

  /**
   * The loop's claim (its tick, a commit that enqueued a due job, a job that finished): takes as many due
   * jobs as there is room for (`batch` at once) and starts each as soon as it is claimed; one claim at a time.
   */
  function kick(): void {
    if (stopped || !timer) return;
    if (round) {
      again = true;
      return;
    }
    const room = batch - inFlight.size;
    if (room <= 0) {
      again = true;
      return;
    }
    again = false;
    round = claimJobs(store, {
      kinds: [...handlers.keys()],
      now: clock.now(),
      limit: room,
      leaseMs,
      runner: name,
      exclude: [...runningSince.keys()],
    })
      .then((claimed) => {
        for (const row of claimed) {
          const running: Promise<void> = run(row)
            .catch((err) => onError(err, 'recording a job'))
            .finally(() => {
              inFlight.delete(running);
              kick();
            });
          inFlight.add(running);
        }
        // A full claim may have left more due: look again.
        if (claimed.length === room) again = true;
      })
      .catch((err) => onError(err, 'claiming due jobs'))
      .finally(() => {
        round = null;
        if (again) kick();
      });
  }

  /** Runs one claimed job and records how it went (at the clock's time when it ended). */
  async function run(row: JobRow): Promise<void> {
    runningSince.set(row.id, clock.now());
    try {
      await runHeld(row);
    } finally {
      runningSince.delete(row.id);
    }
  }

  async function runHeld(row: JobRow): Promise<void> {
    const job = toJob(row);
    const held = { id: job.id, runner: name, attempts: job.attempts };
    // Started more often than allowed: earlier runs died under their lease (the process was killed).
    if (job.attempts > job.maxAttempts) {
      opts.onAttemptFailed?.(job, true);
      await settleJob(store, held, {
        state: 'dead',
        now: clock.now(),
        error: `${job.lastError ?? 'its runner stopped'}; lease expired after ${job.maxAttempts} attempts`,
      });
      return;
    }
    const handler = handlers.get(job.kind)!;
    try {
      await handler(job);
    } catch (err) {
      const now = clock.now();
      if (err instanceof JobDeferred) {
        await settleJob(store, held, { state: 'deferred', now, runAt: Math.max(err.runAt, now + 1000) });
        return;
      }
      const error = errorText(err);
      opts.onAttemptFailed?.(job, job.attempts >= job.maxAttempts);
      if (job.attempts >= job.maxAttempts) await settleJob(store, held, { state: 'dead', now, error });
      else
        await settleJob(store, held, {
          state: 'queued',
          now,
          runAt: now + backoffDelay(backoff, job.attempts, random),
          error,
        });
      return;
    }
    await settleJob(store, held, { state: 'done', now: clock.now() });
  }

  async function runDue(now = clock.now()): Promise<number> {
    let ran = 0;
    for (;;) {
      const claimed = await claimJobs(store, { kinds: [...handlers.keys()], now, limit: batch, leaseMs, runner: name });
      if (claimed.length === 0) return ran;
      const results = await Promise.allSettled(claimed.map(run));
      for (const r of results) if (r.status === 'rejected') onError(r.reason, 'recording a job');
      ran += claimed.length;
      if (stopped) return ran;
    }
  }

  function jobRow<P>(job: NewJob<P>): JobRow {
    if (!handlers.has(job.kind)) throw new Error(`no handler for job kind ${job.kind}`);
    const now = clock.now();
    return {
      id: newId(),
      kind: job.kind,
      key: job.key ?? null,
      payload: JSON.stringify(job.payload ?? null),
      state: 'queued',
      run_at: job.runAt ?? now,
      attempts: 0,
      max_attempts: job.maxAttempts ?? defaultMaxAttempts,
      last_error: null,
      lease_until: null,
      locked_by: null,
      created_at: now,
      updated_at: now,
    };
  }

  return {
    register(kind, handler) {
      if (handlers.has(kind)) throw new Error(`a handler for job kind ${kind} is already registered`);
      handlers.set(kind, handler as JobHandler);
    },
    async enqueue(tx, job) {
      const row = jobRow(job);
      const inserted = await insertJob(tx, row);
      // A job due now runs as soon as its transaction commits, not at the loop's next tick.
      if (inserted && row.run_at <= row.created_at) afterCommit(tx, kick);
      return inserted ? row.id : null;
    },
    async send(tx, job) {
      const row = jobRow(job);
      await sendJob(tx, row);
      // Kicked whether or not its key was taken: a claim that finds nothing costs one statement.
      if (row.run_at <= row.created_at) afterCommit(tx, kick);
    },
    runDue,
    start({ intervalMs = 1000, prune = true } = {}) {
      if (timer || stopped) return;
      timer = setInterval(() => {
        if (!round) kick();
        const now = clock.now();
        renew(now);
        if (prune && now - lastPrune >= 3_600_000) {
          lastPrune = now;
          pruneJobs(store.db, now - retentionMs).catch((err) => onError(err, 'pruning done jobs'));
        }
      }, intervalMs);
      timer.unref();
    },
    async stop({ waitMs } = {}) {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      const finished = (async () => {
        await round;
        await Promise.all([...inFlight]);
        return true;
      })();
      if (waitMs === undefined) return finished;
      let timeout: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<false>((resolve) => {
        timeout = setTimeout(() => resolve(false), waitMs);
      });
      try {
        return await Promise.race([finished, gaveUp]);
      } finally {
        clearTimeout(timeout);
      }
    },
    counts: () => countJobsByState(store.db),
    async job(id) {
      const row = await jobById(store.db, id);
      return row && toJob(row);
    },
    async list(filter, cursor, limit) {
      const after = cursor ? jobCursor.decode(cursor) : null;
      const rows = await listJobs(store.db, filter, after && { updatedAt: after[0], id: after[1] }, limit + 1);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map((r) => toJob(r)),
        next: rows.length > limit && last ? jobCursor.encode([Number(last.updated_at), last.id]) : null,
      };
    },
    async retry(id) {
      const done = await store.transaction((tx) => requeueDeadJob(tx, id, clock.now()), { audited: false });
      if (done) kick();
      return done;
    },
    prune: (now = clock.now()) => pruneJobs(store.db, now - retentionMs),
  };
}
