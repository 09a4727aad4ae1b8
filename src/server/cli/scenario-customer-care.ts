/**
 * The customer part of the credential-stuffing demo (issue 12), each step as the person who would do
 * it, through the public API as the console does: customer service scopes the victims from the
 * account-activity index (logged in from the attacker's address), the communications lead puts the
 * plan's customer notice into shape and two others approve it, the notice goes out as a campaign to the
 * set (SMS to the notify gateway, email over SMTP, each customer in their language), every victim gets
 * an owner, the holding statement and a FAQ answer are published, a customer asks on /help, customer
 * service answers from the FAQ, and the customer reads the answer with the reference number.
 */
import { CliError } from './context.js';
import { call, pause, type ScenarioContext } from './scenario-api.js';

export const ATTACKER_IP = '203.0.113.77';

/** Who does what: tokens of four demo users (the CLI makes them on the store, the test likewise). */
export interface CareTokens {
  /** Customer service lead (孙丽 Sun Li): scoping, owners, the inbox. */
  service: string;
  /** Communications lead (赵敏 Zhao Min): the notice, the campaign, the FAQ. */
  comms: string;
  /** Incident commander (陈杰 Chen Jie): the communications reviews, assigning owners. */
  commander: string;
  /** Compliance (周强 Zhou Qiang): the compliance review. */
  compliance: string;
}

export interface CareContext {
  baseUrl: string;
  tokens: CareTokens;
  log: (line: string) => void;
  /** The notify gateway's receipt trigger (the sandbox's), to mark the SMS delivered; absent: not asked. */
  flushReceipts?: () => Promise<void>;
  /** The incident (default: the newest open one detection declared with an account-takeover alert). */
  incidentKey?: string;
  /** Customers who ask on /help (victims, with a contact as the firm knows it). */
  askers: Asker[];
  /** How long to wait for the campaign to be sent (ms). */
  timeoutMs?: number;
}

export interface Asker {
  name: string;
  via: 'phone' | 'email';
  contact: string;
  language: 'zh-CN' | 'en';
  question: string;
}

export interface CareResult {
  incidentKey: string;
  setId: string;
  members: { customerId: string | null; customerNo: string | null; name: string | null }[];
  customersAffected: number | null;
  statementId: string;
  campaignId: string;
  counts: Record<string, Record<string, number>>;
  owners: { customerNo: string; owner: string; rule: string }[];
  inquiries: { id: string; reference: string; customerId: string | null; answerPage: string }[];
}

interface Incident {
  key: string;
  id: string;
  title: string;
  status: string;
  milestones: { detectedAt: string };
  tags: string[];
  impact: { customersAffected: number | null };
}
interface Statement {
  id: string;
  kind: string;
  state: string;
  version: { title: { zh: string; en: string }; body: { zh: string; en: string } };
}

const as = (ctx: CareContext, who: keyof CareTokens): ScenarioContext => ({
  baseUrl: ctx.baseUrl,
  token: ctx.tokens[who],
  log: ctx.log,
});

/** Polls `fn` every 200 ms until it returns something, at most `ms`. */
async function until<T>(
  what: string | (() => string),
  ms: number,
  fn: () => Promise<T | null | undefined>,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await pause(200);
  }
}

/** The incident detection declared for the credential stuffing: the newest active one with the tag. */
async function findIncident(ctx: CareContext): Promise<Incident> {
  const service = as(ctx, 'service');
  if (ctx.incidentKey)
    return call<Incident>(service, 'GET', `/api/v1/incidents/${encodeURIComponent(ctx.incidentKey)}`);
  const { items } = await call<{ items: Incident[] }>(service, 'GET', '/api/v1/incidents?status=active&limit=50');
  const found = items.find((i) => i.tags.includes('account-takeover') || /credential|撞库/i.test(i.title));
  if (!found)
    throw new Error(
      'no open credential-stuffing incident: run `tocsin demo --scenario credential-stuffing` first (or give --incident KEY)',
    );
  return found;
}

export async function runCustomerCare(ctx: CareContext): Promise<CareResult> {
  const log = ctx.log;
  const wait = ctx.timeoutMs ?? 30_000;
  const incident = await findIncident(ctx);
  const key = incident.key;
  const inc = `/api/v1/incidents/${encodeURIComponent(key)}`;
  const link = (p: string) => new URL(p, ctx.baseUrl).toString();
  log(`incident / 事件: ${key} ${incident.title}`);
  // Once per incident: a second run would send the customers the notice again (a new campaign).
  const { items: sent } = await call<{ items: { id: string }[] }>(as(ctx, 'comms'), 'GET', `${inc}/campaigns`);
  if (sent.length)
    throw new CliError(
      `customer-care already ran for ${key} (its customers were notified: ${link(`/campaigns/${sent[0]!.id}`)}); replay credential-stuffing for a new incident`,
    );

  // 1. Customer service scopes the victims: who logged in successfully from the attacker's address.
  const from = new Date(Date.parse(incident.milestones.detectedAt) - 2 * 3_600_000).toISOString();
  const set = await call<{ id: string; customerCount: number }>(as(ctx, 'service'), 'POST', `${inc}/affected-sets`, {
    name: '撞库成功登录的账户 / Accounts taken over',
    primary: true,
    definition: {
      sources: [
        {
          kind: 'activity',
          ips: [ATTACKER_IP],
          actions: ['login'],
          outcomes: ['success'],
          from,
          to: new Date().toISOString(),
        },
      ],
    },
  });
  const { items: members } = await call<{ items: CareResult['members'] }>(
    as(ctx, 'service'),
    'GET',
    `/api/v1/affected-sets/${set.id}/members?limit=200`,
  );
  if (set.customerCount === 0)
    throw new Error(
      `no customer logged in from ${ATTACKER_IP} since ${from}: is the account-activity index on (TOCSIN_ACTIVITY_INDEX) and were the demo customers loaded?`,
    );
  log(
    `affected set / 受影响客户: ${set.customerCount} (${members.map((m) => `${m.customerNo} ${m.name}`).join(', ')})`,
  );
  log(`  war room, "Affected customers" / 作战室“受影响客户”: ${link(`/incidents/${encodeURIComponent(key)}`)}`);
  const after = await call<Incident>(as(ctx, 'service'), 'GET', inc);
  log(`  customers affected on the incident / 事件受影响客户数: ${after.impact.customersAffected}`);

  // 2. The customer notice: the plan drafted it; the communications lead greets each customer by name,
  //    submits it, and the commander (communications) and compliance approve it.
  const comms = as(ctx, 'comms');
  const notice = await until('the plan to draft the customer notice', wait, async () => {
    const { items } = await call<{ items: Statement[] }>(comms, 'GET', `${inc}/statements?limit=50`);
    return items.find((s) => s.kind === 'customer_notice' && s.state !== 'withdrawn');
  });
  const personal = (text: string, greeting: string) => text.replace(/^(尊敬的客户：|Dear customer,)/, greeting);
  if (notice.state === 'draft') {
    await call(comms, 'POST', `/api/v1/statements/${notice.id}/versions`, {
      title: notice.version.title,
      body: {
        zh: personal(notice.version.body.zh, '尊敬的{{ name }}（客户号 {{ customerNo }}）：'),
        en: personal(notice.version.body.en, 'Dear {{ name }} (customer {{ customerNo }}),'),
      },
    });
    await call(comms, 'POST', `/api/v1/statements/${notice.id}/submit`);
  }
  for (const who of ['commander', 'compliance'] as const) {
    const s = await call<Statement>(as(ctx, who), 'GET', `/api/v1/statements/${notice.id}`);
    if (s.state === 'in_review')
      await call(as(ctx, who), 'POST', `/api/v1/statements/${notice.id}/reviews`, { verdict: 'approve', comment: '' });
  }
  const approved = await call<Statement>(comms, 'GET', `/api/v1/statements/${notice.id}`);
  log(`customer notice / 客户通知: ${approved.state} — ${approved.version.title.zh} / ${approved.version.title.en}`);

  // 3. The campaign to the set: mandatory and urgent (an account takeover does not wait for morning).
  const campaign = await call<{ id: string }>(comms, 'POST', `${inc}/campaigns`, {
    name: '撞库受害客户通知 / Account-takeover notice',
    statementId: notice.id,
    audience: { kind: 'set', setId: set.id },
    channels: ['sms', 'email'],
    mandatory: true,
    urgent: true,
  });
  await call(comms, 'POST', `/api/v1/campaigns/${campaign.id}/launch`);
  type Counts = { counts: Record<string, Record<string, number>> };
  const settled = (c: Counts) => {
    const { total = {}, ...channels } = c.counts;
    return (
      Object.values(total).reduce((a, b) => a + b, 0) === set.customerCount &&
      Object.values(channels).every((byState) => !byState.queued && !byState.sending)
    );
  };
  let seen: Counts | null = null;
  const progress = () => `the campaign to be sent (messages so far: ${JSON.stringify(seen?.counts ?? {})})`;
  let counts = await until(progress, wait, async () => {
    seen = await call<Counts>(comms, 'GET', `/api/v1/campaigns/${campaign.id}/messages?limit=1`);
    return settled(seen) ? seen : null;
  });
  if (ctx.flushReceipts && counts.counts.sms?.sent) {
    await ctx.flushReceipts();
    counts = await until('the delivery receipts', wait, async () => {
      const c = await call<Counts>(comms, 'GET', `/api/v1/campaigns/${campaign.id}/messages?limit=1`);
      return (c.counts.sms?.sent ?? 0) === 0 ? c : null;
    }).catch(() => {
      log('  no delivery receipts from the gateway yet / 短信网关尚未回执');
      return counts;
    });
  }
  const { total: _, ...byChannel } = counts.counts;
  const states = Object.entries(byChannel).map(
    ([channel, n]) =>
      `${channel} ${Object.entries(n)
        .map(([state, k]) => `${state} ${k}`)
        .join(', ')}`,
  );
  log(`campaign / 通知活动: ${states.join('; ')}`);
  log(`  ${link(`/campaigns/${campaign.id}`)}`);

  // 4. An owner for every victim (account manager, else the branch pool), on their worklists. Assigning
  //    is the commander's (owner.assign: admin, incident commander, communications, customer service).
  const service = as(ctx, 'service');
  await call(as(ctx, 'commander'), 'POST', `${inc}/owners/assign`, { setId: set.id });
  const owners = await call<{
    items: { customer: { customerNo: string }; owner: { name: string }; rule: string }[];
  }>(service, 'GET', `${inc}/owners`);
  for (const o of owners.items) log(`owner / 专人负责: ${o.customer.customerNo} -> ${o.owner.name} (${o.rule})`);
  log(`  ${link('/worklist')}`);

  // 5. The holding statement (drafted by the plan) approved and published, so customers can ask about the
  //    incident on /help; the notice's text as drafted (without the campaign's per-customer greeting) as a
  //    FAQ answer for customer service to answer with.
  const holding = await until('the plan to draft the holding statement', wait, async () => {
    const { items } = await call<{ items: Statement[] }>(comms, 'GET', `${inc}/statements?limit=50`);
    return items.find((s) => s.kind === 'holding_statement' && s.state !== 'withdrawn');
  });
  if (holding.state === 'draft') await call(comms, 'POST', `/api/v1/statements/${holding.id}/submit`);
  const h = await call<Statement>(comms, 'GET', `/api/v1/statements/${holding.id}`);
  if (h.state === 'in_review')
    await call(as(ctx, 'commander'), 'POST', `/api/v1/statements/${holding.id}/reviews`, { verdict: 'approve' });
  if ((await call<Statement>(comms, 'GET', `/api/v1/statements/${holding.id}`)).state === 'approved')
    await call(comms, 'POST', `/api/v1/statements/${holding.id}/publish`, {});
  const faq = await call<{ id: string }>(comms, 'POST', `${inc}/faq`, {
    question: {
      zh: '我的账户被盗登录了怎么办？',
      en: 'What should I do if my account was signed in to by someone else?',
    },
    answer: {
      zh: approved.version.body.zh.replace(/^尊敬的\{\{ name \}\}[^\n]*/, '尊敬的客户：'),
      en: approved.version.body.en.replace(/^Dear \{\{ name \}\}[^\n]*/, 'Dear customer,'),
    },
    published: true,
  });

  // 6. Customers ask on /help (the public page, no account), customer service answers from the FAQ.
  const inquiries: CareResult['inquiries'] = [];
  for (const asker of ctx.askers) inquiries.push(await askAndAnswer(ctx, incident, faq.id, asker));
  return {
    incidentKey: key,
    setId: set.id,
    members,
    customersAffected: after.impact.customersAffected,
    statementId: notice.id,
    campaignId: campaign.id,
    counts: byChannel,
    owners: owners.items.map((o) => ({ customerNo: o.customer.customerNo, owner: o.owner.name, rule: o.rule })),
    inquiries,
  };
}

/** One customer's question on /help, found in the inbox, answered with the FAQ entry, read back by reference. */
async function askAndAnswer(
  ctx: CareContext,
  incident: Incident,
  faqId: string,
  asker: Asker,
): Promise<CareResult['inquiries'][number]> {
  const service = as(ctx, 'service');
  const help = new URL('/status/help', ctx.baseUrl).toString();
  const form = new URLSearchParams({
    incident: incident.id,
    name: asker.name,
    [asker.via]: asker.contact,
    question: asker.question,
    language: asker.language,
  });
  const asked = await fetch(help, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  const reference = /Q-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(await asked.text())?.[0];
  if (asked.status !== 201 || !reference)
    throw new Error(`the help portal did not take ${asker.name}'s question (${asked.status})`);
  ctx.log(`customer question / 客户提问: ${asker.name} (${asker.language}) ${reference}  ${help}`);
  const inquiry = await until('the question in the inbox', ctx.timeoutMs ?? 30_000, async () => {
    const { items } = await call<{ items: { id: string; reference: string; customerId: string | null }[] }>(
      service,
      'GET',
      `/api/v1/inquiries?incident=${encodeURIComponent(incident.key)}&limit=50`,
    );
    return items.find((i) => i.reference === reference);
  });
  await call(service, 'POST', `/api/v1/inquiries/${inquiry.id}/answer`, { faqId });
  ctx.log(`  answered from the FAQ / 已用常见问题答复: ${new URL('/inquiries', ctx.baseUrl).toString()}`);
  const lang = asker.language === 'en' ? '?lang=en' : '';
  const check = await fetch(`${help}/check${lang}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ reference, contact: asker.contact }).toString(),
  });
  ctx.log(`  the customer reads the answer / 客户查看答复: ${help}/check${lang} (${reference}, ${asker.contact})`);
  return { ...inquiry, answerPage: await check.text() };
}
