/**
 * The compensation demo (issue 14, "Done when"): a market-data outage made right, each step as the
 * person who would do it, through the public API as the console does. The commander uploads the firm's
 * extracts (demo-compensation-data.ts) and assesses them with outage-price-diff; compliance reviews the
 * run; customer service proposes the claims and offers them; every claimant gets an owner; one customer
 * negotiates (a counter-offer by phone, a new offer, acceptance on the portal with a code by SMS), another
 * files a claim on the portal with a PDF (scenario-compensation-filing.ts), the others accept by phone; the accepted claims are approved in bulk by the people of each approval tier of
 * the firm's policy (two people above 100,000 yuan); compliance pays them in a batch (the bank file in
 * GBK, marked paid); and the ledger is printed and checked against the claims.
 */
import iconv from 'iconv-lite';
import type { Batch } from '../../shared/compensation-payout-schemas.js';
import type { AssessAnswer, Claim, ClaimDetail, Ledger, Run } from '../../shared/compensation-schemas.js';
import { type CompensationPolicy, sortedTiers, tierFor } from '../../shared/compensation.js';
import { apiFetch, listAll, refusal } from './api-client.js';
import { CliError } from './context.js';
import { acceptOnPortal } from './portal-customer.js';
import { customerFilesOnPortal } from './scenario-compensation-filing.js';
import { beijingTime, DEMO_COMPENSATION_POLICY, demoCompensationFiles } from './demo-compensation-data.js';
import { ledgerDifferences, printLedger, yuan } from './demo-compensation-ledger.js';
import { DEMO_FIRM, DEMO_USERS } from './demo-data.js';
import { SCENARIOS } from './scenario.js';
import { call, type ScenarioContext } from './scenario-api.js';

const d = DEMO_FIRM.domain;
/** Who does what (demo users, demo-data.ts). */
export const COMPENSATION_PEOPLE = {
  /** 陈杰 Chen Jie, incident commander: runs the assessment, assigns owners, approves within the lead tier. */
  commander: `chen.jie@${d}`,
  /** 孙丽 Sun Li, customer service lead: proposes and offers the claims; owner of some claimants. */
  service: `sun.li@${d}`,
  /** 周强 Zhou Qiang, compliance: reviews the run, approves within the compliance tier, first of two above it. */
  compliance: `zhou.qiang@${d}`,
  /** 钱芳 Qian Fang, compliance: the second approver of the two-person rule. */
  compliance2: `qian.fang@${d}`,
  /** 刘洋 Liu Yang and 黄静 Huang Jing, customer service: account managers and branch pools (owners). */
  liuYang: `liu.yang@${d}`,
  huangJing: `huang.jing@${d}`,
} as const;
export type CompensationPerson = keyof typeof COMPENSATION_PEOPLE;

/** The customer who negotiates, and the figures said (fen). */
const NEGOTIATION = { customerNo: 'DH100005', counterMinor: 420_000, offerMinor: 380_000 } as const;

export interface CompensationContext {
  baseUrl: string;
  tokens: Record<CompensationPerson, string>;
  log: (line: string) => void;
  /** The incident (default: the newest open market-data outage from `vendor-outage`, declared when none). */
  incidentKey?: string;
  /** The public site (default: `<baseUrl>/status`), where the customer answers the offer. */
  siteUrl?: string;
  /** How the negotiating customer reads the portal's SMS code (the sandbox's gateway); absent: they accept by phone. */
  readSms?: (reference: string) => Promise<string | null>;
  /** How a customer filing on the portal reads the code texted to their phone; absent: nobody files there. */
  readFilingCode?: (phone: string) => Promise<string | null>;
}

export interface CompensationResult {
  incidentKey: string;
  outage: { start: string; end: string };
  run: Run;
  skipped: number;
  problems: AssessAnswer['problems'];
  results: { customerNo: string; orders: number; lossMinor: number; compensationMinor: number; basis: string }[];
  negotiated: ClaimDetail;
  approvals: { who: string; approved: number; recorded: number; refused: number }[];
  batch: Batch | null;
  claims: Claim[];
  ledger: Ledger;
}

interface Incident {
  key: string;
  title: string;
  status: string;
  services: string[];
  tags: string[];
  milestones: { detectedAt: string; containedAt: string | null; recoveredAt: string | null };
}

const nameOf = (who: CompensationPerson) =>
  DEMO_USERS.find((u) => u.email === COMPENSATION_PEOPLE[who])?.name ?? COMPENSATION_PEOPLE[who];
const roleOf = (who: CompensationPerson) => DEMO_USERS.find((u) => u.email === COMPENSATION_PEOPLE[who])?.role;
const as = (ctx: CompensationContext, who: CompensationPerson): ScenarioContext => ({
  baseUrl: ctx.baseUrl,
  token: ctx.tokens[who],
  log: ctx.log,
});
const isOutage = (i: Incident) => /market-data vendor feed|行情供应商/i.test(i.title);

/** The incident: the one named, else the newest active market-data outage, else one declared as vendor-outage does. */
async function findIncident(ctx: CompensationContext): Promise<Incident> {
  const commander = as(ctx, 'commander');
  if (ctx.incidentKey)
    return call<Incident>(commander, 'GET', `/api/v1/incidents/${encodeURIComponent(ctx.incidentKey)}`);
  const newest = async () => {
    const { items } = await call<{ items: Incident[] }>(commander, 'GET', '/api/v1/incidents?status=active&limit=50');
    return items.find(isOutage);
  };
  const found = await newest();
  if (found) return found;
  ctx.log(
    'no open market-data outage: declaring one as `--scenario vendor-outage` does / 无进行中的行情中断事件，先声明一个',
  );
  await SCENARIOS['vendor-outage']!.run({ ...commander, log: (l) => ctx.log(`  ${l}`) });
  const declared = await newest();
  if (!declared) throw new Error('the market-data outage just declared is not among the active incidents');
  return declared;
}

/** Uploads one extract (CSV) of the incident; its id. */
async function upload(ctx: CompensationContext, key: string, kind: 'orders' | 'prices', name: string, csv: string) {
  const t = as(ctx, 'commander');
  const url = `/api/v1/incidents/${encodeURIComponent(key)}/compensation/inputs?kind=${kind}&name=${encodeURIComponent(name)}`;
  const res = await apiFetch(t, 'POST', url, { body: csv, contentType: 'text/csv' });
  if (!res.ok) throw await refusal(res, 'POST', url, 'write');
  return ((await res.json()) as { id: string }).id;
}

export async function runCompensation(ctx: CompensationContext): Promise<CompensationResult> {
  const log = ctx.log;
  const incident = await findIncident(ctx);
  const key = incident.key;
  const inc = `/api/v1/incidents/${encodeURIComponent(key)}`;
  const comp = `${inc}/compensation`;
  const link = (p: string) => new URL(p, ctx.baseUrl).toString();
  log(`incident / 事件: ${key} ${incident.title} (${incident.status})`);
  // Once per incident: the claims of a second run would be kept as they are (one claim per customer).
  const existing = await call<{ items: Claim[] }>(as(ctx, 'commander'), 'GET', `${comp}/claims?limit=1`);
  if (existing.items.length)
    throw new CliError(
      `the compensation demo already ran for ${key} (it has claims: ${link(`/incidents/${encodeURIComponent(key)}/compensation`)}); replay vendor-outage for a new incident`,
    );

  // 1. The outage window from the incident: detected until the quotes flowed again (contained on the
  //    backup feed, else recovered, else now). The firm's extracts for it, uploaded and assessed.
  const m = incident.milestones;
  const start = Date.parse(m.detectedAt);
  const end = Math.max(start + 1, Date.parse(m.containedAt ?? m.recoveredAt ?? new Date().toISOString()));
  const files = demoCompensationFiles(start, end);
  const outage = { start: beijingTime(start), end: beijingTime(end) };
  const ordersName = `orders-${key}.csv`;
  const pricesName = `prices-${key}.csv`;
  const inputs = {
    orders: await upload(ctx, key, 'orders', ordersName, files.orders),
    prices: await upload(ctx, key, 'prices', pricesName, files.prices),
  };
  log(`extracts uploaded / 已上传数据: ${ordersName}, ${pricesName} (by ${nameOf('commander')})`);
  const assessed = await call<AssessAnswer>(as(ctx, 'commander'), 'POST', `${comp}/assess`, {
    method: 'outage-price-diff',
    inputs,
    parameters: { outageStart: outage.start, outageEnd: outage.end, ...DEMO_COMPENSATION_POLICY },
  });
  const run = assessed.run;
  log(
    `assessment / 损失评估: outage-price-diff, outage / 中断 ${outage.start} – ${outage.end}, cap / 上限 ${DEMO_COMPENSATION_POLICY.cap}, min / 最低 ${DEMO_COMPENSATION_POLICY.min}, goodwill / 善意补偿 ${DEMO_COMPENSATION_POLICY.goodwill} yuan`,
  );
  log(`  skipped lines / 跳过的行: ${assessed.skipped}`);
  for (const p of assessed.problems) log(`    ${p.input}:${p.line}: ${p.reason}`);
  const { items: results } = await listAll<CompensationResult['results'][number]>(
    as(ctx, 'commander'),
    `${comp}/runs/${run.id}/results`,
    new URLSearchParams(),
    10_000,
  );
  log('  customer / 客户   orders / 订单       loss / 损失   compensation / 赔偿  basis / 依据');
  for (const r of results)
    log(
      `  ${r.customerNo.padEnd(10)} ${String(r.orders).padStart(6)} ${yuan(r.lossMinor).padStart(16)} ${yuan(r.compensationMinor).padStart(20)}  ${r.basis}`,
    );
  log(
    `  run totals / 合计: ${run.customers} customers / 位客户, ${run.orders} orders / 笔订单, loss / 损失 ${yuan(run.lossMinor)}, compensation / 赔偿 ${yuan(run.compensationMinor)} yuan, goodwill / 善意补偿 ${run.goodwillCustomers}`,
  );
  log(`  console / 控制台: ${link(`/incidents/${encodeURIComponent(key)}/compensation`)}`);

  // 2. Reviewed by compliance (not who ran it); customer service proposes the claims and offers the run.
  const reviewed = await call<Run>(as(ctx, 'compliance'), 'POST', `${comp}/runs/${run.id}/review`);
  log(`run reviewed / 评估已复核: by ${reviewed.reviewedBy?.name ?? nameOf('compliance')}`);
  const proposed = await call<{ created: number }>(as(ctx, 'service'), 'POST', `${comp}/runs/${run.id}/propose`);
  const offered = await call<{ offered: number }>(as(ctx, 'service'), 'POST', `${comp}/runs/${run.id}/offer`);
  log(
    `claims / 赔偿申请: ${proposed.created} proposed, ${offered.offered} offered / 已拟议并报价 (by ${nameOf('service')})`,
  );

  // Every claimant gets an owner (专人负责): account manager, else the branch pool.
  const claimsOf = async (status?: string) =>
    (
      await listAll<Claim>(
        as(ctx, 'commander'),
        `${comp}/claims`,
        new URLSearchParams({ runId: run.id, ...(status ? { status } : {}) }),
        10_000,
      )
    ).items;
  const claims = await claimsOf();
  await call(as(ctx, 'commander'), 'POST', `${inc}/owners/assign`, {
    customerNos: claims.map((c) => c.customer.customerNo),
  });
  const owners = await call<{ items: { customer: { customerNo: string }; owner: { name: string | null } | null }[] }>(
    as(ctx, 'service'),
    'GET',
    `${inc}/owners`,
  );
  const ownerOf = new Map(owners.items.map((o) => [o.customer.customerNo, o.owner?.name ?? null]));
  const ownerToken = (customerNo: string): CompensationPerson => {
    const name = ownerOf.get(customerNo);
    const person = (Object.keys(COMPENSATION_PEOPLE) as CompensationPerson[]).find((p) => nameOf(p) === name);
    return person && ['service', 'liuYang', 'huangJing'].includes(person) ? person : 'service';
  };

  // 3. One customer negotiates: a counter-offer by phone, recorded by their owner; the firm's new offer;
  //    the customer accepts.
  const negotiatedClaim = claims.find((c) => c.customer.customerNo === NEGOTIATION.customerNo);
  if (!negotiatedClaim) throw new Error(`no claim of ${NEGOTIATION.customerNo} in the run`);
  const owner = ownerToken(NEGOTIATION.customerNo);
  const claimUrl = `/api/v1/compensation/claims/${negotiatedClaim.id}`;
  const who = `${negotiatedClaim.customer.customerNo} ${negotiatedClaim.customer.name}`;
  log(`negotiation / 协商: ${negotiatedClaim.ref} ${who}, owner / 负责人 ${nameOf(owner)}`);
  log(`  offered / 报价 ${yuan(negotiatedClaim.amountMinor)} (assessed / 评估金额)`);
  await call(as(ctx, owner), 'POST', `${claimUrl}/counter`, {
    amountMinor: NEGOTIATION.counterMinor,
    reason: '客户来电：行情冻结前本可按更低价格买入 / By phone: would have bought lower before the quotes froze',
    channel: 'phone',
  });
  log(
    `  the customer counters by phone / 客户电话还价 ${yuan(NEGOTIATION.counterMinor)} (recorded by / 记录人 ${nameOf(owner)})`,
  );
  await call(as(ctx, owner), 'POST', `${claimUrl}/offer`, {
    amountMinor: NEGOTIATION.offerMinor,
    reason: '按中断前最后成交价与恢复后首笔成交价之差，另加手续费 / Price difference plus fees',
    channel: 'phone',
  });
  log(`  the firm offers / 公司新报价 ${yuan(NEGOTIATION.offerMinor)} (by / 经办 ${nameOf(owner)})`);
  const negotiated = await customerAcceptsOffer(ctx, owner, negotiatedClaim);

  //    A customer whose orders are not in the extract files a claim on the portal, with their order report.
  await customerFilesOnPortal({
    staff: as(ctx, owner),
    comp,
    siteUrl: ctx.siteUrl ?? `${ctx.baseUrl.replace(/\/$/, '')}/status`,
    taken: new Set(results.map((r) => r.customerNo)),
    readFilingCode: ctx.readFilingCode,
    log,
  });

  // 4. The other customers accept by phone, recorded by their owners.
  const others = await claimsOf('offered');
  for (const c of others)
    await call(as(ctx, ownerToken(c.customer.customerNo)), 'POST', `/api/v1/compensation/claims/${c.id}/accept`, {
      channel: 'phone',
      note: '客户电话确认接受 / Accepted by phone',
    });
  log(`accepted by phone / 电话确认接受: ${others.length} more claims / 笔 (recorded by their owners / 由负责人记录)`);

  //    Then bulk approval of the reviewed run's accepted claims, by the people of each tier of the policy.
  const approvals = await approveByTier(ctx, comp, run.id, await claimsOf('accepted'));
  const left = await claimsOf('accepted');
  if (left.length)
    throw new CliError(
      `bulk approval left ${left.length} accepted claims unapproved: ${left.map((c) => `${c.ref} ${yuan(c.amountMinor)}`).join(', ')}`,
    );

  // 5. The payout batch: the bank file, then marked paid.
  const batch = await payoutBatch(ctx, key, await claimsOf('approved'));

  // 6. The ledger, checked against the claims.
  const ledger = await call<Ledger>(as(ctx, 'commander'), 'GET', `${comp}/ledger`);
  const all = (await listAll<Claim>(as(ctx, 'commander'), `${comp}/claims`, new URLSearchParams(), 100_000)).items;
  printLedger(log, ledger);
  const diffs = ledgerDifferences(ledger, all);
  if (diffs.length) throw new CliError(`the ledger of ${key} does not reconcile with its claims: ${diffs.join('; ')}`);
  log(`  reconciles with the ${all.length} claims / 与 ${all.length} 笔赔偿申请核对一致`);
  log(`  console / 控制台: ${link(`/incidents/${encodeURIComponent(key)}/compensation`)}`);
  return {
    incidentKey: key,
    outage,
    run: reviewed,
    skipped: assessed.skipped,
    problems: assessed.problems,
    results,
    negotiated,
    approvals,
    batch,
    claims: all,
    ledger,
  };
}

/**
 * The customer accepts the firm's offer on the portal: the claim's reference, the one-time code texted
 * to them (read from the sandbox's notify gateway), the offer page, "accept" — recorded as the customer's
 * words, channel portal, with their IP. Without a way to read the text, their owner records the
 * acceptance given by phone, and says so.
 */
async function customerAcceptsOffer(
  ctx: CompensationContext,
  owner: CompensationPerson,
  claim: Claim,
): Promise<ClaimDetail> {
  const url = `/api/v1/compensation/claims/${claim.id}`;
  if (!ctx.readSms) {
    const accepted = await call<ClaimDetail>(as(ctx, owner), 'POST', `${url}/accept`, {
      channel: 'phone',
      note: '客户电话接受 / Accepted by phone',
    });
    ctx.log(
      `  the customer accepts by phone / 客户电话接受 ${yuan(accepted.amountMinor)}, recorded by ${nameOf(owner)} (the portal needs the sandbox's SMS gateway / 门户需沙箱短信网关)`,
    );
    return accepted;
  }
  const site = ctx.siteUrl ?? `${ctx.baseUrl.replace(/\/$/, '')}/status`;
  ctx.log(`  the customer opens the portal / 客户打开门户: ${site}/compensation, reference / 编号 ${claim.ref}`);
  await acceptOnPortal({ siteUrl: site, reference: claim.ref, language: 'zh-CN', readCode: ctx.readSms });
  const accepted = await call<ClaimDetail>(as(ctx, owner), 'GET', url);
  ctx.log(
    `  the customer accepts on the portal / 客户在门户接受 ${yuan(accepted.amountMinor)} (one-time code by SMS / 短信验证码)`,
  );
  return accepted;
}

/**
 * Bulk approval of the run's accepted claims, tier by tier of the firm's policy (lowest first): for each
 * tier as many distinct demo people of its roles as it needs approvers, each approving the run once (an
 * approver acts within their caps, so the lower tiers' people leave the larger claims to the next).
 */
async function approveByTier(
  ctx: CompensationContext,
  comp: string,
  runId: string,
  accepted: Claim[],
): Promise<CompensationResult['approvals']> {
  const policy = await call<CompensationPolicy>(as(ctx, 'commander'), 'GET', '/api/v1/compensation/policy');
  const approvers: CompensationPerson[] = [];
  const candidates: CompensationPerson[] = ['commander', 'compliance', 'compliance2'];
  for (const tier of sortedTiers(policy)) {
    const n = accepted.filter((c) => tierFor(policy, c.amountMinor).key === tier.key).length;
    const cap = tier.capMinor === null ? 'no cap / 无上限' : `up to / 至 ${yuan(tier.capMinor)} yuan`;
    if (n === 0) continue;
    const people = candidates.filter((p) => tier.roles.includes(roleOf(p) ?? '')).slice(0, tier.approvers);
    if (people.length < tier.approvers)
      throw new CliError(
        `the ${tier.key} tier needs ${tier.approvers} approvers of ${tier.roles.join(', ')}; the demo has ${people.length}`,
      );
    ctx.log(
      `approval tier / 审批层级 ${tier.key} (${cap}, ${tier.approvers} approver(s) / 人): ${n} claims / 笔 — ${people.map(nameOf).join(' + ')}`,
    );
    for (const p of people) if (!approvers.includes(p)) approvers.push(p);
  }
  const out: CompensationResult['approvals'] = [];
  for (const p of approvers) {
    const r = await call<{ approved: number; recorded: number; refused: number }>(
      as(ctx, p),
      'POST',
      `${comp}/bulk-approve`,
      { runId },
    );
    ctx.log(
      `  bulk approval / 批量审批 by ${nameOf(p)}: approved / 批准 ${r.approved}, first of two / 首签 ${r.recorded}, left to others / 留待他人 ${r.refused}`,
    );
    out.push({ who: nameOf(p), approved: r.approved, recorded: r.recorded, refused: r.refused });
  }
  return out;
}

/**
 * The payout batch of the approved claims, by compliance: the batch (its id the idempotency key), the
 * bank file in GBK (payees' names and cards: an audited reveal), then marked paid with the bank's
 * reference — every claim paid, the payment notices queued.
 */
async function payoutBatch(ctx: CompensationContext, key: string, approved: Claim[]): Promise<Batch | null> {
  if (approved.length === 0) return null;
  const who = as(ctx, 'compliance');
  const base = `/api/v1/incidents/${encodeURIComponent(key)}/compensation/batches`;
  const id = `PAY-${key}-1`;
  const batch = await call<Batch>(who, 'POST', base, { id, claimIds: approved.map((c) => c.id) });
  ctx.log(
    `payout batch / 付款批次 ${batch.id} by ${nameOf('compliance')}: ${batch.items} claims / 笔, ${yuan(batch.totalMinor)} yuan`,
  );
  const filePath = `${base}/${encodeURIComponent(id)}/file?encoding=gbk`;
  const file = await apiFetch(who, 'GET', filePath);
  if (!file.ok) throw await refusal(file, 'GET', filePath, 'write');
  const bytes = Buffer.from(await file.arrayBuffer());
  const lines = iconv.decode(bytes, 'gbk').split(/\r?\n/).filter(Boolean).length;
  ctx.log(
    `  bank file / 银行批量文件: GBK, ${bytes.length} bytes, ${lines - 1} payees / 收款人 (an audited reveal / 已审计)`,
  );
  const paid = await call<Batch>(who, 'POST', `${base}/${encodeURIComponent(id)}/paid`, {
    reference: `BOC-${key.replace(/^INC-/, '')}-0001`,
  });
  ctx.log(
    `  marked paid / 已支付: ${paid.paid.count} claims / 笔, ${yuan(paid.paid.amountMinor)} yuan, bank reference / 银行流水 ${paid.bankReference}`,
  );
  return paid;
}
