/** The NATS server the at-scale tests use: TOCSIN_TEST_NATS_URL (CI sets it; without it those tests are skipped). */
import { connectNats } from '../../src/server/platform/cluster/nats.js';
export const NATS_URL = process.env.TOCSIN_TEST_NATS_URL;

// Only in a test run: bench:cluster reads dropNatsPrefix from here too.
if (!NATS_URL && process.env.CI && process.env.VITEST) {
  throw new Error('CI must set TOCSIN_TEST_NATS_URL so the at-scale (NATS JetStream) tests run');
}
if (!NATS_URL && process.env.VITEST && !process.env.TOCSIN_QUIET_NATS_SKIPS) {
  process.env.TOCSIN_QUIET_NATS_SKIPS = '1';
  console.warn('[tocsin tests] TOCSIN_TEST_NATS_URL is not set: the NATS JetStream (at-scale mode) tests are skipped.');
}

/**
 * Deletes every stream and key-value bucket of `prefix` on the NATS server at `url` (live, events,
 * correlation feeds, partition owners, ...): what a test's processes made there. Nothing is left behind
 * on a server that outlives the test run (a developer's, CI's).
 */
export async function dropNatsPrefix(prefix: string, url = NATS_URL): Promise<void> {
  if (!url) return;
  const nats = await connectNats({ servers: [url], prefix }, 'test cleanup');
  try {
    for await (const si of nats.jsm.streams.list())
      if (si.config.name.startsWith(`${prefix}_`) || si.config.name.startsWith(`KV_${prefix}_`))
        await nats.jsm.streams.delete(si.config.name).catch(() => false);
  } finally {
    await nats.close();
  }
}
