/**
 * The scheduled reports by email: on the configured day of each month (in the firm's zone) the sweep
 * records one delivery per report due — last month's, last quarter's in a quarter's first month, last
 * year's in January — and language (zh, en), then makes and sends each delivery not yet sent, with the
 * PDF and XLSX attached. A delivery is a row keyed by kind, period and language, so a second sweep, a
 * restart or another worker never sends one twice; one whose sending failed is tried at the next sweep
 * (at most MAX_ATTEMPTS times), with the report it already made and the same Message-ID (a crash between
 * the SMTP server's acceptance and the row's update is the one way a mail may go twice; the Message-ID
 * lets mail clients fold it).
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { nodeMailer } from '../../platform/heavy-libs.js';
import {
  MGMT_REPORT_LANGS,
  type MgmtReportKind,
  type MgmtReportLang,
} from '../../../shared/management-report-schemas.js';
import type { BlobStore } from '../../platform/blobs/blob-store.js';
import type { Store } from '../../platform/db/connect.js';
import type { Clock } from '../../platform/ids.js';
import { localDay } from '../../platform/zoned-time.js';
import type { AuditService } from '../audit/index.js';
import {
  addDelivery,
  deliveryOf,
  pendingDeliveries,
  reportById,
  updateDelivery,
  type DeliveryRow,
} from './management-report.repository.js';
import type { ManagementReportService } from './management-report.service.js';
import { WORDS } from './mr-labels.js';
import { periodsDue } from './mr-period.js';
import { CONTENT_TYPES, reportFileName } from './mr-render.js';

const MAX_ATTEMPTS = 10;
const SCHEDULER = { id: null, label: 'scheduler:management-reports' };

export interface ReportMail {
  to: string[];
  subject: string;
  text: string;
  /** The same for every attempt of one delivery. */
  messageId: string;
  language: MgmtReportLang;
  attachments: { filename: string; content: Buffer; contentType: string }[];
}
export type ReportMailer = (m: ReportMail) => Promise<void>;

/** A mailer over the SMTP server of `smtpUrl` (nodemailer's URL form), from `from`. */
export function smtpReportMailer(opts: { smtpUrl: string; from: string }): ReportMailer {
  return async (m) => {
    const transport = (await nodeMailer()).createTransport({
      url: opts.smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 60_000,
    });
    try {
      await transport.sendMail({
        from: opts.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        textEncoding: 'quoted-printable',
        messageId: m.messageId,
        attachments: m.attachments,
        headers: { 'Content-Language': m.language === 'zh' ? 'zh-CN' : 'en', 'Auto-Submitted': 'auto-generated' },
      });
    } finally {
      transport.close();
    }
  };
}

export interface DeliveryDeps {
  store: Store;
  audit: AuditService;
  clock: Clock;
  blobs: BlobStore;
  reports: ManagementReportService;
  timeZone: string;
  mailer: ReportMailer | null;
  recipients: string[];
  /** Day of the month (1–28) the reports are made. */
  day: number;
  /** The host name in Message-IDs. */
  domain: string;
}

const readAll = async (s: Readable) => {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

export function createDeliveries(deps: DeliveryDeps) {
  const { store, audit, clock, blobs, reports } = deps;

  async function deliver(d: DeliveryRow): Promise<void> {
    const key = { kind: d.kind, period: d.period, lang: d.lang };
    const lang = d.lang as MgmtReportLang;
    let reportId = d.report_id;
    if (!reportId) {
      const made = await reports.keep(
        SCHEDULER,
        null,
        { kind: d.kind as MgmtReportKind, period: d.period, lang },
        'schedule',
      );
      reportId = made.report.id;
      await updateDelivery(store.db, key, { report_id: reportId });
    }
    const row = (await reportById(store.db, reportId))!;
    const files = await Promise.all(
      (['pdf', 'xlsx'] as const).map(async (format) => {
        const s = await blobs.open(format === 'pdf' ? row.pdf_sha256 : row.xlsx_sha256);
        if (!s) throw new Error(`the ${format} of management report ${reportId} is missing from the blob store`);
        return {
          filename: reportFileName(d.kind, d.period, lang, format),
          content: await readAll(s),
          contentType: CONTENT_TYPES[format],
        };
      }),
    );
    const w = WORDS[lang];
    const title = w.title[d.kind as MgmtReportKind](d.period);
    const text =
      lang === 'zh'
        ? `${title}\n\n附件为本期报告（PDF）及其数据（XLSX）。本邮件由 Tocsin 按计划自动发送。\n`
        : `${title}\n\nAttached: the report (PDF) and its figures (XLSX). Sent on schedule by Tocsin.\n`;
    const digest = createHash('sha256').update(`management-report:${d.kind}:${d.period}:${d.lang}`).digest('hex');
    await deps.mailer!({
      to: deps.recipients,
      subject: `[Tocsin] ${title}`,
      text,
      messageId: `<${digest.slice(0, 32)}@${deps.domain}>`,
      language: lang,
      attachments: files,
    });
    await store.transaction(async (tx) => {
      await updateDelivery(tx, key, { sent_at: clock.now(), last_error: null });
      await audit.append(tx, SCHEDULER, {
        action: 'management_report.deliver',
        targetType: 'management_report',
        targetId: reportId,
        after: { kind: d.kind, period: d.period, lang: d.lang, recipients: deps.recipients.length },
      });
    });
  }

  return {
    /**
     * Records the deliveries due today (from the configured day on, so a late start still catches up
     * within the month) and sends every one not sent yet; failures are kept and tried at the next sweep.
     */
    async sweep(onError: (err: unknown) => void = () => {}): Promise<{ added: number; sent: number; failed: number }> {
      const out = { added: 0, sent: 0, failed: 0 };
      if (!deps.mailer || deps.recipients.length === 0) return out;
      const now = clock.now();
      const today = new Date(localDay(now, deps.timeZone) * 86_400_000).toISOString().slice(0, 10);
      if (Number(today.slice(8, 10)) >= deps.day)
        for (const p of periodsDue(today))
          for (const lang of MGMT_REPORT_LANGS)
            if (
              await addDelivery(store.db, {
                kind: p.kind,
                period: p.key,
                lang,
                report_id: null,
                created_at: now,
                attempts: 0,
                last_error: null,
                sent_at: null,
              })
            )
              out.added++;
      for (const d of await pendingDeliveries(store.db, MAX_ATTEMPTS)) {
        const key = { kind: d.kind, period: d.period, lang: d.lang };
        await updateDelivery(store.db, key, { attempts: d.attempts + 1 });
        try {
          await deliver((await deliveryOf(store.db, key))!);
          out.sent++;
        } catch (err) {
          out.failed++;
          onError(err);
          await updateDelivery(store.db, key, { last_error: (err as Error).message.slice(0, 500) });
        }
      }
      return out;
    },
  };
}
