/**
 * Issue 12's "Done when", end to end on one real server (SQLite, the job loop and the campaign sender
 * running) and the sandbox (`startSandbox`: its SMTP server and notify gateway): the demo firm with its
 * customers is loaded as `tocsin demo` does, the credential-stuffing scenario is replayed through the
 * API, detection declares the incident; then `tocsin demo --scenario customer-care` as four people:
 * the victims are scoped from the account-activity index (exactly the 3 accounts that logged in from
 * the attacker's address), the incident counts 3 customers affected, the plan's customer notice is
 * approved by two reviewers other than its author, the campaign sends it — SMS to the gateway, email to
 * the SMTP mailbox, each in the customer's language — every victim is on an owner's worklist with an
 * SLA, and a customer's question on /help reaches the inbox linked to them and the incident, is answered
 * from the FAQ, and the customer reads the answer with the reference number.
 */
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_VICTIMS, demoAskers } from '../../src/server/cli/demo-customers.js';
import { loadDemo, settableClock } from '../../src/server/cli/demo.js';
import { runScenario } from '../../src/server/cli/scenario.js';
import { type CareContext, type CareResult, runCustomerCare } from '../../src/server/cli/scenario-customer-care.js';
import { compose } from '../../src/server/compose.js';
import { type RunningSandbox, startSandbox } from '../../src/server/sandbox/index.js';
import { decodeHeader } from '../../src/server/sandbox/overview.js';
import { type Running, serve } from '../../src/server/serve.js';
import { decodedBody, header } from '../helpers/mail.js';
import { testConfig } from '../helpers/store.js';

const PEOPLE = {
  commander: 'chen.jie@donghai-sec.example',
  comms: 'zhao.min@donghai-sec.example',
  service: 'sun.li@donghai-sec.example',
  compliance: 'zhou.qiang@donghai-sec.example',
  liuYang: 'liu.yang@donghai-sec.example',
  huangJing: 'huang.jing@donghai-sec.example',
} as const;
type Who = keyof typeof PEOPLE;

/** A port nothing listens on now (the server's public URL must name its port for the gateway's receipts). */
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

describe('issue 12 done-when: account takeover -> victims scoped -> notice by SMS and email -> owners -> /help answered', () => {
  let sandbox: RunningSandbox;
  let running: Running;
  let drop: () => Promise<void>;
  let api = '';
  const tokens = new Map<Who, string>();

  const call = async <T>(who: Who, method: string, url: string): Promise<T> => {
    const res = await fetch(`${api}${url}`, { method, headers: { authorization: `Bearer ${tokens.get(who)}` } });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url} -> ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };

  beforeAll(async () => {
    sandbox = await startSandbox();
    const port = await freePort();
    const t = testConfig(
      'sqlite',
      {
        TOCSIN_PORT: String(port),
        TOCSIN_PUBLIC_URL: `http://127.0.0.1:${port}`,
        TOCSIN_SMTP_URL: sandbox.urls.smtp,
        TOCSIN_MAIL_FROM: 'notice@donghai-sec.example',
        TOCSIN_NOTIFY_GATEWAY_URL: sandbox.urls.notify,
        TOCSIN_NOTIFY_GATEWAY_SECRET: sandbox.keys.notifySecret,
        TOCSIN_PROBE_ALLOW_LOOPBACK: 'true',
      },
      { migrated: true },
    );
    drop = t.drop;
    // `tocsin demo`: the firm, its users, plans active, and now its customers and owner pools.
    const clock = settableClock();
    const s = await compose(t.config, { clock });
    try {
      await s.users.ensureFirstAdmin(s.config.admin);
      await loadDemo(s, clock, 'Demo-Password-2026!', { plansDir: path.resolve('plans') });
      for (const [who, email] of Object.entries(PEOPLE) as [Who, string][]) {
        const user = (await s.users.byEmail(email))!;
        const created = await s.tokens.create({ id: null, label: 'test' }, user.id, {
          name: 'done-when',
          scopes: ['read', 'write', 'events'],
        });
        tokens.set(who, created.token);
      }
    } finally {
      await s.close();
    }
    running = await serve(t.config, () => {});
    api = running.url;
  }, 120_000);

  afterAll(async () => {
    if (running) {
      const closing = running.stop();
      running.app.server.closeAllConnections();
      await closing;
    }
    await drop?.();
    await sandbox?.stop();
  });

  it('scopes, notifies, assigns owners and answers the portal question', async () => {
    // `tocsin demo --scenario credential-stuffing`: raw login events; detection declares the incident.
    const log: string[] = [];
    await runScenario('credential-stuffing', {
      baseUrl: api,
      token: tokens.get('commander')!,
      log: (l) => log.push(l),
    });
    const key = /incident declared by detection: (INC-\d{4}-\d+)/.exec(log.join('\n'))?.[1];
    expect(key, log.join('\n')).toBeTruthy();

    // `tocsin demo --scenario customer-care`: 王建国 asks on /help by phone in Chinese, Emily Zhang by email in English.
    const care: CareContext = {
      baseUrl: api,
      tokens: {
        service: tokens.get('service')!,
        comms: tokens.get('comms')!,
        commander: tokens.get('commander')!,
        compliance: tokens.get('compliance')!,
      },
      log: (l) => log.push(l),
      flushReceipts: async () => void (await sandbox.notify.flushReceipts('delivered')),
      askers: demoAskers(),
    };
    const r: CareResult = await runCustomerCare(care);
    expect(r.incidentKey).toBe(key);
    // Run again, it refuses: the customers are not notified twice (the sandbox's counts below stay 1 SMS, 2 mails).
    await expect(runCustomerCare({ ...care, log: () => {}, incidentKey: key })).rejects.toThrow(
      /already ran for INC-.*customers were notified/,
    );

    // Exactly the three taken-over accounts' customers: not the failures-only accounts, not the B… users.
    expect(r.members.map((m) => m.customerNo).sort()).toEqual(DEMO_VICTIMS.map((v) => v.customerNo));
    // The account-takeover plan revokes the sessions of the victims the success-after-stuffing correlation
    // reports — the first, and the last as a repeat of that alert past its first 20 events — and of nobody
    // whose password was merely tried. The second login is no match of the correlation (it came after the
    // first firing reset the sequence and before the stuffing rule fired again): only scoping finds it.

    const actions = await call<{ items: { stepId: string | null; parameters: { account?: string[] } }[] }>(
      'commander',
      'GET',
      `/api/v1/incidents/${key}/actions`,
    );
    const revoked = actions.items
      .filter((a) => a.stepId === 'revoke-victim-sessions')
      .flatMap((a) => a.parameters.account ?? [])
      .sort();
    expect(revoked).toEqual([DEMO_VICTIMS[0]!.accountNo, DEMO_VICTIMS[2]!.accountNo].sort());
    const incident = await call<{ impact: { customersAffected: number } }>(
      'service',
      'GET',
      `/api/v1/incidents/${key}`,
    );
    expect(incident.impact.customersAffected).toBe(3);

    // The notice was approved by the commander and compliance, not by its author.
    const notice = await call<{ state: string; version: { title: { zh: string; en: string } } }>(
      'comms',
      'GET',
      `/api/v1/statements/${r.statementId}`,
    );
    expect(notice.state).toBe('approved');
    const { zh: titleZh, en: titleEn } = notice.version.title;

    // SMS at the gateway: the zh-CN customer who prefers SMS, once, in Chinese, by name.
    const [wang, emily, li] = DEMO_VICTIMS;
    const sms = sandbox.notify.messages;
    expect(sms).toHaveLength(1);
    expect(sms[0]!.to).toBe('13810000000');
    expect(sms[0]!.text).toContain(titleZh);
    expect(sms[0]!.text).toContain(`尊敬的${wang.name}（客户号 ${wang.customerNo}）`);
    expect(sms[0]!.text).toContain('1. 通过官方 App 修改交易密码');
    expect(sms[0]!.text).not.toContain('**'); // plain text, not the notice's Markdown
    // Email at the SMTP mailbox: English for Emily Zhang, Chinese for 李秀英.
    const mails = sandbox.smtp.messages;
    expect(mails.map((m) => m.rcptTo[0]).sort()).toEqual([emily.email, li.email].sort());
    const en = mails.find((m) => m.rcptTo.includes(emily.email))!;
    expect(decodeHeader(header(en, 'subject')!)).toBe(titleEn);
    expect(decodedBody(en)).toContain(`Dear ${emily.name} (customer ${emily.customerNo})`);
    expect(decodedBody(en)).not.toContain('尊敬的');
    const zh = mails.find((m) => m.rcptTo.includes(li.email))!;
    expect(decodeHeader(header(zh, 'subject')!)).toBe(titleZh);
    expect(decodedBody(zh)).toContain(`尊敬的${li.name}（客户号 ${li.customerNo}）`);
    // The campaign's delivery states: the SMS delivered (the gateway's receipt), the mails sent.
    expect(r.counts).toEqual({ sms: { delivered: 1 }, email: { sent: 2 } });

    // Each victim has an owner whose worklist lists them with the SLA timer.
    const owners = new Map(r.owners.map((o) => [o.customerNo, o]));
    expect(owners.get(wang.customerNo)).toMatchObject({ owner: '刘洋 Liu Yang', rule: 'account_manager' });
    expect(owners.get(emily.customerNo)).toMatchObject({ owner: '黄静 Huang Jing', rule: 'branch_pool' });
    expect(owners.get(li.customerNo)?.rule).toBe('branch_pool');
    const byName: Record<string, Who> = {
      '刘洋 Liu Yang': 'liuYang',
      '黄静 Huang Jing': 'huangJing',
      '孙丽 Sun Li': 'service',
    };
    for (const v of DEMO_VICTIMS) {
      const who = byName[owners.get(v.customerNo)!.owner]!;
      const { items } = await call<{
        items: { customer: { customerNo: string }; slaDueAt: string; incidentKey: string }[];
      }>(who, 'GET', '/api/v1/me/worklist');
      const mine = items.find((i) => i.customer.customerNo === v.customerNo);
      expect(mine, `${v.customerNo} on ${who}'s worklist`).toMatchObject({ incidentKey: key });
      expect(Date.parse(mine!.slaDueAt)).toBeGreaterThan(Date.now());
    }

    // The portal questions: in the inbox, linked to the customer and the incident, answered from the FAQ
    // in the customer's language; each customer sees the answer with their reference number.
    const expected = [
      { customerNo: wang.customerNo, answer: '修改交易密码', not: 'Change your trading' },
      { customerNo: emily.customerNo, answer: 'Change your trading and funds passwords', not: '修改交易密码' },
    ];
    expect(r.inquiries).toHaveLength(2);
    for (const [i, want] of expected.entries()) {
      const got = r.inquiries[i]!;
      const customer = await call<{ id: string }>('service', 'GET', `/api/v1/customers/${want.customerNo}`);
      const inquiry = await call<{
        customerId: string;
        customerNo: string;
        incidentKey: string;
        status: string;
        answer: string;
      }>('service', 'GET', `/api/v1/inquiries/${got.id}`);
      expect(inquiry).toMatchObject({
        customerId: customer.id,
        customerNo: want.customerNo,
        incidentKey: key,
        status: 'answered',
      });
      expect(inquiry.answer).toContain(want.answer);
      expect(inquiry.answer).not.toContain(want.not);
      expect(inquiry.answer).not.toContain('{{');
      expect(got.answerPage).toContain(got.reference);
      expect(got.answerPage).toContain(want.answer);
    }
  }, 120_000);
});
