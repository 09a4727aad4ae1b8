/**
 * Campaign senders as several worker processes run them, on each store: the throttle of a campaign's
 * channel holds across senders (the notify gateway never gets more than the throttle allows, however
 * many senders run; when the sending one dies another takes over after its throttle lease), and an
 * email sender that dies mid-batch does not mail again the customers the SMTP server already accepted
 * (each mail recorded sent as soon as it is answered; a resend keeps the same Message-ID).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/server/modules/auth/index.js';
import { SmtpStandIn } from '../../src/server/sandbox/mail.js';
import { notifyGateway, type NotifyStandIn } from '../../src/server/sandbox/notify.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { approvedNotice, seedCustomers } from '../helpers/campaigns.js';
import { buildIncident, buildPrincipal } from '../helpers/fixtures.js';
import { STORE_KINDS } from '../helpers/store.js';

const SECRET = 'notify-gateway-secret-of-the-senders-test';
// 10:00 in Shanghai: outside quiet hours.
const DAY = Date.parse('2026-12-04T02:00:00Z');

describe.each(STORE_KINDS)('campaign senders in several processes (%s)', (kind) => {
  let t: TestApp;
  let gw: NotifyStandIn;
  let smtp: SmtpStandIn;
  let admin: Principal;
  let incident: { id: string; key: string };
  let notice = '';
  const clock = {
    t: DAY,
    now() {
      return this.t;
    },
  };

  /** A launched, fanned-out campaign to `nos` on one channel. */
  async function launched(nos: string[], channel: 'sms' | 'email', perSecond: number): Promise<string> {
    const c = await t.s.campaigns.campaigns.create(admin, incident.key, {
      name: `Senders ${channel}`,
      statementId: notice,
      audience: { kind: 'customers', customerNos: nos },
      channels: [channel],
      mandatory: true,
      urgent: false,
      quietHours: null,
      throttle: { [channel]: perSecond },
      priorityTiers: [],
    });
    await t.s.campaigns.campaigns.launch(admin, c.id);
    while ((await t.s.jobs.runDue(clock.t)) > 0);
    return c.id;
  }
  const counts = async (id: string) =>
    (await t.s.campaigns.campaigns.messages(admin, id, { limit: 1 })).counts.total ?? {};

  beforeAll(async () => {
    gw = notifyGateway(SECRET, clock);
    smtp = new SmtpStandIn(clock);
    const url = await gw.listen(0);
    const smtpPort = await smtp.listen(0);
    t = await createTestApp(
      kind,
      {
        TOCSIN_NOTIFY_GATEWAY_URL: url,
        TOCSIN_NOTIFY_GATEWAY_SECRET: SECRET,
        TOCSIN_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        TOCSIN_PROBE_ALLOW_LOOPBACK: 'true',
      },
      { clock },
    );
    admin = await buildPrincipal(t.s);
    incident = await buildIncident(t.s, { by: admin });
    notice = await approvedNotice(t.s, incident.id);
    await seedCustomers(t.s, [
      ...Array.from({ length: 10 }, (_, i) => ({
        customerNo: `S${i}`,
        name: `短信客户${i}`,
        phone: `1390000000${i}`,
      })),
      ...Array.from({ length: 6 }, (_, i) => ({
        customerNo: `M${i}`,
        name: `Mail customer ${i}`,
        language: 'en' as const,
        email: `m${i}@example.com`,
        channel: 'email',
      })),
    ]);
  });
  afterAll(async () => {
    await t.close();
    await gw.close();
    await smtp.close();
  });

  it('two senders send one channel no faster than its throttle; a survivor takes over from a dead one', async () => {
    const id = await launched(
      Array.from({ length: 10 }, (_, i) => `S${i}`),
      'sms',
      2,
    );
    const a = t.s.campaigns.sender;
    const b = t.s.campaigns.otherSender({ runner: 'worker-b' });
    const sent = () => gw.messages.length;
    for (let second = 1; second <= 3; second++) {
      clock.t += 1000;
      await a.round(clock.t);
      await b.round(clock.t);
      // Two a second in all, not two per sender.
      expect(sent()).toBe(2 * second);
    }
    // The first sender dies (no more rounds, its lease is not released): the other waits for the lease to end.
    clock.t += 1000;
    await b.round(clock.t);
    expect(sent()).toBe(6);
    clock.t += 10_000;
    await b.round(clock.t);
    expect(sent()).toBe(8);
    clock.t += 1000;
    await b.round(clock.t);
    expect(sent()).toBe(10);
    expect(new Set(gw.messages.map((m) => m.to)).size).toBe(10);
    expect([...gw.accepted.values()].every((n) => n === 1)).toBe(true);
    expect(await counts(id)).toEqual({ sent: 10 });
    await b.stop();
  });

  it('an email sender dying mid-batch: the mails the SMTP server accepted are not sent again', async () => {
    const nos = Array.from({ length: 6 }, (_, i) => `M${i}`);
    const id = await launched(nos, 'email', 100);
    const doomed = t.s.campaigns.otherSender({ runner: 'worker-doomed', leaseMs: 1000, maxHoldMs: 3000 });
    clock.t += 1000;
    const claimedAt = clock.t;
    // The SMTP server accepts two mails, then stops answering: the sender hangs mid-batch ("dies").
    smtp.failNext(100, 'hang', 2);
    void doomed.round(clock.t).catch(() => {});
    await expect.poll(() => smtp.messages.length, { timeout: 10_000 }).toBe(2);
    // The other four are stuck at the server for good: that sender sends nothing more.
    await expect.poll(() => smtp.pendingFailures.count, { timeout: 10_000 }).toBe(96);
    // What the server accepted is recorded sent already, the rest is still being sent.
    await expect.poll(async () => counts(id), { timeout: 10_000 }).toEqual({ sent: 2, sending: 4 });

    // While it lives it renews its batch's lease (every third of it): another sender takes nothing,
    // though the lease it claimed with (1 s) has ended.
    const survivor = t.s.campaigns.otherSender({ runner: 'worker-survivor' });
    clock.t = claimedAt + 700;
    await doomed.renew(clock.t);
    clock.t = claimedAt + 1400;
    expect(await survivor.round(clock.t)).toBe(0);
    clock.t = claimedAt + 2100;
    await doomed.renew(clock.t);
    // A batch held past `maxHoldMs` (3 s) is renewed no more: a hung sender lets it go.
    clock.t = claimedAt + 3050;
    await doomed.renew(clock.t);
    expect(await counts(id)).toEqual({ sent: 2, sending: 4 });

    // Another worker, once the last lease has ended, sends only the rest.
    smtp.failNext(0, 'hang');
    clock.t = claimedAt + 3200;
    for (let i = 0; i < 5 && (await survivor.round(clock.t)) > 0; i++) clock.t += 1000;
    expect(await counts(id)).toEqual({ sent: 6 });
    const to = smtp.messages.map((m) => m.rcptTo[0]).sort();
    expect(to).toEqual(nos.map((_, i) => `m${i}@example.com`).sort());
    // Every attempt of a message carries the same Message-ID.
    expect(smtp.messages.every((m) => /^Message-ID: <[0-9a-f]{32}\.campaign@tocsin>$/im.test(m.raw))).toBe(true);
    await survivor.stop();
    await doomed.stop();
    expect(await counts(id)).toEqual({ sent: 6 });
  });
});
