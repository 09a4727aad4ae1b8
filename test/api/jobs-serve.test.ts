/** The job runner started with the server: a job enqueued while it listens runs by itself; stop waits for it. */
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.js';
import { STORE_KINDS } from '../helpers/store.js';

describe.each(STORE_KINDS)('job runner in the server (%s)', (kind) => {
  it('runs due jobs without being asked and stops with the server', async () => {
    const server = await startTestServer({ kind });
    try {
      const { jobs, store } = server.running.services;
      const ran: string[] = [];
      jobs.register<{ note: string }>('test.serve', async (job) => {
        ran.push(job.payload.note);
      });
      const id = await store.transaction((tx) => jobs.enqueue(tx, { kind: 'test.serve', payload: { note: 'hello' } }));
      await expect.poll(() => ran, { timeout: 20_000, interval: 50 }).toEqual(['hello']);
      await expect.poll(async () => (await jobs.job(id!))?.state, { timeout: 20_000, interval: 50 }).toBe('done');
    } finally {
      await server.stop();
    }
  });
});
