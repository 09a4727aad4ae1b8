/**
 * Customer campaigns over HTTP, on each store: a campaign sends an approved customer notice (a draft
 * statement is refused) to customers in their language over their channel, skips opted-out customers
 * and those without contact, holds SMS in quiet hours, sends VIPs first, each message once at the
 * gateway (sandbox stand-in), receipts mark delivered (a bad signature or an old timestamp is 401),
 * pause/cancel stop sending, permissions and audit entries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPayload } from '../../src/server/modules/campaign/index.js';
import { notifyGateway, type NotifyStandIn } from '../../src/server/sandbox/notify.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { approvedNotice, manyCustomers, seedCustomers } from '../helpers/campaigns.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

const SECRET = 'notify-gateway-secret-of-the-test';
// 10:00 in Shanghai: outside the default quiet hours (22:00–08:00).
const DAY = Date.parse('2026-12-04T02:00:00Z');
// 23:30 in Shanghai the night before (sessions stay fresh).
const NIGHT = Date.parse('2026-12-03T15:30:00Z');

describe.each(STORE_KINDS)('customer campaigns (%s)', (kind) => {
  let t: TestApp;
  let gw: NotifyStandIn;
  let admin: Session;
  let comms: Session;
  let service: Session;
  let executive: Session;
  let key = '';
  let incidentId = '';
  let notice = '';
  const clock = {
    t: DAY,
    now() {
      return this.t;
    },
  };

  const runFanout = async () => {
    while ((await t.s.jobs.runDue(clock.t)) > 0);
  };
  /** Sender rounds, a second apart, until nothing is claimed. */
  const send = async () => {
    for (let i = 0; i < 50; i++) {
      clock.t += 1000;
      if ((await t.s.campaigns.sender.round(clock.t)) === 0) break;
    }
  };
  const create = (body: Record<string, unknown>, who = comms) =>
    t.as(who, { method: 'POST', url: `/api/v1/incidents/${key}/campaigns`, payload: { statementId: notice, ...body } });
  const messages = (id: string, q = '') => t.as(admin, { method: 'GET', url: `/api/v1/campaigns/${id}/messages${q}` });
  const receipt = (body: unknown, ts = Math.floor(clock.t / 1000), secret = SECRET) => {
    const raw = JSON.stringify(body);
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/campaign-receipts/default',
      headers: {
        'content-type': 'application/json',
        'x-tocsin-timestamp': String(ts),
        'x-tocsin-signature': signPayload(secret, String(ts), raw),
      },
      payload: raw,
    });
  };

  beforeAll(async () => {
    gw = notifyGateway(SECRET, clock);
    const url = await gw.listen(0);
    t = await createTestApp(
      kind,
      {
        TOCSIN_NOTIFY_GATEWAY_URL: url,
        TOCSIN_NOTIFY_GATEWAY_SECRET: SECRET,
        TOCSIN_PROBE_ALLOW_LOOPBACK: 'true',
        TOCSIN_PUBLIC_URL: 'https://tocsin.firm.example',
      },
      { clock },
    );
    admin = await t.login('admin');
    comms = await t.login('communications');
    service = await t.login('customer_service');
    executive = await t.login('executive');
    const inc = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Online trading outage', category: 'equipment_failure', grade: 'II' },
    });
    expect(inc.statusCode, inc.body).toBe(201);
    key = inc.json().key;
    incidentId = inc.json().id;
    notice = await approvedNotice(t.s, incidentId);
    await seedCustomers(t.s, [
      { customerNo: 'A001', name: '张三', phone: '13800000001', tier: 'standard' },
      { customerNo: 'A002', name: 'Alice Lee', language: 'en', phone: '13800000002', tier: 'vip' },
      { customerNo: 'A003', name: '李四', email: 'li@example.com', channel: 'email' },
      { customerNo: 'A004', name: '王五', phone: '13800000004', optOuts: ['sms'] },
      { customerNo: 'A005', name: '赵六', optOuts: ['marketing'], phone: '13800000005' },
      { customerNo: 'A006', name: '孙七' },
    ]);
  });
  afterAll(async () => {
    await t.close();
    await gw.close();
  });

  it('refuses a notice that is not an approved customer notice of the incident', async () => {
    const draft = await approvedNotice(t.s, incidentId, undefined, 'draft');
    const res = await create({
      name: 'Draft',
      statementId: draft,
      audience: { kind: 'customers', customerNos: ['A001'] },
    });
    expectProblem(res, 422);
    expect(res.json().errors[0]).toMatchObject({ path: 'statementId', code: 'unusable_statement' });
  });

  it('refuses an audience naming an affected set, branch or tier that does not exist (422, nothing created)', async () => {
    const before = (await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${key}/campaigns` })).json().items
      .length;
    const noSet = await create({ name: 'Set', audience: { kind: 'set', setId: 'set-1' } });
    expectProblem(noSet, 422);
    expect(noSet.json()).toMatchObject({ code: 'campaign.unknown_audience', params: { kind: 'set' } });
    expect(noSet.json().errors).toEqual([
      expect.objectContaining({ path: 'audience.setId', code: 'unknown_set', params: { id: 'set-1' } }),
    ]);
    const seg = await create({
      name: 'Segment',
      audience: { kind: 'segment', branches: ['Atlantis'], tiers: ['vip', 'platinum'] },
    });
    expectProblem(seg, 422);
    expect(seg.json().code).toBe('campaign.unknown_audience');
    expect(seg.json().errors).toEqual([
      expect.objectContaining({ path: 'audience.branches.0', code: 'unknown_branch', params: { value: 'Atlantis' } }),
      expect.objectContaining({ path: 'audience.tiers.1', code: 'unknown_tier', params: { value: 'platinum' } }),
    ]);
    // A set of another incident is not one of this incident's.
    const other = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Another incident', category: 'equipment_failure', grade: 'IV' },
    });
    const set = await t.as(admin, {
      method: 'POST',
      url: `/api/v1/incidents/${other.json().key}/affected-sets`,
      payload: { name: 'Two customers', definition: { sources: [{ kind: 'list', customerNos: ['A001', 'A002'] }] } },
    });
    expect(set.statusCode, set.body).toBe(201);
    const setId = set.json().id;
    expectProblem(await create({ name: 'Foreign set', audience: { kind: 'set', setId } }), 422);
    expectProblem(await create({ name: 'No version 2', audience: { kind: 'set', setId, version: 2 } }), 422);
    expect((await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${key}/campaigns` })).json().items).toHaveLength(
      before,
    );
    // The set's own incident may send to it: its two customers get a message each.
    const otherNotice = await approvedNotice(t.s, other.json().id);
    const ok = await t.as(comms, {
      method: 'POST',
      url: `/api/v1/incidents/${other.json().key}/campaigns`,
      payload: { name: 'Set', statementId: otherNotice, audience: { kind: 'set', setId } },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    await t.as(comms, { method: 'POST', url: `/api/v1/campaigns/${ok.json().id}/launch` });
    await runFanout();
    expect((await t.as(comms, { method: 'GET', url: `/api/v1/campaigns/${ok.json().id}` })).json().messageCount).toBe(
      2,
    );
    await t.as(comms, { method: 'POST', url: `/api/v1/campaigns/${ok.json().id}/cancel` });
  });

  it('previews one customer in their language with the variables filled', async () => {
    const c = await create({ name: 'Restored', audience: { kind: 'segment' } });
    const p = await t.as(service, { method: 'GET', url: `/api/v1/campaigns/${c.json().id}/preview?customerNo=A002` });
    expect(p.statusCode, p.body).toBe(200);
    // An SMS has no subject line: its one text starts with the title, shown once.
    expect(p.json()).toMatchObject({ channel: 'sms', language: 'en', subject: null, skipReason: null });
    expect(p.json().text).toBe(
      `${key}: online trading restored\nDear Alice Lee (A002): online trading is working again.`,
    );
    expect(p.json().text.split('online trading restored')).toHaveLength(2);
    // An email has: the subject is the title, the text the body alone.
    const mail = await t.as(service, {
      method: 'GET',
      url: `/api/v1/campaigns/${c.json().id}/preview?customerNo=A003`,
    });
    expect(mail.json()).toMatchObject({ channel: 'email', subject: `${key} 网上交易恢复通知` });
    expect(mail.json().text).not.toContain('网上交易恢复通知');
    const zh = await t.as(service, { method: 'GET', url: `/api/v1/campaigns/${c.json().id}/preview?customerNo=A001` });
    expect(zh.json().text).toContain('尊敬的张三（客户号 A001）');
    await t.as(comms, { method: 'POST', url: `/api/v1/campaigns/${c.json().id}/cancel` });
  });

  it('launch fans out once, sends VIPs first, each key accepted once, receipts mark delivered', async () => {
    const c = await create({
      name: 'Trading restored',
      audience: { kind: 'segment' },
      throttle: { sms: 1, email: 10 },
    });
    expect(c.statusCode, c.body).toBe(201);
    const id = c.json().id;
    // customer_service may create but not launch.
    expectProblem(await t.as(service, { method: 'POST', url: `/api/v1/campaigns/${id}/launch` }), 403);
    const launched = await t.as(comms, { method: 'POST', url: `/api/v1/campaigns/${id}/launch` });
    expect(launched.statusCode, launched.body).toBe(200);
    expect(launched.json().state).toBe('fanning_out');
    await runFanout();
    expect((await t.as(admin, { method: 'GET', url: `/api/v1/campaigns/${id}` })).json()).toMatchObject({
      state: 'running',
      messageCount: 6,
      fanoutDone: true,
    });
    // Running the fan-out again writes nothing twice.
    await t.s.campaigns.fanout.run(id);
    const before = (await messages(id)).json();
    expect(before.items).toHaveLength(6);
    expect(before.counts.total).toEqual({ queued: 4, skipped: 2 });
    const skipped = before.items.filter((m: { state: string }) => m.state === 'skipped');
    expect(skipped.map((m: { reason: string }) => m.reason).sort()).toEqual(['no_contact', 'opted_out']);

    // One SMS a second: the VIP goes first.
    clock.t += 1000;
    await t.s.campaigns.sender.round(clock.t);
    expect(gw.messages.filter((m) => m.channel === 'sms').map((m) => m.to)).toEqual(['13800000002']);
    await send();
    const keys = gw.messages.map((m) => m.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...gw.accepted.values()].every((n) => n === 1)).toBe(true);
    // A005 opted out of marketing only: a mandatory notice still reaches them; A004 has no other channel.
    expect(gw.messages.map((m) => m.to).sort()).toEqual(['13800000001', '13800000002', '13800000005']);
    expect(gw.messages[0]!.callbackUrl).toBe('https://tocsin.firm.example/api/v1/campaign-receipts/default');
    const after = (await messages(id)).json();
    // Email has no SMTP server here: failed with its reason.
    expect(after.counts.sms).toEqual({ sent: 3 });
    // A004 opted out of SMS and has no other channel; A006 has no contact at all.
    expect(after.counts.none).toEqual({ skipped: 2 });
    expect(after.counts.email).toEqual({ failed: 1 });

    // Receipts: signed ones apply, a wrong signature or an old timestamp is refused.
    const first = gw.messages[0]!;
    const body = {
      id: first.id,
      idempotencyKey: first.idempotencyKey,
      status: 'delivered',
      at: new Date(clock.t).toISOString(),
    };
    expectProblem(await receipt(body, undefined, 'not-the-secret-of-this-gateway'), 401);
    expectProblem(await receipt(body, Math.floor(clock.t / 1000) - 3600), 401);
    for (const m of gw.messages) {
      const r = await receipt({
        id: m.id,
        idempotencyKey: m.idempotencyKey,
        status: 'delivered',
        at: new Date(clock.t).toISOString(),
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    // A replayed receipt changes nothing.
    expect((await receipt({ ...body, status: 'failed' })).statusCode).toBe(200);
    const done = (await messages(id)).json();
    expect(done.counts.sms).toEqual({ delivered: 3 });
    const one = await t.as(executive, { method: 'GET', url: `/api/v1/campaigns/${id}` });
    expectProblem(one, 403);
    const final = await t.as(comms, { method: 'GET', url: `/api/v1/campaigns/${id}` });
    expect(final.json().state).toBe('done');
    const msg = done.items.find((m: { state: string }) => m.state === 'delivered');
    const single = await t.as(comms, { method: 'GET', url: `/api/v1/campaigns/${id}/messages/${msg.id}` });
    expect(single.json()).toMatchObject({ state: 'delivered', channel: 'sms' });

    const audit = await t.as(admin, { method: 'GET', url: `/api/v1/audit?targetId=${id}` });
    expect(
      audit
        .json()
        .items.map((e: { action: string }) => e.action)
        .sort(),
    ).toEqual(['campaign.create', 'campaign.launch']);
  });

  it("lists each customer's message, masked, with status, attempts and last error; filters by status; keyset pages", async () => {
    const c = await create({
      name: 'Per-customer list',
      audience: { kind: 'customers', customerNos: ['A001', 'A002', 'A003', 'A004', 'A005', 'A006'] },
    });
    const id = c.json().id;
    await t.as(comms, { method: 'POST', url: `/api/v1/campaigns/${id}/launch` });
    await runFanout();
    await send();
    const bounced = gw.messages.find((m) => m.to === '13800000002' && m.idempotencyKey.startsWith(id))!;
    const r = await receipt({
      id: bounced.id,
      idempotencyKey: bounced.idempotencyKey,
      status: 'bounced',
      at: new Date(clock.t).toISOString(),
    });
    expect(r.statusCode, r.body).toBe(200);

    const all = (await t.as(service, { method: 'GET', url: `/api/v1/campaigns/${id}/messages?limit=100` })).json();
    const byNo = new Map(all.items.map((m: { customer: { customerNo: string } }) => [m.customer.customerNo, m]));
    // Customers are masked as in every list: no clear phone or email anywhere in the answer.
    expect(JSON.stringify(all)).not.toContain('13800000001');
    expect(byNo.get('A001')).toMatchObject({
      customer: { name: '张三', phoneMasked: '138****0001', emailMasked: null },
      channel: 'sms',
      language: 'zh-CN',
      status: 'sent',
      attempts: 1,
      lastError: null,
    });
    expect(byNo.get('A002')).toMatchObject({ language: 'en', status: 'bounced', lastError: 'receipt_bounced' });
    // No SMTP server in this test: the email failed, and says why.
    expect(byNo.get('A003')).toMatchObject({ channel: 'email', status: 'failed', lastError: 'no_smtp' });
    expect(byNo.get('A004')).toMatchObject({ status: 'opted_out', attempts: 0 });
    expect(byNo.get('A006')).toMatchObject({ status: 'skipped', reason: 'no_contact' });

    const only = async (status: string) =>
      (await messages(id, `?status=${status}`))
        .json()
        .items.map((m: { customer: { customerNo: string } }) => m.customer.customerNo);
    expect(await only('opted_out')).toEqual(['A004']);
    expect(await only('bounced')).toEqual(['A002']);
    expect(await only('skipped')).toEqual(['A006']);
    expect((await only('sent')).sort()).toEqual(['A001', 'A005']);

    // Two at a time: every message once, in the same order, with an opaque cursor.
    const seen: string[] = [];
    let next: string | null = null;
    do {
      const page: { items: { id: string }[]; next: string | null } = (
        await messages(id, `?limit=2${next ? `&cursor=${encodeURIComponent(next)}` : ''}`)
      ).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((m) => m.id));
      next = page.next;
      if (next) expect(next).not.toBe(page.items.at(-1)?.id);
    } while (next);
    expect(seen).toEqual(all.items.map((m: { id: string }) => m.id));
    expectProblem(await messages(id, '?cursor=not-a-cursor'), 422);
    expectProblem(await messages(id, '?status=lost'), 400);
  });

  it('holds SMS in quiet hours (email goes on); mandatory+urgent goes through; pause and cancel stop sending', async () => {
    clock.t = NIGHT;
    const sent = gw.messages.length;
    const c = await create({ name: 'Night', audience: { kind: 'customers', customerNos: ['A001', 'A002'] } });
    const id = c.json().id;
    await t.as(comms, { method: 'POST', url: `/api/v1/campaigns/${id}/launch` });
    await runFanout();
    await send();
    expect(gw.messages.length).toBe(sent);
    expect((await messages(id)).json().counts.total).toEqual({ queued: 2 });

    const urgent = await create({
      name: 'Urgent',
      urgent: true,
      audience: { kind: 'customers', customerNos: ['A001'] },
    });
    await t.as(comms, { method: 'POST', url: `/api/v1/campaigns/${urgent.json().id}/launch` });
    await runFanout();
    await send();
    expect(gw.messages.length).toBe(sent + 1);

    const paused = await t.as(comms, { method: 'POST', url: `/api/v1/campaigns/${id}/pause` });
    expect(paused.json().state).toBe('paused');
    clock.t = DAY + 3_600_000;
    await send();
    expect(gw.messages.length).toBe(sent + 1);
    expectProblem(await t.as(comms, { method: 'POST', url: `/api/v1/campaigns/${id}/launch` }), 409);
    const cancelled = await t.as(comms, { method: 'POST', url: `/api/v1/campaigns/${id}/cancel` });
    expect(cancelled.json().state).toBe('cancelled');
    expect((await messages(id)).json().counts.total).toEqual({ skipped: 2 });
  });

  it('a fan-out cut short resumes after its cursor and writes each message once', async () => {
    await seedCustomers(
      t.s,
      manyCustomers(4500, 900_001).map((c) => ({ ...c, tier: 'bulk' })),
    );
    const c = await create({ name: 'Bulk', audience: { kind: 'segment', tiers: ['bulk'] }, quietHours: null });
    const id = c.json().id;
    await t.as(comms, { method: 'POST', url: `/api/v1/campaigns/${id}/launch` });
    // One page committed, then the process "dies": the job is still queued.
    expect(await t.s.campaigns.fanout.step(id)).toBe(true);
    expect((await t.as(comms, { method: 'GET', url: `/api/v1/campaigns/${id}` })).json()).toMatchObject({
      messageCount: 2000,
      fanoutDone: false,
      state: 'fanning_out',
    });
    await runFanout();
    const done = (await t.as(comms, { method: 'GET', url: `/api/v1/campaigns/${id}` })).json();
    expect(done).toMatchObject({ messageCount: 4500, fanoutDone: true, state: 'running' });
    expect((await messages(id)).json().counts.total).toEqual({ queued: 4500 });
    await t.as(comms, { method: 'POST', url: `/api/v1/campaigns/${id}/cancel` });
  });

  it("lists an incident's campaigns; need-to-know and roles apply", async () => {
    const list = await t.as(service, { method: 'GET', url: `/api/v1/incidents/${key}/campaigns` });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.length).toBeGreaterThan(3);
    expectProblem(await t.as(executive, { method: 'GET', url: `/api/v1/incidents/${key}/campaigns` }), 403);
    expectProblem(await t.as(comms, { method: 'GET', url: '/api/v1/campaigns/no-such-campaign' }), 404);
  });
});
