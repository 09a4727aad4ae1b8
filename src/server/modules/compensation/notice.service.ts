/**
 * Notices to customers on claim events (issue 14): the offer (every `offer` event, a revised one too),
 * the acceptance receipt (`accept`) and the payment (`paid`). A notice row and a durable job are written
 * with the event, in its transaction (`queue`), so no notice is lost to a crash and none exists for a
 * step that rolled back. The job (at least once, retried with backoff) picks the channel, renders the
 * bundled template (templates/compensation/<kind>.md, the customer's language) and sends it through
 * the notify gateway (SMS) or SMTP (email) with the notice's idempotency key; a notice already sent or
 * skipped is left alone, so a second run sends nothing.
 *
 * Channels: the customer's preferred one (email only when SMTP is configured), else the other. These are
 * service messages about the customer's own claim, so a `marketing` opt-out does not stop them; a
 * channel the customer opted out of is never used (the other is, else the notice is `skipped:
 * opted_out` and staff see it on the claim).
 *
 * Quiet hours: an SMS notice whose job runs inside the firm's quiet hours (the campaigns' rule and
 * window, DEFAULT_QUIET_HOURS: 22:00–08:00 Asia/Shanghai) waits, `queued` with reason `quiet_hours`,
 * until the window ends — the job is put off to then (not a failed attempt) and the notice's `dueAt`
 * shows when; email goes at any time, as campaigns send it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_QUIET_HOURS } from '../../../shared/campaign-schemas.js';
import { renderTemplate } from '../../../shared/template.js';
import { bundledPath } from '../../platform/bundled.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import type { Clock } from '../../platform/ids.js';
import { type Job, JobDeferred, type JobRunner } from '../../platform/jobs/job-runner.js';
import { inQuietHours, quietHoursEnd } from '../campaign/index.js';
import { parseTemplate } from '../statement/index.js';
import { claimById } from './claim.repository.js';
import { basisText, beijingMinute, type CustomerLang, goodwillText, moneyText } from './customer-words.js';
import { type EventRow, eventById } from './event.repository.js';
import { insertNotices, noticeById, noticesOfClaim, type NoticeRow, updateNotice } from './notice.repository.js';

export const NOTICE_JOB = 'compensation.notice';
export const NOTICE_KINDS = ['offer', 'accept_receipt', 'paid'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
const KIND_OF_EVENT: Record<string, NoticeKind> = { offer: 'offer', accept: 'accept_receipt', paid: 'paid' };

/** What the notices need of a customer (the customer module's `contactsOf`: clear values, never logged). */
export interface NoticeContact {
  id: string;
  name: string;
  language: 'zh-CN' | 'en';
  channel: string | null;
  optOuts: string[];
  phone: string | null;
  email: string | null;
}

export type SendAnswer = { ok: true; id: string } | { ok: false; retry: boolean; reason: string };

/** Sends one message to a customer (the notify gateway for SMS, SMTP for email). */
export interface CustomerSender {
  /** Whether email can be sent (SMTP configured). */
  readonly email: boolean;
  /** Whether SMS can be sent (the notify gateway configured). */
  readonly sms: boolean;
  send(
    msg: { channel: 'sms' | 'email'; to: string; subject: string; text: string; language: CustomerLang },
    idempotencyKey: string,
  ): Promise<SendAnswer>;
}

export interface NoticeDeps {
  store: Store;
  clock: Clock;
  jobs: Pick<JobRunner, 'register' | 'enqueue'>;
  contacts(db: Db, customerIds: string[]): Promise<NoticeContact[]>;
  sender: CustomerSender;
  /** The portal's page where the customer answers an offer (shown in the offer notice). */
  portalUrl: string;
  /** Template folder (default: the bundled templates/compensation). */
  templatesDir?: string | null;
}

const beijing = beijingMinute;

/** The channel a notice goes by, or why none. */
export function noticeChannel(
  c: NoticeContact,
  can: { sms: boolean; email: boolean },
): { channel: 'sms' | 'email' | null; reason: string | null } {
  const order: ('sms' | 'email')[] = c.channel === 'email' ? ['email', 'sms'] : ['sms', 'email'];
  let optedOut = false;
  for (const ch of order) {
    if (!can[ch]) continue;
    if (c.optOuts.includes(ch)) {
      optedOut = true;
      continue;
    }
    if ((ch === 'sms' ? c.phone : c.email) !== null) return { channel: ch, reason: null };
  }
  return { channel: null, reason: optedOut ? 'opted_out' : can.sms || can.email ? 'no_contact' : 'no_gateway' };
}

export function createNotices(deps: NoticeDeps) {
  const { store, clock, jobs, sender } = deps;
  const dir = deps.templatesDir === undefined ? bundledPath('templates', 'compensation') : deps.templatesDir;
  const templates = new Map<NoticeKind, ReturnType<typeof parseTemplate>>();
  const template = (kind: NoticeKind) => {
    let t = templates.get(kind);
    if (!t) {
      if (!dir) throw new Error('the compensation notice templates are missing (templates/compensation)');
      t = parseTemplate(fs.readFileSync(path.join(dir, `${kind}.md`), 'utf8'));
      templates.set(kind, t);
    }
    return t;
  };

  /** The notice's subject and text in `lang`. */
  async function render(db: Db, n: NoticeRow, c: NoticeContact, lang: CustomerLang) {
    const [event, claim] = await Promise.all([eventById(db, n.id), claimById(db, n.claim_id)]);
    if (!event || !claim) throw new Error(`notice ${n.id}: its claim event is gone`);
    const amount = event.amount_minor ?? claim.amount_minor;
    const gesture = goodwillText(claim.goodwill_kind, claim.goodwill_minor, lang);
    const values = {
      name: c.name,
      ref: claim.ref,
      amount: moneyText(Number(amount), lang),
      basis: basisText(claim.basis, lang),
      goodwill_line: gesture ? (lang === 'en' ? `We add ${gesture}. ` : `另附：${gesture}。`) : '',
      portal_url: deps.portalUrl,
      accepted_at: beijing(claim.accepted_at ?? event.created_at),
      paid_at: beijing(claim.paid_at ?? event.created_at),
    };
    const t = template(n.kind as NoticeKind);
    const key = lang === 'en' ? 'en' : 'zh';
    return { subject: renderTemplate(t.title[key], values), text: renderTemplate(t.body[key], values) };
  }

  async function deliver(job: Job<{ noticeId: string }>): Promise<void> {
    const n = await noticeById(store.db, job.payload.noticeId);
    if (!n || n.state === 'sent' || n.state === 'skipped') return;
    const [c] = await deps.contacts(store.db, [n.customer_id]);
    const now = clock.now();
    const pick = c ? noticeChannel(c, sender) : { channel: null, reason: 'no_contact' };
    if (!c || !pick.channel) {
      await updateNotice(store.db, n.id, { state: 'skipped', reason: pick.reason, updated_at: now });
      return;
    }
    if (pick.channel === 'sms' && inQuietHours(DEFAULT_QUIET_HOURS, now)) {
      // Stays queued; the job runs again when the window ends (the channel is picked afresh then).
      if (n.reason !== 'quiet_hours') await updateNotice(store.db, n.id, { reason: 'quiet_hours', updated_at: now });
      throw new JobDeferred(quietHoursEnd(DEFAULT_QUIET_HOURS, now));
    }
    const lang: CustomerLang = c.language === 'en' ? 'en' : 'zh-CN';
    const msg = await render(store.db, n, c, lang);
    const to = pick.channel === 'sms' ? c.phone! : c.email!;
    const a = await sender.send({ channel: pick.channel, to, language: lang, ...msg }, `compensation-notice:${n.id}`);
    const base = { channel: pick.channel, language: lang, attempts: n.attempts + 1, updated_at: clock.now() };
    if (a.ok) {
      await updateNotice(store.db, n.id, {
        ...base,
        state: 'sent',
        gateway_id: a.id || null,
        reason: null,
        sent_at: clock.now(),
      });
      return;
    }
    const last = !a.retry || job.attempts >= job.maxAttempts;
    await updateNotice(store.db, n.id, { ...base, state: last ? 'failed' : 'queued', reason: a.reason.slice(0, 200) });
    // A failure worth retrying fails the job's attempt: the runner tries again with backoff.
    if (!last) throw new Error(`notice not sent: ${a.reason}`);
  }

  jobs.register<{ noticeId: string }>(NOTICE_JOB, deliver);

  return {
    /** Queues the notices of these claim events (offer, accept, paid) in the events' transaction. */
    async queue(tx: Db, events: readonly EventRow[]): Promise<void> {
      const now = clock.now();
      const rows: NoticeRow[] = events.flatMap((e) => {
        const kind = KIND_OF_EVENT[e.kind];
        return kind
          ? [
              {
                id: e.id,
                claim_id: e.claim_id,
                customer_id: e.customer_id,
                kind,
                state: 'queued',
                channel: null,
                language: null,
                reason: null,
                gateway_id: null,
                attempts: 0,
                created_at: now,
                sent_at: null,
                updated_at: now,
              },
            ]
          : [];
      });
      if (rows.length === 0) return;
      await insertNotices(tx, rows);
      for (const r of rows) await jobs.enqueue(tx, { kind: NOTICE_JOB, payload: { noticeId: r.id }, key: r.id });
    },

    /** A claim's notices, oldest first (what was sent, by which channel and language, or why not). */
    async ofClaim(db: Db, claimId: string) {
      return (await noticesOfClaim(db, claimId, NOTICE_JOB)).map((n) => ({
        id: n.id,
        kind: n.kind as NoticeKind,
        state: n.state as 'queued' | 'sent' | 'skipped' | 'failed',
        channel: n.channel as 'sms' | 'email' | null,
        language: n.language as CustomerLang | null,
        reason: n.reason,
        attempts: n.attempts,
        createdAt: new Date(n.created_at).toISOString(),
        sentAt: n.sent_at === null ? null : new Date(n.sent_at).toISOString(),
        dueAt: n.state === 'queued' && n.due_at !== null ? new Date(Number(n.due_at)).toISOString() : null,
      }));
    },
  };
}
