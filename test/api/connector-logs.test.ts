/**
 * A connector's secrets never reach a log: the server's request log at trace level while an
 * administrator stores a connector with secrets, reads it, tests it, and an action runs and fails
 * against the stand-in (its error kept on the job) — neither the log, the answers, the jobs nor the
 * run hold a secret value.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, type Services } from '../../src/server/compose.js';
import { buildApp } from '../../src/server/http/app.js';
import { createLogger } from '../../src/server/platform/logger.js';
import { type RunningSandbox, startSandbox } from '../../src/server/sandbox/index.js';
import { sessionOf } from '../helpers/app.js';
import { buildIncident, buildUser, PASSWORD } from '../helpers/fixtures.js';
import { testConfig } from '../helpers/store.js';

const SECRET = 'sk-live-4242-never-logged';

describe('connector secrets and logs', () => {
  const lines: string[] = [];
  let s: Services;
  let sandbox: RunningSandbox;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    sandbox = await startSandbox();
    const t = testConfig('sqlite', { TOCSIN_LOG_LEVEL: 'trace' });
    drop = t.drop;
    s = await compose(t.config);
  });
  afterAll(async () => {
    await s.close();
    await drop();
    await sandbox.stop();
  });

  it('keeps secret values out of the request log, the answers, the jobs and the runs', async () => {
    const sink = new Writable({
      write: (chunk, _enc, done) => {
        lines.push(String(chunk));
        done();
      },
    });
    const app = await buildApp(s, { logger: createLogger('trace', sink) });
    const admin = await buildUser(s, { role: 'admin' });
    const session = sessionOf(
      await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: admin.email, password: PASSWORD } }),
    );
    const as = (opts: { method: 'GET' | 'POST' | 'PATCH'; url: string; payload?: Record<string, unknown> }) =>
      app.inject({ ...opts, headers: { cookie: session.cookie, 'x-csrf-token': session.csrf } });
    const answers: string[] = [];
    const made = await as({
      method: 'POST',
      url: '/api/v1/connectors',
      payload: {
        name: 'trading-core',
        kind: 'trading-core',
        config: { baseUrl: sandbox.urls.trading, maxAttempts: 1 },
        secrets: { apiKey: SECRET },
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    answers.push(made.body);
    answers.push((await as({ method: 'GET', url: '/api/v1/connectors' })).body);
    answers.push((await as({ method: 'POST', url: '/api/v1/connectors/trading-core/test' })).body);
    answers.push(
      (await as({ method: 'PATCH', url: '/api/v1/connectors/trading-core', payload: { secrets: { apiKey: SECRET } } }))
        .body,
    );
    const incident = await buildIncident(s);
    await fetch(`${sandbox.urls.trading}/_sandbox/fail`, { method: 'POST', body: '{"count": 1}' });
    const run = await as({
      method: 'POST',
      url: `/api/v1/incidents/${incident.key}/actions`,
      payload: { connector: 'trading-core', action: 'revoke_sessions', parameters: { account: 'A1' } },
    });
    answers.push(run.body);
    await s.jobs.runDue(s.clock.now());
    const got = await as({ method: 'GET', url: `/api/v1/actions/${run.json().id}` });
    expect(got.json().state).toBe('failed');
    answers.push(got.body);
    await app.close();

    const log = lines.join('');
    expect(log).toContain('/api/v1/connectors');
    expect(log).not.toContain(SECRET);
    for (const a of answers) expect(a).not.toContain(SECRET);
    const jobs = await s.store.db.selectFrom('jobs').selectAll().execute();
    const runs = await s.store.db.selectFrom('action_runs').selectAll().execute();
    expect(JSON.stringify(jobs)).not.toContain(SECRET);
    expect(JSON.stringify(runs)).not.toContain(SECRET);
    // It was sent all the same (the stand-in records it redacted).
    expect(sandbox.standIns.find((x) => x.name === 'trading')!.requests.at(-1)!.headers['x-api-key']).toBe(
      '[redacted]',
    );
  });
});
