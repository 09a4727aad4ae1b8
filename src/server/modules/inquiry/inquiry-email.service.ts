/**
 * Inquiries by email (issue 12, "an inbound address"). `receive(raw)` takes one message the inbound SMTP
 * listener accepted: a Message-ID seen before is a duplicate (nothing changes); a reply — In-Reply-To or
 * References naming mail of an inquiry, or its reference (`Q-XXXX-XXXX`) in the subject — from the same
 * address (keyed hash) is added to that inquiry's thread and reopens it; anything else is a new inquiry
 * of channel `email`, linked to the incident whose key (`INC-YYYY-NNNN`) the subject names, if any, else
 * left to triage, and to the customer the address belongs to (the customer lookup). The address itself
 * is sealed with the contact, never logged nor audited.
 *
 * An answer to an email inquiry is mailed back by the durable job `inquiry.mail_reply` (retried with
 * backoff; a stable Message-ID per answer, so a retry after a lost acknowledgement is the same mail).
 */
import type { Transporter } from 'nodemailer';
import { nodeMailer } from '../../platform/heavy-libs.js';
import type { Db } from '../../platform/db/types.js';
import type { JobRunner } from '../../platform/jobs/job-runner.js';
import type { Actor } from '../audit/index.js';
import { parseInbound } from './inbound-mail.js';
import type { InquiryDeps, IntakeFn } from './inquiry-context.js';
import { contactKey, normalizeReference } from './inquiry-keys.js';
import { incidentIdOfKey, inquiryOfMail, insertMail, mailById, mailOfInquiry } from './inquiry-mail.repository.js';
import {
  type InquiryRow,
  inquiryById,
  inquiryByReference,
  insertMessage,
  messagesOf,
  updateInquiry,
} from './inquiry.repository.js';
import { newId } from '../../platform/ids.js';

export const MAIL_REPLY_JOB = 'inquiry.mail_reply';
const MAIL_ACTOR: Actor = { id: null, label: 'inquiry mail' };
const REFERENCE = /\bQ-?[A-Z0-9]{4}-?[A-Z0-9]{4}\b/i;
const INCIDENT_KEY = /\bINC-\d{4}-\d{4,}\b/;

export interface InquiryMailOptions {
  jobs: JobRunner;
  /** The SMTP server answers go out through (TOCSIN_SMTP_URL; null: the job fails and is retried) and From. */
  mail: { smtpUrl: string | null; from: string };
  /** The domain of the Message-IDs of answers (the public URL's host). */
  messageDomain: string;
}

export type ReceiveOutcome =
  | { outcome: 'created' | 'repeated' | 'reply'; reference: string }
  | { outcome: 'duplicate' | 'ignored'; reference: null };

const answerMessageId = (answerId: string, domain: string) => `answer.${answerId}@${domain}`;

export function createInquiryEmail(deps: InquiryDeps, intake: IntakeFn, opts: InquiryMailOptions) {
  const { store, audit, clock, keys, secretBox, sla } = deps;
  let transport: Transporter | null = null;

  /** The inquiry this mail answers: by its Message-IDs, else the reference in the subject — only the same sender's. */
  async function threadOf(tx: Db, answers: string[], subject: string, hashes: string[]): Promise<InquiryRow | null> {
    const byMail = await inquiryOfMail(tx, answers);
    let row = byMail ? await inquiryById(tx, byMail) : undefined;
    if (!row) {
      const ref = subject.match(REFERENCE)?.[0];
      const reference = ref ? normalizeReference(ref) : null;
      row = reference ? await inquiryByReference(tx, reference) : undefined;
    }
    if (!row || row.status === 'closed' || !row.email_hash || !hashes.includes(row.email_hash)) return null;
    return row;
  }

  async function reply(tx: Db, row: InquiryRow, text: string): Promise<void> {
    const now = clock.now();
    await insertMessage(tx, {
      id: newId(),
      inquiry_id: row.id,
      kind: 'customer',
      body: text,
      author_id: null,
      created_at: now,
    });
    // An answered inquiry is open again, due anew by the email channel's SLA.
    const reopened = row.status === 'answered';
    const status = reopened ? (row.assignee_id ? 'assigned' : 'new') : row.status;
    const set: Partial<InquiryRow> = { status, updated_at: now };
    if (reopened) set.sla_due_at = now + sla.channelHours.email * 3_600_000;
    await updateInquiry(tx, row.id, set);
    await audit.append(tx, MAIL_ACTOR, {
      action: 'inquiry.reply',
      targetType: 'customer_inquiry',
      targetId: row.id,
      before: { reference: row.reference, status: row.status },
      after: { reference: row.reference, status, channel: 'email', chars: text.length },
      incidents: row.incident_id ? [row.incident_id] : undefined,
    });
  }

  async function send(job: { payload: { inquiryId: string; answerId: string } }): Promise<void> {
    const { inquiryId, answerId } = job.payload;
    const messageId = answerMessageId(answerId, opts.messageDomain);
    if (await mailById(store.db, messageId)) return; // sent and recorded already
    const row = await inquiryById(store.db, inquiryId);
    const answer = row && (await messagesOf(store.db, inquiryId)).find((m) => m.id === answerId);
    if (!row || !answer) return;
    const contact = secretBox.open<{ name: string; email?: string }>(row.contact_sealed, row.id);
    if (!contact.email) return;
    if (!opts.mail.smtpUrl) throw new Error('no SMTP server to mail answers through (TOCSIN_SMTP_URL)');
    const mailLib = await nodeMailer();
    transport ??= mailLib.createTransport(opts.mail.smtpUrl);
    const thread = await mailOfInquiry(store.db, inquiryId);
    const inbound = thread.filter((m) => m.direction === 'in').map((m) => `<${m.message_id}>`);
    const en = row.language === 'en';
    const topic = row.question.split('\n')[0]!.slice(0, 80);
    await transport.sendMail({
      from: opts.mail.from,
      to: contact.email,
      subject: `${en ? 'Re' : '回复'}: ${topic} [${row.reference}]`,
      text: `${answer.body}\n\n${en ? 'Reference' : '咨询编号'}: ${row.reference}\n`,
      messageId: `<${messageId}>`,
      inReplyTo: inbound.at(-1),
      references: thread.map((m) => `<${m.message_id}>`),
      headers: { 'Content-Language': row.language, 'Auto-Submitted': 'auto-replied' },
    });
    await store.transaction(async (tx) => {
      if (
        !(await insertMail(tx, {
          message_id: messageId,
          inquiry_id: row.id,
          direction: 'out',
          created_at: clock.now(),
        }))
      )
        return;
      await audit.append(tx, MAIL_ACTOR, {
        action: 'inquiry.mail_reply',
        targetType: 'customer_inquiry',
        targetId: row.id,
        after: { reference: row.reference, contact: row.contact_masked, answerId },
        incidents: row.incident_id ? [row.incident_id] : undefined,
      });
    });
  }
  opts.jobs.register(MAIL_REPLY_JOB, send);

  return {
    /** Enqueues the mail of an answer in the caller's transaction (email inquiries only). */
    async mailAnswer(tx: Db, row: InquiryRow, answerId: string): Promise<void> {
      if (row.channel !== 'email') return;
      await opts.jobs.enqueue(tx, {
        kind: MAIL_REPLY_JOB,
        payload: { inquiryId: row.id, answerId },
        key: answerId,
        maxAttempts: 8,
      });
    },

    /** One message the inbound listener accepted (raw RFC 5322 bytes). */
    async receive(raw: Buffer): Promise<ReceiveOutcome> {
      const mail = await parseInbound(raw);
      const emailKey = mail.from ? contactKey(mail.from.address) : null;
      const text = mail.text || mail.subject;
      if (!mail.from || !emailKey?.startsWith('e:') || !text) return { outcome: 'ignored', reference: null };
      const from = mail.from;
      const hashes = keys.hashes(emailKey);
      return store.transaction(async (tx): Promise<ReceiveOutcome> => {
        if (mail.messageId && (await mailById(tx, mail.messageId))) return { outcome: 'duplicate', reference: null };
        // The same message delivered twice at once: the second rolls back (the listener answers 451) and,
        // tried again, is a duplicate.
        const record = async (inquiryId: string) => {
          if (!mail.messageId) return;
          const fresh = await insertMail(tx, {
            message_id: mail.messageId,
            inquiry_id: inquiryId,
            direction: 'in',
            created_at: clock.now(),
          });
          if (!fresh) throw new Error('the same message is being recorded by another delivery');
        };
        const thread = await threadOf(tx, mail.answers, mail.subject, hashes);
        if (thread) {
          await reply(tx, thread, text);
          await record(thread.id);
          return { outcome: 'reply', reference: thread.reference };
        }
        const key = mail.subject.match(INCIDENT_KEY)?.[0];
        const incidentId = key ? await incidentIdOfKey(tx, key) : null;
        const subject = mail.subject.replace(REFERENCE, '').replace(/\s+/g, ' ').trim();
        const question = subject && mail.text && !mail.text.startsWith(subject) ? `${subject}\n\n${mail.text}` : text;
        const { row, repeated } = await intake(tx, MAIL_ACTOR, {
          channel: 'email',
          incidentId,
          name: (from.name || from.address.split('@')[0]!).slice(0, 120),
          email: from.address,
          question,
          language: mail.language,
          createdBy: null,
        });
        await record(row.id);
        return { outcome: repeated ? 'repeated' : 'created', reference: row.reference };
      });
    },

    close(): void {
      transport?.close();
      transport = null;
    },
  };
}
