/**
 * A job runner in a process of its own, for jobs-processes.test.ts (run with `node --import tsx`):
 * several of them share one PostgreSQL schema. Environment: JOBS_DATABASE_URL, JOBS_SCHEMA, JOBS_MODE
 * (`note`: each `test.note` job prints `ran <n>`; `hang`: each `test.hang` job prints `started <id>` and
 * never ends, so the test can kill the process mid-job), JOBS_LEASE_MS (default 60,000). SIGTERM stops
 * the runner gracefully.
 */
import { openStore } from '../db/connect.js';
import { systemClock } from '../ids.js';
import { createJobRunner } from './job-runner.js';

const store = await openStore({
  kind: 'postgres',
  url: process.env.JOBS_DATABASE_URL!,
  schema: process.env.JOBS_SCHEMA,
});
const runner = createJobRunner({
  store,
  clock: systemClock,
  leaseMs: Number(process.env.JOBS_LEASE_MS ?? 60_000),
  batch: 5,
  onError: (err, where) => process.stderr.write(`${where}: ${(err as Error).message}\n`),
});
if (process.env.JOBS_MODE === 'hang') {
  runner.register('test.hang', async (job) => {
    process.stdout.write(`started ${job.id}\n`);
    await new Promise<void>(() => {});
  });
} else {
  runner.register<{ n: number }>('test.note', async (job) => {
    process.stdout.write(`ran ${job.payload.n}\n`);
  });
}
runner.start({ intervalMs: 20 });
// The runner's timer does not hold the process open (in the server, the listener does).
const keepAlive = setInterval(() => {}, 60_000);
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  clearInterval(keepAlive);
  void runner
    .stop()
    .then(() => store.close())
    .then(() => process.exit(0));
});
