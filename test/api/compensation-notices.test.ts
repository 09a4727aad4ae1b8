/**
 * Notices to customers on claim events, on each store (issue 14): an offer, the acceptance receipt and
 * the payment are queued with the event (a notice row and a durable job in its transaction) and
 * delivered by the job runner through the notify gateway stand-in (SMS) or the SMTP stand-in (email, the
 * customer's preferred channel), in the customer's language from the bundled templates; a job run again
 * sends nothing twice; a gateway failure is retried; channel opt-outs are honoured (the other channel,
 * else skipped), a marketing opt-out is not (service messages).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimDetail, ClaimNotice } from '../../src/shared/compensation-schemas.js';
import { newId } from '../../src/server/platform/ids.js';
import { SmtpStandIn } from '../../src/server/sandbox/mail.js';
import { notifyGateway, type NotifyStandIn } from '../../src/server/sandbox/notify.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { type SeedCustomer, seedCustomers } from '../helpers/campaigns.js';
import { STORE_KINDS } from '../helpers/store.js';

const SECRET = 'notify-gateway-secret-of-the-notices-test';

describe.each(STORE_KINDS)('compensation notices (%s)', (kind) => {
  let t: TestApp;
  let gw: NotifyStandIn;
  let gwUrl = '';
  let smtp: SmtpStandIn;
  let admin: Session;
  let key = '';
  let n = 0;
  const clock = {
    t: Date.parse('2026-12-04T02:00:00Z'),
    now() {
      return this.t;
    },
  };

  beforeAll(async () => {
    gw = notifyGateway(SECRET, clock);
    smtp = new SmtpStandIn(clock);
    gwUrl = await gw.listen(0);
    const smtpPort = await smtp.listen(0);
    t = await createTestApp(
      kind,
      {
        TOCSIN_NOTIFY_GATEWAY_URL: gwUrl,
        TOCSIN_NOTIFY_GATEWAY_SECRET: SECRET,
        TOCSIN_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        TOCSIN_PROBE_ALLOW_LOOPBACK: 'true',
      },
      { clock },
    );
    admin = await t.login('admin');
    const inc = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Market data outage: orders rejected', category: 'equipment_failure', grade: 'II' },
    });
    key = inc.json().key;
  });
  afterAll(async () => {
    await t.close();
    await gw.close();
    await smtp.close();
  });

  const api = async (url: string, payload: Record<string, unknown> = {}) => {
    const res = await t.as(admin, { method: 'POST', url, payload });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json() as ClaimDetail;
  };
  const runJobs = async () => {
    while ((await t.s.jobs.runDue(clock.t)) > 0);
  };
  /** The claim's notices as staff read them. */
  const notices = async (claimId: string) => {
    const res = await t.as(admin, { method: 'GET', url: `/api/v1/compensation/claims/${claimId}/notices` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as ClaimNotice[];
  };

  /** A customer (fields over a zh-CN SMS customer) with a claim offered at `amountMinor`. */
  async function offered(c: Partial<SeedCustomer> = {}, amountMinor = 123_456) {
    const no = `N${++n}`;
    const phone = `1390000${String(1000 + n)}`;
    await seedCustomers(t.s, [{ customerNo: no, name: `客户${n}`, phone, ...c }]);
    const claim = await api(`/api/v1/incidents/${key}/compensation/claims`, {
      customerNo: no,
      source: 'owner',
      claimedMinor: 200_000,
      description: 'orders rejected',
    });
    await api(`/api/v1/compensation/claims/${claim.id}/assess`);
    await api(`/api/v1/compensation/claims/${claim.id}/offer`, { amountMinor, reason: 'price', basis: 'price_diff' });
    return { id: claim.id, ref: claim.ref, phone, no };
  }
  const smsTo = (phone: string) => gw.messages.filter((m) => m.to === phone);

  it('offer, acceptance receipt and payment reach a Chinese customer by SMS, each once', async () => {
    const c = await offered({}, 123_456);
    // Queued with the offer, sent by the job.
    expect((await notices(c.id)).map((x) => [x.kind, x.state])).toEqual([['offer', 'queued']]);
    await runJobs();
    const [offer] = smsTo(c.phone);
    expect(offer!.text).toContain(`尊敬的客户${n}`);
    expect(offer!.text).toContain('1,234.56 元');
    expect(offer!.text).toContain(c.ref);
    expect(offer!.text).toContain('/status/compensation');
    expect((await notices(c.id))[0]).toMatchObject({ kind: 'offer', state: 'sent', channel: 'sms', language: 'zh-CN' });

    clock.t += 60_000;
    await api(`/api/v1/compensation/claims/${c.id}/accept`, { channel: 'phone' });
    await runJobs();
    const receipt = smsTo(c.phone)[1]!;
    expect(receipt.text).toContain('已于 2026-12-04 10:01（北京时间）确认');
    expect(receipt.text).toContain('1,234.56 元');

    // The payout batch's `paid` event (another part writes it): queued with it, sent by the job.
    await paid(c.id);
    await runJobs();
    const paidSms = smsTo(c.phone)[2]!;
    expect(paidSms.text).toContain('（北京时间）支付至您的资金账户');
    expect(paidSms.text).toContain(c.ref);

    // Run again: nothing is sent twice.
    await runJobs();
    expect(smsTo(c.phone)).toHaveLength(3);
    expect([...gw.accepted.values()].every((x) => x === 1)).toBe(true);
    expect((await notices(c.id)).map((x) => [x.kind, x.state])).toEqual([
      ['offer', 'sent'],
      ['accept_receipt', 'sent'],
      ['paid', 'sent'],
    ]);
  });

  it('an English customer reads English; one who prefers email gets mail', async () => {
    const en = await offered({ language: 'en' }, 50_000);
    const mail = await offered({ language: 'en', channel: 'email', email: `n${n + 1}@example.com` }, 70_000);
    await runJobs();
    const sms = smsTo(en.phone)[0]!;
    expect(sms.text).toContain('we offer you CNY 500.00');
    expect(sms.text).toContain(en.ref);
    expect(smsTo(mail.phone)).toHaveLength(0);
    await expect.poll(() => smtp.messages.filter((m) => m.rcptTo.includes(`n${n}@example.com`)).length).toBe(1);
    const m = smtp.messages.find((x) => x.rcptTo.includes(`n${n}@example.com`))!;
    expect(m.raw).toContain(mail.ref);
    expect((await notices(mail.id))[0]).toMatchObject({ state: 'sent', channel: 'email', language: 'en' });

    // The English receipt and payment notice.
    clock.t += 60_000;
    await api(`/api/v1/compensation/claims/${en.id}/accept`, { channel: 'phone' });
    await runJobs();
    expect(smsTo(en.phone)[1]!.text).toContain(`compensation ${en.ref} of CNY 500.00 was agreed at`);
    await paid(en.id);
    await runJobs();
    expect(smsTo(en.phone)[2]!.text).toContain(
      `the compensation ${en.ref} of CNY 500.00 was paid into your funds account`,
    );
    expect((await notices(en.id)).map((x) => [x.kind, x.state, x.language])).toEqual([
      ['offer', 'sent', 'en'],
      ['accept_receipt', 'sent', 'en'],
      ['paid', 'sent', 'en'],
    ]);
  });

  it('a channel opt-out is honoured (the other channel, else skipped); a marketing opt-out is not', async () => {
    const marketing = await offered({ optOuts: ['marketing'] });
    const noSms = await offered({ optOuts: ['sms'], email: `x${n + 1}@example.com`, language: 'en' });
    const none = await offered({ optOuts: ['sms'] });
    await runJobs();
    expect(smsTo(marketing.phone)).toHaveLength(1);
    expect((await notices(noSms.id))[0]).toMatchObject({ state: 'sent', channel: 'email' });
    expect(smsTo(noSms.phone)).toHaveLength(0);
    expect((await notices(none.id))[0]).toMatchObject({ state: 'skipped', reason: 'opted_out', channel: null });
    expect(smsTo(none.phone)).toHaveLength(0);
  });

  it('a gateway failure is retried with backoff and sent once', async () => {
    await fetch(`${gwUrl}/_sandbox/fail`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: 1, mode: 'error' }),
    });
    const c = await offered();
    await runJobs();
    expect(smsTo(c.phone)).toHaveLength(0);
    const waiting = (await notices(c.id))[0]!;
    expect(waiting).toMatchObject({ state: 'queued', attempts: 1, reason: 'gateway answered 500' });
    // Due again after the jobs' backoff (5 s, jitter).
    expect(Date.parse(waiting.dueAt!) - clock.t).toBeGreaterThan(0);
    expect(Date.parse(waiting.dueAt!) - clock.t).toBeLessThanOrEqual(10 * 60_000);
    clock.t += 10 * 60_000;
    await runJobs();
    expect(smsTo(c.phone)).toHaveLength(1);
    expect((await notices(c.id))[0]).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('a bulk offer of a run queues one notice per claim', async () => {
    await seedCustomers(t.s, [
      { customerNo: 'B1', name: '批量一', phone: '13700000001' },
      { customerNo: 'B2', name: 'Bulk two', phone: '13700000002', language: 'en' },
    ]);
    const comp = await t.login('compliance');
    const run = await t.as(admin, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/compensation/runs`,
      payload: {
        method: 'fixed',
        results: [
          { customer: 'B1', orders: 1, loss: '10.00', compensation: '10.00', basis: 'fixed' },
          { customer: 'B2', orders: 1, loss: '20.00', compensation: '20.00', basis: 'fixed' },
        ],
      },
    });
    expect(run.statusCode, run.body).toBe(201);
    const url = `/api/v1/incidents/${key}/compensation/runs/${run.json().id}`;
    expect((await t.as(comp, { method: 'POST', url: `${url}/review`, payload: {} })).statusCode).toBe(200);
    await api(`${url}/propose`);
    await api(`${url}/offer`);
    await runJobs();
    expect(smsTo('13700000001')[0]!.text).toContain('10.00 元');
    expect(smsTo('13700000002')[0]!.text).toContain('CNY 20.00');
  });

  // Last: it moves the shared clock into the night and on to the next morning.
  it('an SMS notice waits for the end of quiet hours (22:00–08:00 Beijing time); email and daytime SMS go at once', async () => {
    clock.t = Date.parse('2026-12-04T15:00:00Z'); // 23:00 in Beijing
    admin = await t.login('admin'); // the earlier session has timed out by now
    const night = await offered();
    const mail = await offered({ channel: 'email', email: `night${n + 1}@example.com` });
    await runJobs();
    expect(smsTo(night.phone)).toHaveLength(0);
    expect((await notices(night.id))[0]).toMatchObject({
      state: 'queued',
      reason: 'quiet_hours',
      attempts: 0,
      dueAt: '2026-12-05T00:00:00.000Z', // 08:00 in Beijing
      sentAt: null,
    });
    // Email goes at any time, as campaigns send it.
    await expect.poll(() => smtp.messages.filter((m) => m.rcptTo.includes(`night${n}@example.com`)).length).toBe(1);
    expect((await notices(mail.id))[0]).toMatchObject({ state: 'sent', channel: 'email', dueAt: null });

    clock.t = Date.parse('2026-12-04T23:59:00Z'); // 07:59: still quiet
    await runJobs();
    expect(smsTo(night.phone)).toHaveLength(0);

    clock.t = Date.parse('2026-12-05T00:00:00Z'); // 08:00: the window ended
    await runJobs();
    admin = await t.login('admin');
    expect(smsTo(night.phone)).toHaveLength(1);
    expect(smsTo(night.phone)[0]!.text).toContain(night.ref);
    expect((await notices(night.id))[0]).toMatchObject({
      state: 'sent',
      channel: 'sms',
      reason: null,
      attempts: 1,
      sentAt: '2026-12-05T00:00:00.000Z',
      dueAt: null,
    });

    // In the daytime an SMS notice goes at once.
    clock.t = Date.parse('2026-12-05T01:30:00Z'); // 09:30
    admin = await t.login('admin');
    const day = await offered();
    await runJobs();
    expect(smsTo(day.phone)).toHaveLength(1);
    expect((await notices(day.id))[0]).toMatchObject({ state: 'sent', sentAt: '2026-12-05T01:30:00.000Z' });
  });

  /** Marks an approved-or-not claim paid the way a payout batch does: the claim, its `paid` event, its notice. */
  async function paid(claimId: string) {
    await t.s.store.transaction(async (tx) => {
      const c = await tx
        .selectFrom('compensation_claims')
        .selectAll()
        .where('id', '=', claimId)
        .executeTakeFirstOrThrow();
      await tx
        .updateTable('compensation_claims')
        .set({ status: 'paid', paid_at: clock.t, updated_at: clock.t })
        .where('id', '=', claimId)
        .execute();
      const event = {
        id: newId(),
        claim_id: c.id,
        incident_id: c.incident_id,
        customer_id: c.customer_id,
        kind: 'paid',
        from_status: c.status,
        to_status: 'paid',
        version: c.version,
        amount_minor: c.amount_minor,
        currency: c.currency,
        reason: null,
        speaker: 'staff',
        channel: 'console',
        ip: null,
        user_id: null,
        created_at: clock.t,
      };
      await tx.insertInto('compensation_claim_events').values(event).execute();
      await t.s.compensation.notices!.queue(tx, [event]);
    });
  }
});
