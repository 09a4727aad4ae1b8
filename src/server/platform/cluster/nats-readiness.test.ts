/** The NATS connection's readiness (what /readyz shows as `nats`): ready while connected, a reason once closed. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NATS_URL } from '../../../../test/helpers/nats.js';
import { connectNats } from './nats.js';

describe.skipIf(!NATS_URL)('NATS readiness', () => {
  it('is ready while connected and says why not once the connection is closed', async () => {
    // Connecting makes no stream: nothing to clean up.
    const nats = await connectNats({ servers: [NATS_URL!], prefix: `t${randomBytes(4).toString('hex')}` }, 'readiness');
    expect(nats.ready()).toBe(true);
    await nats.close();
    expect(nats.ready()).toBe('the NATS connection is closed');
  });

  it('fails in one line naming the servers when none answers', async () => {
    await expect(connectNats({ servers: ['nats://127.0.0.1:1'], prefix: 'tunused' }, 'readiness')).rejects.toThrow(
      /^cannot reach NATS at nats:\/\/127\.0\.0\.1:1: /,
    );
  });
});
