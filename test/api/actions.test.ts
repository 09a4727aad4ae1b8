/**
 * Containment actions against the real sandbox stand-ins (in-process, loopback): block IPs at the
 * firewall with the idempotency key, revoke sessions, freeze transfers under the two-person rule and
 * roll it back, retries with backoff (test clock, runDue) ending in a clear `failed`, a dry run that
 * sends nothing, a command run without a shell, a host outside the allowed hosts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ActionRun } from '../../src/shared/connector-schemas.js';
import type { BusEvent } from '../../src/server/platform/bus.js';
import { type RunningSandbox, startSandbox } from '../../src/server/sandbox/index.js';
import type { StandIn } from '../../src/server/sandbox/stand-in.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildIncident } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

const API_KEY = 'fw-secret-key-0a9b8c7d6e';

describe.each(STORE_KINDS)('containment actions (%s)', (kind) => {
  let t: TestApp;
  let sandbox: RunningSandbox;
  let admin: Session;
  let alice: Session;
  let bob: Session;
  let observer: Session;
  let incidentKey: string;
  const events: BusEvent[] = [];
  const clock = {
    t: Date.parse('2026-12-03T08:00:00Z'),
    now() {
      return this.t;
    },
  };
  const standIn = (name: string): StandIn => sandbox.standIns.find((s) => s.name === name)!;
  /** Runs what is due, then moves the clock past any backoff (the cap is an hour). */
  const runJobs = async () => {
    const n = await t.s.jobs.runDue(clock.t);
    clock.t += 2 * 3600_000;
    return n;
  };
  const ask = (body: Record<string, unknown>, as: Session = alice) =>
    t.as(as, { method: 'POST', url: `/api/v1/incidents/${incidentKey}/actions`, payload: body });
  const get = async (id: string): Promise<ActionRun> =>
    (await t.as(observer, { method: 'GET', url: `/api/v1/actions/${id}` })).json();
  const connector = (body: Record<string, unknown>) =>
    t.as(admin, { method: 'POST', url: '/api/v1/connectors', payload: body });

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
    // The clock moves hours ahead for backoffs: sessions last long enough.
    t = await createTestApp(kind, { TOCSIN_SESSION_TTL_HOURS: '720' }, { clock });
    t.s.bus.subscribe((e) => events.push(e));
    admin = await t.login('admin');
    alice = await t.login('responder');
    bob = await t.login('incident_commander');
    observer = await t.login('executive');
    incidentKey = (await buildIncident(t.s, { title: 'Credential stuffing' })).key;
    for (const [name, k, url] of [
      ['firewall', 'firewall', sandbox.urls.firewall],
      ['trading-core', 'trading-core', sandbox.urls.trading],
      ['edr', 'edr', sandbox.urls.edr],
    ] as const) {
      const res = await connector({
        name,
        kind: k,
        config: { baseUrl: url, timeoutMs: 500, maxAttempts: 3 },
        secrets: { apiKey: API_KEY },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(async () => {
    await t.close();
    await sandbox.stop();
  });
  beforeEach(() => {
    for (const s of sandbox.standIns) s.requests.length = 0;
  });

  it('blocks IPs at the firewall, one request per address with the idempotency key, and rolls back', async () => {
    const res = await ask({
      connector: 'firewall',
      action: 'block_ip',
      parameters: { ip: '203.0.113.7, 198.51.100.9', ttl_hours: 24, reason: 'stuffing' },
      key: 'inc-block-1',
    });
    expect(res.statusCode, res.body).toBe(201);
    const run = res.json() as ActionRun;
    expect(run).toMatchObject({ state: 'queued', approval: 'none', incidentKey, key: 'inc-block-1' });
    // The same key again: the same run, nothing new.
    const again = await ask({
      connector: 'firewall',
      action: 'block_ip',
      parameters: { ip: '203.0.113.7' },
      key: 'inc-block-1',
    });
    expect(again.json().id).toBe(run.id);

    // The run, and the outbox deliveries its end publishes.
    expect(await runJobs()).toBeGreaterThanOrEqual(1);
    const done = await get(run.id);
    expect(done.state, done.error ?? '').toBe('succeeded');
    const received = standIn('firewall').requests;
    expect(
      received.map((r) => [r.method, r.path, r.headers['idempotency-key'], (r.body as { target: string }).target]),
    ).toEqual([
      ['POST', '/blocks', 'inc-block-1:203.0.113.7', '203.0.113.7'],
      ['POST', '/blocks', 'inc-block-1:198.51.100.9', '198.51.100.9'],
    ]);
    expect(received[0]!.body).toMatchObject({ ttlSeconds: 86400, reason: 'stuffing' });
    // What was sent is kept, the API key redacted; what was answered too.
    expect(JSON.stringify(done.request)).not.toContain(API_KEY);
    expect((done.request as { headers: Record<string, string> }[])[0]!.headers['x-api-key']).toBe('[redacted]');
    expect(done.response).toMatchObject({
      answers: [{ status: 201 }, { status: 201 }],
      result: { blocks: [{ id: 'blk-1' }, { id: 'blk-2' }] },
    });
    expect(done.canRollback).toBe(true);

    // Live: every change on the bus, with the incident's audience; the timeline says so.
    const changes = events
      .filter((e) => e.event === 'action.changed' && e.action?.id === run.id)
      .map((e) => e.action!.state);
    expect(changes).toEqual(['queued', 'running', 'succeeded']);
    const timeline = (await t.as(observer, { method: 'GET', url: `/api/v1/incidents/${incidentKey}/timeline` })).json();
    expect(timeline.items.map((e: { text: string }) => e.text)).toEqual(
      expect.arrayContaining(['Action block_ip on firewall requested', 'Action block_ip on firewall succeeded']),
    );

    const rb = await t.as(bob, { method: 'POST', url: `/api/v1/actions/${run.id}/rollback` });
    expect(rb.statusCode, rb.body).toBe(202);
    await runJobs();
    const rolled = await get(run.id);
    expect(rolled.state).toBe('rolled_back');
    expect(
      standIn('firewall')
        .requests.slice(2)
        .map((r) => [r.method, r.path]),
    ).toEqual([
      ['DELETE', '/blocks/blk-1'],
      ['DELETE', '/blocks/blk-2'],
    ]);
    expectProblem(await t.as(bob, { method: 'POST', url: `/api/v1/actions/${run.id}/rollback` }), 409);
  });

  it('revokes the sessions of the accounts named', async () => {
    const run = (
      await ask({ connector: 'trading-core', action: 'revoke_sessions', parameters: { account: ['A1001', 'A1002'] } })
    ).json();
    await runJobs();
    expect((await get(run.id)).state).toBe('succeeded');
    expect(standIn('trading').requests.map((r) => r.path)).toEqual([
      '/accounts/A1001/sessions/revoke',
      '/accounts/A1002/sessions/revoke',
    ]);
    const left = await fetch(`${sandbox.urls.trading}/accounts/A1001/sessions`).then((r) => r.json());
    expect(left.sessions).toEqual([]);
  });

  it('freezes transfers only after a second person approves; the requester cannot; rollback unfreezes', async () => {
    const res = await ask({
      connector: 'trading-core',
      action: 'freeze_transfers',
      parameters: { accounts: ['A2001', 'A2002'], incident: incidentKey },
    });
    const run = res.json() as ActionRun;
    // High risk: two people, whatever was asked.
    expect(run).toMatchObject({ state: 'awaiting_approval', approval: 'two_person' });
    await runJobs();
    expect(standIn('trading').requests).toEqual([]);

    const self = expectProblem(await t.as(alice, { method: 'POST', url: `/api/v1/actions/${run.id}/approve` }), 403);
    expect(self.detail).toMatch(/two-person rule/);
    expectProblem(await t.as(observer, { method: 'POST', url: `/api/v1/actions/${run.id}/approve` }), 403);
    const ok = await t.as(bob, { method: 'POST', url: `/api/v1/actions/${run.id}/approve` });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ state: 'queued', approvedBy: { name: expect.any(String) } });
    expectProblem(await t.as(admin, { method: 'POST', url: `/api/v1/actions/${run.id}/approve` }), 409);

    await runJobs();
    expect((await get(run.id)).state).toBe('succeeded');
    const frozen = await fetch(`${sandbox.urls.trading}/transfers/frozen`).then((r) => r.json());
    expect(frozen.accounts.map((a: { account: string }) => a.account)).toEqual(['A2001', 'A2002']);
    expect(frozen.accounts[0].reason).toBe(`Tocsin ${incidentKey}`);

    await t.as(alice, { method: 'POST', url: `/api/v1/actions/${run.id}/rollback` });
    await runJobs();
    expect((await get(run.id)).state).toBe('rolled_back');
    expect((await fetch(`${sandbox.urls.trading}/transfers/frozen`).then((r) => r.json())).accounts).toEqual([]);

    const audit = await t.s.store.db.selectFrom('audit_log').select('action').execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['action.request', 'action.approve', 'action.rollback', 'action.result']),
    );
  });

  it('rejects with a reason; a rejected run never runs', async () => {
    const run = (
      await ask({ connector: 'trading-core', action: 'halt_channel', parameters: { channel: 'mobile' } })
    ).json();
    expectProblem(await t.as(bob, { method: 'POST', url: `/api/v1/actions/${run.id}/reject`, payload: {} }), 400);
    const rej = await t.as(bob, {
      method: 'POST',
      url: `/api/v1/actions/${run.id}/reject`,
      payload: { reason: 'not at market open' },
    });
    expect(rej.json()).toMatchObject({
      state: 'rejected',
      reason: 'not at market open',
      rejectedBy: { name: expect.any(String) },
    });
    await runJobs();
    expect(standIn('trading').requests).toEqual([]);
  });

  it('retries a stand-in that fails, then leaves the run clearly failed with the reason', async () => {
    await fetch(`${sandbox.urls.edr}/_sandbox/fail`, {
      method: 'POST',
      body: JSON.stringify({ count: 2, mode: 'error' }),
    });
    const run = (await ask({ connector: 'edr', action: 'isolate_host', parameters: { host: 'ws-17' } })).json();
    await runJobs();
    let now = await get(run.id);
    expect(now).toMatchObject({ state: 'queued', attempts: 1 });
    expect(now.error).toMatch(/attempt 1 of 3 failed: POST \/hosts\/ws-17\/isolate answered HTTP 500; retrying/);
    // Then the stand-in hangs: the attempt times out.
    await fetch(`${sandbox.urls.edr}/_sandbox/fail`, {
      method: 'POST',
      body: JSON.stringify({ count: 5, mode: 'hang' }),
    });
    await runJobs();
    await runJobs();
    now = await get(run.id);
    expect(now.state).toBe('failed');
    expect(now.error).toMatch(/no answer within 500 ms \(attempt 3 of 3\)/);
    expect(now.finishedAt).not.toBeNull();
    expect(standIn('edr').requests.length).toBe(3);
    await fetch(`${sandbox.urls.edr}/_sandbox/fail`, { method: 'POST', body: JSON.stringify({ count: 0 }) });
  });

  it('fails at once, without retrying, on an unexpected 4xx', async () => {
    const run = (
      await ask({ connector: 'trading-core', action: 'halt_channel', parameters: { channel: 'fax' }, approval: 'none' })
    ).json();
    await t.as(bob, { method: 'POST', url: `/api/v1/actions/${run.id}/approve` });
    await runJobs();
    const now = await get(run.id);
    expect(now).toMatchObject({ state: 'failed', attempts: 1 });
    expect(now.error).toMatch(/HTTP 404 \(not retried/);
  });

  it('a dry run sends nothing and records the request it would have sent', async () => {
    const run = (
      await ask({ connector: 'firewall', action: 'block_ip', parameters: { ip: '192.0.2.44' }, dryRun: true })
    ).json();
    await runJobs();
    const now = await get(run.id);
    expect(now).toMatchObject({ state: 'succeeded', dryRun: true });
    expect(now.request).toEqual([
      {
        method: 'POST',
        url: `${sandbox.urls.firewall}/blocks`,
        headers: expect.objectContaining({ 'Idempotency-Key': `${now.key}:192.0.2.44`, 'x-api-key': '[redacted]' }),
        body: { target: '192.0.2.44' },
      },
    ]);
    expect(standIn('firewall').requests).toEqual([]);
    expectProblem(await t.as(bob, { method: 'POST', url: `/api/v1/actions/${run.id}/rollback` }), 409);
  });

  it('refuses a host outside the allowed hosts (failed, not retried, nothing sent)', async () => {
    await connector({
      name: 'fw-narrow',
      kind: 'firewall',
      config: { baseUrl: sandbox.urls.firewall },
      allowedHosts: ['fw.example'],
    });
    const run = (await ask({ connector: 'fw-narrow', action: 'block_ip', parameters: { ip: '192.0.2.1' } })).json();
    await runJobs();
    const now = await get(run.id);
    expect(now).toMatchObject({ state: 'failed', attempts: 1 });
    expect(now.error).toMatch(/not among the allowed hosts/);
    expect(standIn('firewall').requests).toEqual([]);
  });

  it('runs a command with its arguments, never through a shell', async () => {
    const made = await connector({
      name: 'echo',
      kind: 'command',
      config: { path: '/bin/echo', args: ['block', '{{ ip }}', '{{ note }}'], actions: ['block_ip'] },
    });
    expect(made.statusCode, made.body).toBe(201);
    const run = (
      await ask({ connector: 'echo', action: 'block_ip', parameters: { ip: '192.0.2.5', note: '; rm -rf / $(id)' } })
    ).json();
    await runJobs();
    const now = await get(run.id);
    expect(now.state, now.error ?? '').toBe('succeeded');
    expect(now.request).toEqual([{ command: '/bin/echo', args: ['block', '192.0.2.5', '; rm -rf / $(id)'] }]);
    expect(now.response).toMatchObject({ result: { exitCode: 0, stdout: 'block 192.0.2.5 ; rm -rf / $(id)\n' } });
  });

  it('checks the request: unknown connector or action, bad parameters, need-to-know', async () => {
    expectProblem(await ask({ connector: 'nope', action: 'block_ip', parameters: {} }), 422);
    expectProblem(await ask({ connector: 'firewall', action: 'halt_channel', parameters: {} }), 422);
    const bad = expectProblem(
      await ask({ connector: 'firewall', action: 'block_ip', parameters: { ip: 'not-an-ip' } }),
      422,
    );
    expect(bad.errors!.map((e) => e.path)).toEqual(['parameters.ip.0']);
    expectProblem(
      await ask({ connector: 'firewall', action: 'block_ip', parameters: { ip: '192.0.2.1' } }, observer),
      403,
    );
    const secret = await buildIncident(t.s, { title: 'Insider', restricted: true });
    expectProblem(await t.as(alice, { method: 'GET', url: `/api/v1/incidents/${secret.key}/actions` }), 404);
    const hidden = await t.s.store.transaction((tx) =>
      t.s.actions.request(tx, {
        incidentId: secret.id,
        connector: 'firewall',
        action: 'block_ip',
        parameters: { ip: '192.0.2.77' },
        approval: 'one_person',
        key: 'restricted-1',
        requestedBy: null,
      }),
    );
    expectProblem(await t.as(alice, { method: 'GET', url: `/api/v1/actions/${hidden.run.id}` }), 404);
    expectProblem(await t.as(alice, { method: 'POST', url: `/api/v1/actions/${hidden.run.id}/approve` }), 404);
    expect((await t.as(admin, { method: 'GET', url: `/api/v1/actions/${hidden.run.id}` })).json().state).toBe(
      'awaiting_approval',
    );
    const list = await t.as(observer, { method: 'GET', url: `/api/v1/incidents/${incidentKey}/actions` });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.length).toBeGreaterThan(5);
    expect(list.body).not.toContain(API_KEY);
  });
});
