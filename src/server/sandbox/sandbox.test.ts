/** The sandbox stand-ins over real HTTP on loopback: contracts, idempotency, recording, failure injection. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from './index.js';

let sandbox: RunningSandbox;
let now = Date.parse('2026-12-03T08:00:00Z');
const clock = { now: () => now };

beforeEach(async () => {
  now = Date.parse('2026-12-03T08:00:00Z');
  sandbox = await startSandbox({ clock });
});
afterEach(() => sandbox.stop());

// biome-ignore lint/suspicious/noExplicitAny: tests read the stand-ins' bodies ad hoc
type Body = any;

async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string; headers: Headers; body: Body }> {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    headers: res.headers,
    body: text ? JSON.parse(text) : null,
  };
}

describe('trading core', () => {
  it('lists the sessions of an account and revokes them, one or all', async () => {
    const t = sandbox.urls.trading;
    const listed = await call(t, 'GET', '/accounts/A1001/sessions');
    expect(listed.status).toBe(200);
    expect(listed.body.sessions.map((s: { id: string }) => s.id)).toEqual(['A1001-s1', 'A1001-s2']);
    const one = await call(t, 'POST', '/accounts/A1001/sessions/revoke', { sessionIds: ['A1001-s2'] });
    expect(one.body).toEqual({ account: 'A1001', revoked: ['A1001-s2'], remaining: 1 });
    const all = await call(t, 'POST', '/accounts/A1001/sessions/revoke', {});
    expect(all.body).toEqual({ account: 'A1001', revoked: ['A1001-s1'], remaining: 0 });
    expect((await call(t, 'GET', '/accounts/A1001/sessions')).body.sessions).toEqual([]);
  });

  it('freezes and unfreezes fund transfers of accounts', async () => {
    const t = sandbox.urls.trading;
    const frozen = await call(t, 'POST', '/transfers/freeze', { accounts: ['A1', 'A2'], reason: 'INC-7' });
    expect(frozen.status).toBe(200);
    expect(frozen.body.frozen).toEqual([
      { account: 'A1', frozenAt: '2026-12-03T08:00:00.000Z', reason: 'INC-7' },
      { account: 'A2', frozenAt: '2026-12-03T08:00:00.000Z', reason: 'INC-7' },
    ]);
    const un = await call(t, 'POST', '/transfers/unfreeze', { accounts: ['A1', 'A3'] });
    expect(un.body).toEqual({ unfrozen: ['A1'], notFrozen: ['A3'] });
    expect(
      (await call(t, 'GET', '/transfers/frozen')).body.accounts.map((a: { account: string }) => a.account),
    ).toEqual(['A2']);
  });

  it('halts and resumes a trading channel; an unknown channel is a 404 problem', async () => {
    const t = sandbox.urls.trading;
    const halted = await call(t, 'POST', '/channels/mobile/halt', { reason: 'credential stuffing' });
    expect(halted.body).toEqual({
      channel: 'mobile',
      state: 'halted',
      since: '2026-12-03T08:00:00.000Z',
      reason: 'credential stuffing',
    });
    const channels = (await call(t, 'GET', '/channels')).body.channels;
    expect(channels.find((c: { channel: string }) => c.channel === 'mobile').state).toBe('halted');
    expect(channels.find((c: { channel: string }) => c.channel === 'online').state).toBe('open');
    expect((await call(t, 'POST', '/channels/mobile/resume')).body.state).toBe('open');
    const unknown = await call(t, 'POST', '/channels/fax/halt', {});
    expect(unknown.status).toBe(404);
    expect(unknown.type).toBe('application/problem+json');
    expect(unknown.body).toMatchObject({ type: 'urn:tocsin:sandbox:not-found', status: 404 });
  });

  it('answers invalid requests, unknown routes and wrong methods as problem+json', async () => {
    const t = sandbox.urls.trading;
    const bad = await call(t, 'POST', '/transfers/freeze', { accounts: [] });
    expect(bad.status).toBe(400);
    expect(bad.type).toBe('application/problem+json');
    expect(bad.body).toMatchObject({ type: 'urn:tocsin:sandbox:invalid-request', title: 'Invalid request' });
    expect((await call(t, 'POST', '/transfers/freeze', '{not json')).status).toBe(400);
    expect((await call(t, 'GET', '/nowhere')).status).toBe(404);
    expect((await call(t, 'DELETE', '/transfers/freeze')).status).toBe(405);
  });

  it('disables and enables an account, and forces a password reset that ends its sessions', async () => {
    const t = sandbox.urls.trading;
    expect((await call(t, 'GET', '/accounts/A7')).body).toEqual({
      account: 'A7',
      state: 'active',
      since: null,
      reason: null,
      passwordResetRequiredSince: null,
    });
    const off = await call(t, 'POST', '/accounts/A7/disable', { reason: 'INC-9' });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ state: 'disabled', since: '2026-12-03T08:00:00.000Z', reason: 'INC-9' });
    expect((await call(t, 'POST', '/accounts/A7/enable', {})).body.state).toBe('active');
    const reset = await call(t, 'POST', '/accounts/A7/password-reset', {});
    expect(reset.body).toMatchObject({
      passwordResetRequiredSince: '2026-12-03T08:00:00.000Z',
      revoked: ['A7-s1', 'A7-s2'],
    });
    expect((await call(t, 'GET', '/accounts/A7/sessions')).body.sessions).toEqual([]);
    expect((await call(t, 'POST', '/accounts/A7/disable', { reason: 7 })).status).toBe(400);
  });
});

describe('idempotency key', () => {
  it('does the action once and answers the same for the same key', async () => {
    const t = sandbox.urls.trading;
    const key = { 'idempotency-key': 'k-1' };
    const first = await call(t, 'POST', '/accounts/A9/sessions/revoke', { sessionIds: ['A9-s1'] }, key);
    const again = await call(t, 'POST', '/accounts/A9/sessions/revoke', { sessionIds: ['A9-s1'] }, key);
    expect(first.body).toEqual({ account: 'A9', revoked: ['A9-s1'], remaining: 1 });
    expect(again.status).toBe(first.status);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    // Without the key the same request acts again (nothing left to revoke).
    const without = await call(t, 'POST', '/accounts/A9/sessions/revoke', { sessionIds: ['A9-s1'] });
    expect(without.body.revoked).toEqual([]);
  });

  it('refuses a key reused for a different request, and does not remember rejected requests', async () => {
    const t = sandbox.urls.trading;
    const key = { 'idempotency-key': 'k-2' };
    expect((await call(t, 'POST', '/transfers/freeze', { accounts: [] }, key)).status).toBe(400);
    expect((await call(t, 'POST', '/transfers/freeze', { accounts: ['A1'] }, key)).status).toBe(200);
    const reused = await call(t, 'POST', '/transfers/freeze', { accounts: ['A2'] }, key);
    expect(reused.status).toBe(422);
    expect(reused.body.type).toBe('urn:tocsin:sandbox:idempotency-key-reused');
  });
});

describe('EDR and firewall', () => {
  it('isolates a host and releases it', async () => {
    const e = sandbox.urls.edr;
    expect((await call(e, 'GET', '/hosts/ws-17')).body.state).toBe('normal');
    const iso = await call(e, 'POST', '/hosts/ws-17/isolate', { reason: 'beacon' });
    expect(iso.body).toEqual({ host: 'ws-17', state: 'isolated', since: '2026-12-03T08:00:00.000Z', reason: 'beacon' });
    expect((await call(e, 'GET', '/hosts')).body.isolated.map((h: { host: string }) => h.host)).toEqual(['ws-17']);
    expect((await call(e, 'POST', '/hosts/ws-17/release')).body.state).toBe('normal');
    expect((await call(e, 'GET', '/hosts')).body.isolated).toEqual([]);
  });

  it('blocks an IP or a CIDR range, lists blocks in force until they expire, unblocks', async () => {
    const f = sandbox.urls.firewall;
    const ip = await call(f, 'POST', '/blocks', { target: '203.0.113.7', ttlSeconds: 60, reason: 'brute force' });
    expect(ip.status).toBe(201);
    expect(ip.body).toMatchObject({ target: '203.0.113.7', expiresAt: '2026-12-03T08:01:00.000Z' });
    const range = await call(f, 'POST', '/blocks', { target: '2001:db8::/32' });
    expect(range.body).toMatchObject({ target: '2001:db8::/32', expiresAt: null });
    expect((await call(f, 'GET', '/blocks')).body.blocks).toHaveLength(2);
    now += 61_000;
    expect((await call(f, 'GET', '/blocks')).body.blocks.map((b: { target: string }) => b.target)).toEqual([
      '2001:db8::/32',
    ]);
    expect((await call(f, 'DELETE', `/blocks/${ip.body.id}`)).status).toBe(404);
    expect((await call(f, 'DELETE', `/blocks/${range.body.id}`)).body).toMatchObject({ unblocked: true });
    expect((await call(f, 'GET', '/blocks')).body.blocks).toEqual([]);
    for (const target of ['not-an-ip', '10.0.0.0/33', 42])
      expect((await call(f, 'POST', '/blocks', { target })).status).toBe(400);
    expect((await call(f, 'POST', '/blocks', { target: '10.0.0.1', ttlSeconds: 0 })).status).toBe(400);
  });
});

describe('recording and the overview', () => {
  it('records each request with secrets redacted, and lists it on the escaped HTML page and in JSON', async () => {
    await call(
      sandbox.urls.edr,
      'POST',
      '/hosts/ws-1/isolate',
      { reason: '<script>alert(1)</script>' },
      { authorization: 'Bearer s3cret', 'x-request-id': 'r-1' },
    );
    const recorded = (await call(sandbox.urls.edr, 'GET', '/_sandbox/requests')).body.requests;
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      standIn: 'edr',
      method: 'POST',
      path: '/hosts/ws-1/isolate',
      body: { reason: '<script>alert(1)</script>' },
      at: '2026-12-03T08:00:00.000Z',
      status: 200,
    });
    expect(recorded[0].headers.authorization).toBe('[redacted]');
    expect(recorded[0].headers['x-request-id']).toBe('r-1');

    const all = (await call(sandbox.urls.overview, 'GET', '/requests.json')).body.standIns;
    expect(all.map((s: { name: string }) => s.name)).toEqual([
      'trading',
      'edr',
      'firewall',
      'mail',
      'robots',
      'sms',
      'notify',
    ]);
    expect(all[1].requests).toHaveLength(1);
    const page = await fetch(sandbox.urls.overview);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('/hosts/ws-1/isolate');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('s3cret');
    expect((await call(sandbox.urls.edr, 'DELETE', '/_sandbox/requests')).status).toBe(200);
    expect((await call(sandbox.urls.edr, 'GET', '/_sandbox/requests')).body.requests).toEqual([]);
    expect((await call(sandbox.urls.edr, 'GET', '/_sandbox/nothing')).status).toBe(404);
  });
});

describe('failure injection', () => {
  it('makes the next N requests answer 500, then serves again', async () => {
    const t = sandbox.urls.trading;
    expect((await call(t, 'POST', '/_sandbox/fail', { count: 2, mode: 'error' })).status).toBe(200);
    const key = { 'idempotency-key': 'k-3' };
    for (let i = 0; i < 2; i++) {
      const failed = await call(t, 'POST', '/transfers/freeze', { accounts: ['A1'] }, key);
      expect(failed.status).toBe(500);
      expect(failed.body.type).toBe('urn:tocsin:sandbox:injected-failure');
    }
    // The retry with the same key acts now: injected failures did nothing.
    expect((await call(t, 'POST', '/transfers/freeze', { accounts: ['A1'] }, key)).status).toBe(200);
    const statuses = (await call(t, 'GET', '/_sandbox/requests')).body.requests.map(
      (r: { status: number }) => r.status,
    );
    expect(statuses).toEqual([500, 500, 200]);
    expect((await call(t, 'POST', '/_sandbox/fail', { count: -1 })).status).toBe(400);
  });

  it('makes the next request hang without an answer, recorded with no status', async () => {
    const e = sandbox.urls.edr;
    await call(e, 'POST', '/_sandbox/fail', { count: 1, mode: 'hang' });
    const controller = new AbortController();
    const hanging = fetch(`${e}/hosts/ws-2/isolate`, { method: 'POST', signal: controller.signal });
    // The hanging request is recorded once the stand-in has read it; the next one is served.
    await expect.poll(async () => (await call(e, 'GET', '/_sandbox/requests')).body.requests.length).toBe(1);
    expect((await call(e, 'GET', '/hosts/ws-2')).status).toBe(200);
    const recorded = (await call(e, 'GET', '/_sandbox/requests')).body.requests;
    expect(recorded.map((r: { status: number | null }) => r.status)).toEqual([null, 200]);
    controller.abort();
    await expect(hanging).rejects.toThrow();
  });
});
