/**
 * Paging end to end on a real store with the sandbox's SMTP server and WeCom robot: a page reaches the
 * on-call person by email and robot, escalates to level two when nobody acknowledges within the wait,
 * stops when the signed link is used (a forged or used link refused), and a person nobody can reach is
 * a problem on the page. Time is a test clock; jobs run with `jobs.runDue(now)`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelKindSpec } from '../../src/server/modules/connector/index.js';
import { CHANNEL_KINDS, type ChannelResolver } from '../../src/server/modules/paging/index.js';
import { directContext } from '../../src/server/modules/paging/channels/test-context.js';
import { type RunningSandbox, startSandbox } from '../../src/server/sandbox/index.js';
import { SANDBOX_KEYS } from '../../src/server/sandbox/sandbox-keys.js';
import type { Page } from '../../src/shared/page-schemas.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildIncident, buildPrincipal, buildUser } from '../helpers/fixtures.js';
import { STORE_KINDS } from '../helpers/store.js';

const START = Date.parse('2026-12-03T02:00:00Z'); // 10:00 in Shanghai
const MIN = 60_000;

describe.each(STORE_KINDS)('paging (%s)', (kind) => {
  let sandbox: RunningSandbox;
  let t: TestApp;
  let now = START;
  const clock = { now: () => now };

  beforeAll(async () => {
    sandbox = await startSandbox();
    const kindOf = (k: string) => CHANNEL_KINDS.find((c) => c.kind === k)! as unknown as ChannelKindSpec;
    const connectors: Record<string, { kind: string; config: unknown; secrets: unknown }> = {
      mail: {
        kind: 'email',
        config: {
          host: 'smtp.firm.example',
          port: Number(new URL(sandbox.urls.smtp).port),
          tls: 'none',
          from: 'tocsin@firm.example',
        },
        secrets: {},
      },
      'wecom-soc': { kind: 'wecom', config: { baseUrl: sandbox.urls.robots }, secrets: { key: SANDBOX_KEYS.wecomKey } },
      'wecom-broken': { kind: 'wecom', config: { baseUrl: sandbox.urls.robots }, secrets: { key: 'revoked-key' } },
    };
    const channel: ChannelResolver = async (name) => {
      const c = connectors[name];
      if (!c) return null;
      const spec = kindOf(c.kind);
      return { spec, ctx: directContext(name, spec.config.parse(c.config), spec.secrets.parse(c.secrets), clock.now) };
    };
    t = await createTestApp(
      kind,
      { TOCSIN_PUBLIC_URL: 'https://tocsin.example.com', TOCSIN_PAGING_KEY: 'k'.repeat(40) },
      { clock, channel },
    );
  });
  afterAll(async () => {
    await t?.close();
    await sandbox?.stop();
  });

  async function setup() {
    const admin = await buildPrincipal(t.s);
    const alice = await buildUser(t.s, { name: '张伟', locale: 'zh-CN' });
    const bob = await buildUser(t.s, { name: 'Bob Lee', locale: 'en' });
    await t.s.paging.setContacts(admin, alice.id, {
      routes: [
        { channel: 'mail', address: alice.email },
        { channel: 'wecom-soc', address: '' },
      ],
    });
    await t.s.paging.setContacts(admin, bob.id, { routes: [{ channel: 'mail', address: bob.email }] });
    const schedule = await t.s.oncallAdmin.createSchedule(admin, {
      name: '一线值班',
      layers: [{ rotation: 'daily', participants: [alice.id], handoffTime: '09:00', startDate: '2026-11-30' }],
    });
    const policy = await t.s.oncallAdmin.createPolicy(admin, {
      name: 'SOC',
      levels: [
        { targets: [{ kind: 'schedule', scheduleId: schedule.id }], waitMinutes: 5 },
        { targets: [{ kind: 'person', personId: bob.id }], waitMinutes: 10 },
      ],
      repeat: 0,
    });
    const incident = await buildIncident(t.s, { title: '撞库攻击' });
    return { admin, alice, bob, policy, incident };
  }

  async function page(incidentId: string, req: { policyId?: string; userIds?: string[] }, key: string) {
    const r = await t.s.store.transaction((tx) =>
      t.s.paging.page(tx, { incidentId, reason: 'credential stuffing', key, ...req }),
    );
    r.publish();
    return r;
  }

  const pagesOf = async (session: Session, key: string): Promise<Page[]> => {
    const res = await t.as(session, { method: 'GET', url: `/api/v1/incidents/${key}/pages` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items;
  };

  const robotLink = () => {
    const body = sandbox.robotMessages.at(-1)!.body as { markdown: { content: string } };
    return /\((https:\/\/tocsin\.example\.com\/ack\/[^)]+)\)/.exec(body.markdown.content)![1]!;
  };

  it('pages level one by email and WeCom, escalates to level two after the wait, idempotent by key', async () => {
    const { alice, bob, policy, incident } = await setup();
    const mails = sandbox.smtp.messages.length;
    const first = await page(incident.id, { policyId: policy.id }, `test:${incident.id}`);
    expect((await page(incident.id, { policyId: policy.id }, `test:${incident.id}`)).pageId).toBe(first.pageId);
    await t.s.jobs.runDue(now);

    const toAlice = sandbox.smtp.messages.slice(mails).filter((m) => m.rcptTo.includes(alice.email));
    expect(toAlice).toHaveLength(1);
    expect(toAlice[0]!.raw).toContain('Content-Language: zh-CN');
    const robot = sandbox.robotMessages.at(-1)!;
    expect(robot.robot).toBe('wecom');
    expect(JSON.stringify(robot.body)).toContain(`【Tocsin 呼叫】${incident.key} 撞库攻击`);

    const viewer = await t.login('auditor');
    let [p] = await pagesOf(viewer, incident.key);
    expect(p).toMatchObject({ status: 'open', stepsSent: 1, stepsTotal: 2, problems: [] });
    expect(p!.deliveries.map((d) => [d.userName, d.channel, d.state])).toEqual([
      ['张伟', 'mail', 'sent'],
      ['张伟', 'wecom-soc', 'sent'],
    ]);
    expect(p!.nextEscalationAt).toBe(new Date(now + 5 * MIN).toISOString());

    now += 4 * MIN;
    await t.s.jobs.runDue(now);
    expect(sandbox.smtp.messages.filter((m) => m.rcptTo.includes(bob.email))).toHaveLength(0);

    now += 1 * MIN;
    await t.s.jobs.runDue(now);
    const toBob = sandbox.smtp.messages.filter((m) => m.rcptTo.includes(bob.email));
    expect(toBob).toHaveLength(1);
    expect(toBob[0]!.subject).toContain(`=5BTocsin_page=5D_${incident.key}`); // RFC 2047 encoded "[Tocsin page] KEY"
    expect(toBob[0]!.raw).toContain('Content-Language: en');
    [p] = await pagesOf(viewer, incident.key);
    expect(p).toMatchObject({ status: 'open', stepsSent: 2 });
    expect(p!.deliveries.filter((d) => d.level === 1).map((d) => d.userName)).toEqual(['Bob Lee']);

    now += 10 * MIN; // the last level's wait: exhausted, nothing more sent
    await t.s.jobs.runDue(now);
    [p] = await pagesOf(viewer, incident.key);
    expect(p!.status).toBe('exhausted');
    const timeline = await t.as(viewer, { method: 'GET', url: `/api/v1/incidents/${incident.key}/timeline` });
    const events = timeline
      .json()
      .items.map((e: { data: { event?: string } | null; text: string }) => [e.data?.event, e.text]);
    expect(events).toEqual(
      expect.arrayContaining([
        ['paged', 'Paged level 1 of SOC: 张伟'],
        ['page_escalated', 'Escalated to level 2 of SOC: Bob Lee'],
        ['page_exhausted', 'Nobody acknowledged the page (SOC)'],
      ]),
    );
    const audit = await t.s.audit.list({}, 50);
    expect(audit.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['page.create', 'page.escalate']),
    );
  });

  it('the signed link acknowledges once and stops the escalation; forged and used links are refused', async () => {
    const { bob, policy, incident } = await setup();
    await page(incident.id, { policyId: policy.id }, `test:${incident.id}`);
    await t.s.jobs.runDue(now);
    const link = robotLink();
    const path = new URL(link).pathname;

    const forged = await t.app.inject({
      method: 'GET',
      url: `${path.slice(0, -3)}${path.endsWith('AAA') ? 'BBB' : 'AAA'}`,
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain('链接无效');

    expect((await t.app.inject({ method: 'HEAD', url: path })).statusCode).toBe(200); // a link checker uses nothing up
    const ok = await t.app.inject({ method: 'GET', url: path });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toContain('text/html');
    expect(ok.body).toContain('已确认');
    expect(ok.body).toContain('Acknowledged.');

    const again = await t.app.inject({ method: 'GET', url: path });
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('already used');

    const bobMails = sandbox.smtp.messages.filter((m) => m.rcptTo.includes(bob.email)).length;
    now += 6 * MIN;
    await t.s.jobs.runDue(now);
    expect(sandbox.smtp.messages.filter((m) => m.rcptTo.includes(bob.email))).toHaveLength(bobMails);
    const responder = await t.login('responder');
    const [p] = await pagesOf(responder, incident.key);
    expect(p).toMatchObject({ status: 'acknowledged', stepsSent: 1, acknowledgedBy: { name: '张伟' } });
    const timeline = await t.as(responder, { method: 'GET', url: `/api/v1/incidents/${incident.key}/timeline` });
    expect(timeline.json().items.map((e: { text: string }) => e.text)).toContain(
      'Page acknowledged by 张伟 (link in wecom-soc)',
    );
  });

  it('a link is refused after 24 hours; the API acknowledges once (409 after)', async () => {
    const { policy, incident } = await setup();
    const { pageId } = await page(incident.id, { policyId: policy.id }, `test:${incident.id}`);
    await t.s.jobs.runDue(now);
    const path = new URL(robotLink()).pathname;
    const saved = now;
    now += 24 * 60 * MIN;
    const expired = await t.app.inject({ method: 'GET', url: path });
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('expired');
    now = saved;

    const responder = await t.login('responder');
    const ack = await t.as(responder, { method: 'POST', url: `/api/v1/pages/${pageId}/ack` });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ status: 'acknowledged' });
    expect((await t.as(responder, { method: 'POST', url: `/api/v1/pages/${pageId}/ack` })).statusCode).toBe(409);
    const auditor = await t.login('auditor');
    expect((await t.as(auditor, { method: 'POST', url: `/api/v1/pages/${pageId}/ack` })).statusCode).toBe(403);
  });

  it('a person without a contact route, or whose routes all fail, is a problem on the page', async () => {
    const { admin, incident } = await setup();
    const carol = await buildUser(t.s, { name: 'Carol' });
    const dave = await buildUser(t.s, { name: 'Dave' });
    await t.s.paging.setContacts(admin, dave.id, { routes: [{ channel: 'wecom-broken', address: '' }] });
    await page(incident.id, { userIds: [carol.id, dave.id] }, `direct:${incident.id}`);
    const viewer = await t.login('responder');
    let [p] = await pagesOf(viewer, incident.key);
    expect(p!.problems).toEqual([expect.objectContaining({ userName: 'Carol', reason: 'no_contact_route', step: 0 })]);

    for (let i = 0; i < 6; i++) {
      await t.s.jobs.runDue(now);
      now += 2 * MIN;
    }
    [p] = await pagesOf(viewer, incident.key);
    expect(p!.deliveries).toEqual([expect.objectContaining({ userName: 'Dave', state: 'failed' })]);
    expect(p!.problems[1]).toMatchObject({ userName: 'Dave', reason: 'all_routes_failed' });
    expect(p!.problems[1]!.detail).toContain('93000');
    const timeline = await t.as(viewer, { method: 'GET', url: `/api/v1/incidents/${incident.key}/timeline` });
    const texts = timeline.json().items.map((e: { text: string }) => e.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        'Could not page Carol at level 1: no contact route',
        'Could not page Dave at level 1: every route failed',
      ]),
    );
  });

  it('contact routes: your own or, for an administrator, anyone’s; addresses checked by channel kind', async () => {
    const responder = await t.login('responder');
    const id = (await t.as(responder, { method: 'GET', url: '/api/v1/session' })).json().user.id;
    const put = (who: Session, userId: string, routes: unknown) =>
      t.as(who, { method: 'PUT', url: `/api/v1/users/${userId}/contacts`, payload: { routes } });
    expect((await put(responder, id, [{ channel: 'mail', address: 'me@firm.example' }])).statusCode).toBe(200);
    expect((await t.as(responder, { method: 'GET', url: `/api/v1/users/${id}/contacts` })).json()).toEqual({
      routes: [{ channel: 'mail', address: 'me@firm.example' }],
    });
    expect((await put(responder, id, [{ channel: 'mail', address: 'not-an-email' }])).statusCode).toBe(422);
    const other = await buildUser(t.s);
    expect((await put(responder, other.id, [])).statusCode).toBe(404);
    expect((await t.as(responder, { method: 'GET', url: `/api/v1/users/${other.id}/contacts` })).statusCode).toBe(404);
    const admin = await t.login('admin');
    expect((await put(admin, other.id, [{ channel: 'wecom-soc', address: '' }])).statusCode).toBe(200);
  });
});
