/**
 * What the portal and the inbox share: dependencies, the ports compose gives (customer lookup, the
 * ongoing incidents and their published FAQ), the SLA policy, and the intake of a new question
 * (dedupe, tags, sentiment, sealed contact, audit).
 */
import { createHash } from 'node:crypto';
import type { InquiryChannel, InquiryLanguage } from '../../../shared/inquiry-schemas.js';
import type { Bilingual } from '../../../shared/status-site.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { newId, type Clock } from '../../platform/ids.js';
import type { SecretBox } from '../../platform/secret-box.js';
import type { Actor, AuditService } from '../audit/index.js';
import type { IncidentService } from '../incident/index.js';
import type { UserService } from '../user/index.js';
import { contactKey, type InquiryKeys, maskContact, newReference } from './inquiry-keys.js';
import { sentimentOf, topicsOf } from './inquiry-topics.js';
import {
  bumpAsked,
  findDuplicate,
  type InquiryRow,
  inquiryByReference,
  insertInquiry,
  insertMessage,
} from './inquiry.repository.js';

/** The customer module's lookup (wired at merge); the default knows nobody. */
export interface CustomerLookup {
  /** In the caller's transaction `db` (SQLite has one writer: another connection would wait for it). */
  findByContact(
    c: { phone?: string; email?: string },
    db: Db,
  ): Promise<{
    id: string;
    customerNo: string;
    name: string;
    language: string;
    /** The firm's tier (vip, gold, ...), when the lookup knows it: tighter SLAs. */
    tier?: string | null;
  } | null>;
  /** Customer numbers of the customers inquiries are linked to, for the inbox (absent: none shown). */
  numbersOf?(ids: string[], db: Db): Promise<Map<string, string>>;
}
export const NO_CUSTOMERS: CustomerLookup = { findByContact: async () => null };

/** A published FAQ entry (answer as sanitized HTML). */
export interface PortalFaq {
  id: string;
  question: Bilingual;
  answer: Bilingual;
}
/** The incidents customers may ask about: ongoing ones with a published announcement, and their FAQ. */
export interface PortalTopics {
  ongoing(): Promise<{ incidentId: string; title: Bilingual; faq: PortalFaq[] }[]>;
  /** The published FAQ of one incident (canned answers), in the caller's transaction when given one. */
  faqOf(db: Db, incidentId: string): Promise<PortalFaq[]>;
}

/** Hours to answer by channel, and tighter by customer tier (the smaller wins). */
export interface InquirySla {
  channelHours: Record<InquiryChannel, number>;
  tierHours: Record<string, number>;
}
export const DEFAULT_SLA: InquirySla = {
  channelHours: { portal: 4, email: 8, call_centre: 2, staff: 4 },
  tierHours: { vip: 1, gold: 2 },
};
/** The same contact asking the same question about the same incident within this time is one inquiry. */
export const DEDUPE_WINDOW_MS = 24 * 3_600_000;

/** The owner module's escalation of an overdue inquiry, in the caller's transaction (wired in compose). */
export interface InquiryEscalationPort {
  escalateInquiry(
    tx: Db,
    q: { inquiryId: string; reference: string; incidentId: string | null; customerId: string | null },
  ): Promise<{ ownerId: string; pageId: string | null; publish: () => void } | null>;
  /** A new portal question of a known customer to their owner (paged); null when they have none. */
  routeInquiry?(
    tx: Db,
    q: { inquiryId: string; reference: string; incidentId: string | null; customerId: string },
  ): Promise<{ ownerId: string; pageId: string | null; publish: () => void } | null>;
}

export interface InquiryDeps {
  store: Store;
  audit: AuditService;
  clock: Clock;
  secretBox: SecretBox;
  keys: InquiryKeys;
  users: UserService;
  incidents: IncidentService;
  customers: CustomerLookup;
  topics: PortalTopics;
  sla: InquirySla;
  /** Where overdue inquiries go (absent: they stay overdue in the inbox, nobody is told). */
  escalation?: InquiryEscalationPort;
}

export interface Intake {
  channel: InquiryChannel;
  incidentId: string | null;
  name: string;
  phone?: string;
  email?: string;
  question: string;
  language: InquiryLanguage;
  createdBy: string | null;
}

/** The inquiry as the audit log keeps it: contact masked. */
export const audited = (r: InquiryRow) => ({
  reference: r.reference,
  channel: r.channel,
  contact: r.contact_masked,
  status: r.status,
  assigneeId: r.assignee_id,
  answer: r.answer_text,
  askedCount: r.asked_count,
});

const normalizeQuestion = (q: string) => q.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

export function createIntake(deps: InquiryDeps) {
  const { audit, clock, secretBox, keys, customers, sla } = deps;

  return async function intake(tx: Db, actor: Actor, input: Intake): Promise<{ row: InquiryRow; repeated: boolean }> {
    const now = clock.now();
    const phoneKey = input.phone ? contactKey(input.phone) : null;
    const emailKey = input.email ? contactKey(input.email) : null;
    const who = createHash('sha256')
      .update([phoneKey ?? '', emailKey ?? '', input.incidentId ?? '', normalizeQuestion(input.question)].join('\n'))
      .digest('hex');
    const dedupeKey = keys.hashes(who)[0]!;
    const dup = await findDuplicate(tx, dedupeKey, now - DEDUPE_WINDOW_MS);
    if (dup) {
      await bumpAsked(tx, dup.id, now);
      const row = { ...dup, asked_count: dup.asked_count + 1, updated_at: now };
      await audit.append(tx, actor, {
        action: 'inquiry.repeat',
        targetType: 'customer_inquiry',
        targetId: dup.id,
        after: { reference: dup.reference, askedCount: row.asked_count },
        incidents: dup.incident_id ? [dup.incident_id] : undefined,
      });
      return { row, repeated: true };
    }
    const customer = await customers.findByContact({ phone: input.phone, email: input.email }, tx);
    const hours = Math.min(
      sla.channelHours[input.channel],
      (customer?.tier && sla.tierHours[customer.tier]) || Number.POSITIVE_INFINITY,
    );
    let reference = newReference();
    while (await inquiryByReference(tx, reference)) reference = newReference();
    const id = newId();
    const contact = { name: input.name, phone: input.phone, email: input.email };
    const row: InquiryRow = {
      id,
      reference,
      incident_id: input.incidentId,
      channel: input.channel,
      customer_id: customer?.id ?? null,
      contact_sealed: secretBox.seal(contact, id),
      phone_hash: phoneKey ? keys.hashes(phoneKey)[0]! : null,
      email_hash: emailKey ? keys.hashes(emailKey)[0]! : null,
      contact_masked: maskContact(contact),
      language: input.language,
      question: input.question,
      topics: JSON.stringify(topicsOf(input.question)),
      sentiment: sentimentOf(input.question),
      status: 'new',
      assignee_id: null,
      answer_text: null,
      answered_by: null,
      answered_at: null,
      sla_due_at: now + hours * 3_600_000,
      dedupe_key: dedupeKey,
      asked_count: 1,
      created_by: input.createdBy,
      created_at: now,
      updated_at: now,
      closed_at: null,
      escalated_at: null,
      escalated_to: null,
    };
    await insertInquiry(tx, row);
    await insertMessage(tx, {
      id: newId(),
      inquiry_id: id,
      kind: 'customer',
      author_id: null,
      body: input.question,
      created_at: now,
    });
    await audit.append(tx, actor, {
      action: 'inquiry.create',
      targetType: 'customer_inquiry',
      targetId: id,
      after: audited(row),
      incidents: row.incident_id ? [row.incident_id] : undefined,
    });
    return { row, repeated: false };
  };
}

export type IntakeFn = ReturnType<typeof createIntake>;
