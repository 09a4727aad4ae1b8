/**
 * The compensation demo's filing on the portal (issue 14): customer service opens the portal to claims
 * for the outage under a public title, and a customer whose orders are not in the firm's extract files a
 * claim there — customer number and phone on file, the code texted to them (read from the sandbox's
 * notify gateway), a description, an amount and the order report as a PDF. The claim arrives proposed,
 * from the portal, with the file kept by its SHA-256, for staff to assess.
 */
import { pdfKit } from '../platform/heavy-libs.js';
import type { ClaimAttachmentList } from '../../shared/compensation-filing-schemas.js';
import type { Claim } from '../../shared/compensation-schemas.js';
import { demoCustomers } from './demo-customers.js';
import { fileOnPortal } from './portal-customer.js';
import { call, type ScenarioContext } from './scenario-api.js';

const TITLE = { zh: '行情供应商故障期间委托被拒', en: 'Orders rejected during the market-data vendor outage' };

/** A one-page PDF of the customer's rejected order, as their trading app's order report would print it. */
async function orderReport(lines: string[]): Promise<Buffer> {
  const PDFDocument = await pdfKit();
  const doc = new PDFDocument({ size: 'A5', margin: 40, info: { Title: 'Order report', Author: 'Tocsin demo' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.fontSize(14).text('Order report - rejected orders').moveDown().fontSize(10);
  for (const l of lines) doc.text(l);
  doc.end();
  return done;
}

export interface FilingStep {
  staff: ScenarioContext;
  comp: string;
  siteUrl: string;
  /** Customers with claims already (the run's): the filer is none of them. */
  taken: ReadonlySet<string>;
  /** How the customer reads the texted code; absent: the step is skipped and says so. */
  readFilingCode?: (phone: string) => Promise<string | null>;
  log: (line: string) => void;
}

/** Opens the portal to claims and files one as a customer; the claim, or null when no SMS can be read. */
export async function customerFilesOnPortal(s: FilingStep): Promise<Claim | null> {
  await call(s.staff, 'PUT', `${s.comp}/portal`, { open: true, titleZh: TITLE.zh, titleEn: TITLE.en });
  s.log(`portal open to claims / 门户开放补偿申请: ${s.siteUrl}/compensation/file ("${TITLE.zh}")`);
  if (!s.readFilingCode) {
    s.log("  no customer files there in this run (the portal needs the sandbox's SMS gateway / 门户需沙箱短信网关)");
    return null;
  }
  const filer = demoCustomers().find((c) => c.phone && c.language === 'zh-CN' && !s.taken.has(c.customerNo))!;
  const pdf = await orderReport([
    `Customer ${filer.customerNo}  Account ${filer.accounts?.[0] ?? ''}`,
    'Order 600000 BUY 2,000 @ limit 10.45   09:31:05   REJECTED (quote unavailable)',
    'Order 600000 BUY 2,000 @ limit 10.45   09:33:40   REJECTED (quote unavailable)',
  ]);
  const ref = await fileOnPortal({
    siteUrl: s.siteUrl,
    incidentTitle: TITLE.zh,
    customerNo: filer.customerNo,
    phone: filer.phone!,
    language: 'zh-CN',
    description: '开盘后两次买入 600000 被拒，恢复后价格已上涨，请求补偿差价。附委托回报。',
    amountYuan: '1,160.00',
    files: [{ name: '委托回报.pdf', type: 'application/pdf', bytes: pdf }],
    readCode: s.readFilingCode,
  });
  const claims = await call<{ items: Claim[] }>(s.staff, 'GET', `${s.comp}/claims?source=portal&limit=100`);
  const claim = claims.items.find((c) => c.ref === ref)!;
  const files = await call<ClaimAttachmentList>(s.staff, 'GET', `/api/v1/compensation/claims/${claim.id}/attachments`);
  s.log(
    `  ${filer.name} (${filer.customerNo}) files on the portal / 客户在门户提交申请: ${ref}, claims / 申请 1,160.00 元, ${files.items.length} file / 附件 ${files.items.map((f) => `${f.fileName} sha256 ${f.sha256.slice(0, 12)}…`).join(', ')} — ${claim.status}, awaits assessment / 待评估`,
  );
  return claim;
}
