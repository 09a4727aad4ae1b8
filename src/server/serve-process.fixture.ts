/**
 * A server process for test/ops/shutdown.test.ts (run with `node --import tsx`): `serve` from the
 * environment (TOCSIN_*), with a job kind `test.slow` that prints `job started`, waits until the file
 * $SLOW_JOB_RELEASE exists, then prints `job finished`; one such job is enqueued at start. Signals are
 * handled, and a failure to start reported, as `tocsin serve` does.
 */
import fs from 'node:fs';
import { stopOnSignals } from './cli/commands/serve.js';
import { reportError } from './cli/context.js';
import { loadConfig } from './platform/config.js';
import { serve } from './serve.js';

const release = process.env.SLOW_JOB_RELEASE!;
const config = loadConfig();
const started = serve(config, () => {}, {
  prepare: async (s) => {
    s.jobs.register('test.slow', async () => {
      process.stdout.write('job started\n');
      while (!fs.existsSync(release)) await new Promise((r) => setTimeout(r, 20));
      process.stdout.write('job finished\n');
    });
    await s.store.transaction((tx) => s.jobs.enqueue(tx, { kind: 'test.slow', payload: {}, key: 'the-one' }));
  },
});
try {
  const running = await started;
  process.stdout.write(`Tocsin is running at ${running.url}\n`);
  stopOnSignals(running, config.shutdownTimeoutMs);
} catch (err) {
  // As `tocsin` reports a failed command: one line, non-zero exit.
  process.exitCode = reportError(err);
}
