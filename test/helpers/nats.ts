/** The NATS server the at-scale tests use: TOCSIN_TEST_NATS_URL (CI sets it; without it those tests are skipped). */
export const NATS_URL = process.env.TOCSIN_TEST_NATS_URL;

if (!NATS_URL && process.env.CI) {
  throw new Error('CI must set TOCSIN_TEST_NATS_URL so the at-scale (NATS JetStream) tests run');
}
if (!NATS_URL && !process.env.TOCSIN_QUIET_NATS_SKIPS) {
  process.env.TOCSIN_QUIET_NATS_SKIPS = '1';
  console.warn('[tocsin tests] TOCSIN_TEST_NATS_URL is not set: the NATS JetStream (at-scale mode) tests are skipped.');
}
