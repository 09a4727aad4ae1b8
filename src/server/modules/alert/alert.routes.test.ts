import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, PASSWORD, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { errorPaths, expectProblem } from '../../../../test/helpers/problem.js';
import { startTestServer, type TestServer } from '../../../../test/helpers/server.js';
import { openSse } from '../../../../test/helpers/sse.js';
import { STORE_KINDS } from '../../../../test/helpers/store.js';
import type { RuleMatch } from '../detection/index.js';

const T0 = Date.now();
let n = 0;
const match = (fields: Record<string, unknown>, over: Partial<RuleMatch> = {}): RuleMatch => ({
  ruleId: 'tocsin-credential-stuffing',
  ruleTitle: 'Credential stuffing on the trading login',
  level: 'high',
  tags: ['attack.credential_access', 'attack.t1110.004'],
  kind: 'correlation',
  events: [{ id: `api-ev-${++n}`, time: T0, source: 'api', logsource: { product: 'trading_gateway' }, fields }],
  time: T0,
  ...over,
});

describe.each(STORE_KINDS)('alerts over HTTP (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let responder: Session;
  let member: Session;
  let executive: Session;
  let restrictedKey = '';
  let hiddenId = '';
  let openId = '';

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.login('admin');
    responder = await t.login('responder');
    member = await t.login('responder');
    executive = await t.login('executive');
    const [hidden, open] = await t.s.alerts.raise([
      match({ TargetUserName: 'vip-client', IpAddress: '203.0.113.50' }),
      match(
        { TargetUserName: 'someone', IpAddress: '203.0.113.51' },
        { ruleId: 'tocsin-other', ruleTitle: 'Other rule', level: 'medium' },
      ),
    ]);
    hiddenId = hidden!.alertId;
    openId = open!.alertId;
    const inc = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Insider case', category: 'data_security', grade: 'II', restricted: true },
    });
    restrictedKey = inc.json().key;
    await t.as(admin, {
      method: 'POST',
      url: `/api/v1/incidents/${restrictedKey}/participants`,
      payload: { userId: member.userId, role: 'observer' },
    });
    const linked = await t.as(admin, {
      method: 'POST',
      url: `/api/v1/alerts/${hiddenId}/link`,
      payload: { incidentKey: restrictedKey },
    });
    expect(linked.statusCode, linked.body).toBe(200);
  });
  afterAll(() => t.close());

  it('lists and shows alerts with their events to every staff role', async () => {
    const list = await t.as(executive, { method: 'GET', url: '/api/v1/alerts?status=active' });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.map((a: { id: string }) => a.id)).toContain(openId);
    const one = await t.as(executive, { method: 'GET', url: `/api/v1/alerts/${openId}` });
    expect(one.json()).toMatchObject({
      id: openId,
      ruleTitle: 'Other rule',
      events: [{ fields: { TargetUserName: 'someone' }, logsource: { product: 'trading_gateway' }, truncated: false }],
    });
    const filtered = await t.as(responder, {
      method: 'GET',
      url: '/api/v1/alerts?level=medium&rule=tocsin-other&q=SOMEONE',
    });
    expect(filtered.json().items.map((a: { id: string }) => a.id)).toEqual([openId]);
  });

  it("keeps a restricted incident's alerts from non-members: absent from lists, 404 alone and by incident", async () => {
    const ids = async (s: Session) =>
      (await t.as(s, { method: 'GET', url: '/api/v1/alerts?limit=200' }))
        .json()
        .items.map((a: { id: string }) => a.id) as string[];
    expect(await ids(responder)).not.toContain(hiddenId);
    expect(await ids(member)).toContain(hiddenId);
    expect(await ids(admin)).toContain(hiddenId);
    expectProblem(await t.as(responder, { method: 'GET', url: `/api/v1/alerts/${hiddenId}` }), 404);
    expectProblem(await t.as(responder, { method: 'GET', url: `/api/v1/incidents/${restrictedKey}/alerts` }), 404);
    expectProblem(await t.as(responder, { method: 'POST', url: `/api/v1/alerts/${hiddenId}/acknowledge` }), 404);
    expectProblem(await t.as(responder, { method: 'GET', url: `/api/v1/alerts?incident=${restrictedKey}` }), 404);
    // Nor can a non-member move an alert into it.
    expectProblem(
      await t.as(responder, {
        method: 'POST',
        url: `/api/v1/alerts/${openId}/link`,
        payload: { incidentKey: restrictedKey },
      }),
      404,
    );
    const mine = await t.as(member, { method: 'GET', url: `/api/v1/incidents/${restrictedKey}/alerts` });
    expect(mine.json().items.map((a: { id: string }) => a.id)).toEqual([hiddenId]);
    expect((await t.as(member, { method: 'GET', url: `/api/v1/alerts/${hiddenId}` })).json().incident).toEqual({
      key: restrictedKey,
      title: 'Insider case',
      titleI18n: null,
    });
  });

  it('lets only admins, commanders and responders act on alerts', async () => {
    expectProblem(await t.as(executive, { method: 'POST', url: `/api/v1/alerts/${openId}/acknowledge` }), 403);
    expectProblem(
      await t.as(executive, { method: 'POST', url: '/api/v1/suppressions', payload: { ruleId: 'x', reason: 'y' } }),
      403,
    );
    const ack = await t.as(responder, { method: 'POST', url: `/api/v1/alerts/${openId}/acknowledge` });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ status: 'acknowledged' });
    expectProblem(await t.as(responder, { method: 'POST', url: `/api/v1/alerts/${openId}/acknowledge` }), 409);
    const { token } = await t.s.tokens.create({ id: null, label: 'test' }, responder.userId, {
      name: 'ro',
      scopes: ['read'],
    });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/alerts/${openId}/false-positive`,
      headers: { authorization: `Bearer ${token}` },
      payload: { reason: 'r' },
    });
    expectProblem(res, 403);
  });

  it('refuses bad input with the failing fields', async () => {
    const paths = async (res: Awaited<ReturnType<TestApp['as']>>, status: number) => {
      expectProblem(res, status);
      return errorPaths(res);
    };
    expect(
      await paths(
        await t.as(responder, { method: 'POST', url: `/api/v1/alerts/${openId}/false-positive`, payload: {} }),
        400,
      ),
    ).toContain('body.reason');
    expect(
      await paths(
        await t.as(responder, {
          method: 'POST',
          url: `/api/v1/alerts/${openId}/false-positive`,
          payload: { reason: 'r', extra: 1 },
        }),
        400,
      ),
    ).toContain('body.extra');
    expect(
      await paths(
        await t.as(responder, { method: 'POST', url: '/api/v1/suppressions', payload: { reason: 'nothing named' } }),
        422,
      ),
    ).toEqual(['ruleId', 'entity']);
    expect(
      await paths(
        await t.as(responder, {
          method: 'POST',
          url: '/api/v1/suppressions',
          payload: { entity: { kind: 'ip', value: '999.1.1.1' }, reason: 'r' },
        }),
        422,
      ),
    ).toEqual(['entity.value']);
    expect(
      await paths(
        await t.as(responder, {
          method: 'POST',
          url: '/api/v1/suppressions',
          payload: { ruleId: 'r', reason: 'r', expiresAt: '2000-01-01T00:00:00Z' },
        }),
        422,
      ),
    ).toEqual(['expiresAt']);
    const start = new Date(Date.now() + 3600_000).toISOString();
    expect(
      await paths(
        await t.as(responder, {
          method: 'POST',
          url: '/api/v1/maintenance-windows',
          payload: { services: ['x'], startsAt: start, endsAt: start, reason: 'r' },
        }),
        422,
      ),
    ).toEqual(['endsAt']);
    const end = new Date(Date.now() + 7200_000).toISOString();
    expect(
      await paths(
        await t.as(responder, {
          method: 'POST',
          url: '/api/v1/maintenance-windows',
          payload: { startsAt: start, endsAt: end, reason: 'r' },
        }),
        422,
      ),
    ).toEqual(['services']);
    expect(
      await paths(
        await t.as(responder, {
          method: 'POST',
          url: '/api/v1/maintenance-windows',
          payload: { services: ['no-such-service'], startsAt: start, endsAt: end, reason: 'r' },
        }),
        422,
      ),
    ).toEqual(['services']);
    expect(await paths(await t.as(responder, { method: 'GET', url: '/api/v1/alerts?cursor=eyJ4IjoxfQ' }), 422)).toEqual(
      ['cursor'],
    );
    expect(await paths(await t.as(responder, { method: 'GET', url: '/api/v1/alerts?status=closed' }), 400)).toContain(
      'query.status',
    );
    expectProblem(await t.as(responder, { method: 'GET', url: '/api/v1/alerts/does-not-exist' }), 404);
    expectProblem(await t.as(responder, { method: 'DELETE', url: '/api/v1/suppressions/does-not-exist' }), 404);
  });

  it('creates, lists and deletes suppressions and windows', async () => {
    const s = await t.as(responder, {
      method: 'POST',
      url: '/api/v1/suppressions',
      payload: { ruleId: 'tocsin-other', entity: { kind: 'ip', value: '198.51.100.0/24' }, reason: 'Vendor scanner' },
    });
    expect(s.statusCode, s.body).toBe(201);
    expect(s.json()).toMatchObject({
      ruleId: 'tocsin-other',
      entity: { kind: 'ip', value: '198.51.100.0/24' },
      hits: 0,
      createdBy: { id: responder.userId },
    });
    const w = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/maintenance-windows',
      payload: {
        ruleIds: ['tocsin-other'],
        entities: [{ kind: 'host', value: 'DB-01' }],
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 3600_000).toISOString(),
        reason: 'DB failover test',
      },
    });
    expect(w.statusCode, w.body).toBe(201);
    expect(w.json().entities).toEqual([{ kind: 'host', value: 'db-01' }]);
    expect((await t.as(executive, { method: 'GET', url: '/api/v1/suppressions' })).json().items[0].id).toBe(
      s.json().id,
    );
    expect((await t.as(executive, { method: 'GET', url: '/api/v1/maintenance-windows' })).json().items[0].id).toBe(
      w.json().id,
    );
    expect((await t.as(responder, { method: 'DELETE', url: `/api/v1/suppressions/${s.json().id}` })).statusCode).toBe(
      204,
    );
    expect(
      (await t.as(responder, { method: 'DELETE', url: `/api/v1/maintenance-windows/${w.json().id}` })).statusCode,
    ).toBe(204);
    expectProblem(await t.as(responder, { method: 'DELETE', url: `/api/v1/suppressions/${s.json().id}` }), 404);
    expect(
      (await t.as(executive, { method: 'GET', url: '/api/v1/suppressions' }))
        .json()
        .items.map((x: { id: string }) => x.id),
    ).not.toContain(s.json().id);
  });

  it('pages through alerts with a cursor', async () => {
    await t.s.alerts.raise(
      Array.from({ length: 5 }, (_, i) =>
        match({ TargetUserName: `page-${i}`, IpAddress: '192.0.2.200' }, { ruleId: 'tocsin-page', time: T0 + i }),
      ),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.as(admin, {
        method: 'GET',
        url: `/api/v1/alerts?rule=tocsin-page&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      });
      const body = res.json() as { items: { id: string }[]; next: string | null };
      seen.push(...body.items.map((a) => a.id));
      cursor = body.next;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });
});

describe('alerts on the live stream', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer();
  });
  afterAll(() => srv.stop());

  async function signIn(email: string, password: string) {
    const res = await fetch(`${srv.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(res.status).toBe(200);
    return res.headers.getSetCookie()[0]!.split(';')[0]!;
  }

  it("pushes alerts to staff, and a restricted incident's alerts only to its members", async () => {
    const s = srv.running.services;
    const system = { id: null, label: 'test' };
    const outsider = await s.users.create(system, {
      email: 'outsider@test.example',
      name: 'Outsider',
      role: 'responder',
      password: PASSWORD,
    });
    const insider = await s.users.create(system, {
      email: 'insider@test.example',
      name: 'Insider',
      role: 'responder',
      password: PASSWORD,
    });
    const adminUser = (await s.users.list(undefined, 10)).items.find((u) => u.role === 'admin')!;
    const adminP = { user: adminUser, via: 'cli' as const, scopes: null, restrictedTo: null };
    const inc = await s.incidents.create(adminP, {
      title: 'Restricted',
      summary: '',
      category: 'data_security',
      grade: 'II',
      services: [],
      tags: [],
      restricted: true,
    });
    await s.incidents.addParticipant(adminP, inc.key, insider.id, 'observer');
    const [secret] = await s.alerts.raise([match({ TargetUserName: 'secret', IpAddress: '203.0.113.60' })]);
    await s.alerts.link(adminP, secret!.alertId, inc.key);

    const out = await openSse(`${srv.url}/api/v1/stream`, { cookie: await signIn('outsider@test.example', PASSWORD) });
    const ins = await openSse(`${srv.url}/api/v1/stream`, { cookie: await signIn('insider@test.example', PASSWORD) });
    try {
      // A repeat of the restricted alert, then an ordinary one.
      await s.alerts.raise([match({ TargetUserName: 'secret', IpAddress: '203.0.113.60' })]);
      const [plain] = await s.alerts.raise([match({ TargetUserName: 'plain', IpAddress: '203.0.113.61' })]);
      const insSecret = await ins.next(
        (m) => m.event === 'alert.updated' && (m.data as { alert: { id: string } }).alert.id === secret!.alertId,
      );
      expect(insSecret.data).toMatchObject({ incidentKey: inc.key, alert: { count: 2, incident: { key: inc.key } } });
      expect(insSecret.data).not.toHaveProperty('audience');
      await out.next(
        (m) => m.event === 'alert.raised' && (m.data as { alert: { id: string } }).alert.id === plain!.alertId,
      );
      expect(out.messages.some((m) => JSON.stringify(m.data).includes(secret!.alertId))).toBe(false);
      expect(outsider.id).not.toBe(insider.id);
    } finally {
      out.close();
      ins.close();
    }
  });
});
