import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, type Services } from '../compose.js';
import { buildApp } from './app.js';
import { testConfig } from '../../../test/helpers/store.js';
import { createLogger } from '../platform/logger.js';

describe('request logs', () => {
  const lines: string[] = [];
  let s: Services;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const t = testConfig('sqlite');
    drop = t.drop;
    s = await compose(t.config);
  });
  afterAll(async () => {
    await s.close();
    await drop();
  });

  it('keep no query strings, cookies, tokens or sign-in bodies', async () => {
    const sink = new Writable({
      write: (chunk, _enc, done) => {
        lines.push(String(chunk));
        done();
      },
    });
    const app = await buildApp(s, { logger: createLogger('info', sink) });
    await app.inject({
      method: 'GET',
      url: '/api/v1/incidents?q=%E5%BC%A0%E4%B8%89-13800138000',
      headers: { cookie: 'tocsin_session=secret-cookie-value' },
    });
    await app.inject({
      method: 'GET',
      url: '/api/v1/incidents',
      headers: { authorization: 'Bearer tcs_secret-token-value' },
    });
    await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'person@example.com', password: 'hunter2-hunter2' },
    });
    await app.close();
    const log = lines.join('');
    expect(log).toContain('/api/v1/incidents');
    for (const secret of [
      '13800138000',
      '%E5%BC%A0',
      'secret-cookie-value',
      'tcs_secret-token-value',
      'person@example.com',
      'hunter2',
    ]) {
      expect(log).not.toContain(secret);
    }
  });
});
