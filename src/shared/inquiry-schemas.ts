/**
 * Customer inquiries (issue 12): questions from the public help portal, the call centre and staff, the
 * staff inbox (assign, answer, notes, close), and one satisfaction survey (CSAT 1–5) per inquiry.
 */
import { z } from 'zod';
import { isoTime, nullableIso } from './api-schemas.js';
import { label } from './text.js';

export const INQUIRY_CHANNELS = ['portal', 'email', 'call_centre', 'staff'] as const;
export type InquiryChannel = (typeof INQUIRY_CHANNELS)[number];
export const CUSTOMER_INQUIRY_STATUSES = ['new', 'assigned', 'answered', 'closed'] as const;
export const INQUIRY_SENTIMENTS = ['negative', 'neutral', 'positive'] as const;
export type InquirySentiment = (typeof INQUIRY_SENTIMENTS)[number];
export const INQUIRY_LANGUAGES = ['zh-CN', 'en'] as const;
export type InquiryLanguage = (typeof INQUIRY_LANGUAGES)[number];
/** The topic tags the keyword rules assign (zh and en keywords). */
export const INQUIRY_TOPICS = [
  'login',
  'funds',
  'order',
  'compensation',
  'leak',
  'market_data',
  'app',
  'fees',
  /** Someone else got into the customer's account ("账户被盗", "account hacked"). */
  'account_takeover',
] as const;
export type InquiryTopic = (typeof INQUIRY_TOPICS)[number];
export const MESSAGE_KINDS = ['customer', 'note', 'answer'] as const;

const phone = z
  .string()
  .trim()
  .max(32)
  .regex(/^\+?[0-9 ()-]{5,}$/, 'a phone number');
const email = z.email().max(320);

/** What the portal form and the call-centre API share: who asks (phone or email needed) and what. */
const Asking = {
  name: label(100),
  phone: phone.optional(),
  email: email.optional(),
  question: z.string().trim().min(1).max(4000),
  language: z.enum(INQUIRY_LANGUAGES).default('zh-CN'),
};
const needsContact = (v: { phone?: string; email?: string }) => Boolean(v.phone || v.email);
const contactIssue = { message: 'a phone number or an email address is needed', path: ['phone'] };

/** The public portal's form (after the form's fields are read). `incident`: an incident id or empty for "other". */
export const PortalAsk = z
  .strictObject({
    ...Asking,
    incident: z.string().max(64).optional(),
    /** Honeypot: people leave it empty. */
    website: z.string().max(200).optional(),
  })
  .refine(needsContact, contactIssue);
export type PortalAsk = z.infer<typeof PortalAsk>;

/** `POST /api/v1/inquiries`: the call centre (token) or a staff member logs a customer's question. */
export const InquiryCreate = z
  .strictObject({
    ...Asking,
    channel: z.enum(['call_centre', 'staff']).default('call_centre'),
    /** An incident key (INC-YYYY-NNNN), or null: a general question. */
    incidentKey: z
      .string()
      .regex(/^INC-\d{4}-\d{4,}$/)
      .nullable()
      .default(null),
  })
  .refine(needsContact, contactIssue);
export type InquiryCreate = z.infer<typeof InquiryCreate>;

export const InquiryMessage = z.object({
  id: z.string(),
  kind: z.enum(MESSAGE_KINDS),
  authorName: z.string().nullable(),
  body: z.string(),
  at: isoTime,
});

export const CustomerInquiry = z.object({
  id: z.string(),
  reference: z.string(),
  incidentKey: z.string().nullable(),
  channel: z.enum(INQUIRY_CHANNELS),
  customerId: z.string().nullable(),
  /** The linked customer's number (客户号), when the customer module knows them. */
  customerNo: z.string().nullable(),
  /** Masked: `张* · 138****5678 · a***@example.com`. */
  contact: z.string(),
  language: z.enum(INQUIRY_LANGUAGES),
  question: z.string(),
  topics: z.array(z.string()),
  sentiment: z.enum(INQUIRY_SENTIMENTS),
  status: z.enum(CUSTOMER_INQUIRY_STATUSES),
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  answer: z.string().nullable(),
  answeredAt: nullableIso,
  slaDueAt: isoTime,
  /** Not answered or closed and past its SLA. */
  overdue: z.boolean(),
  /** How many times the same person asked the same question (deduplicated). */
  askedCount: z.number().int(),
  /** Overdue and escalated: when, and to whom (the customer's owner, or whom the assignment rules picked). */
  escalation: z.object({ at: isoTime, to: z.object({ id: z.string(), name: z.string() }) }).nullable(),
  rating: z.number().int().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type CustomerInquiry = z.infer<typeof CustomerInquiry>;

export const CustomerInquiryDetail = CustomerInquiry.extend({ messages: z.array(InquiryMessage) });
export type CustomerInquiryDetail = z.infer<typeof CustomerInquiryDetail>;

export const CustomerInquiryList = z.object({ items: z.array(CustomerInquiry), next: z.string().nullable() });

export const InquiryQuery = z.strictObject({
  status: z.enum(CUSTOMER_INQUIRY_STATUSES).optional(),
  incident: z
    .string()
    .regex(/^(INC-\d{4}-\d{4,}|none)$/)
    .optional(),
  /** A user id, or `none`: unassigned. */
  assignee: z.string().max(64).optional(),
  overdue: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type InquiryQuery = z.infer<typeof InquiryQuery>;

export const InquiryAssign = z.strictObject({ assigneeId: z.string().max(64).nullable() });
export const InquiryAnswer = z
  .strictObject({
    text: z.string().trim().max(10_000).optional(),
    /** A published FAQ entry of the inquiry's incident whose answer is sent as canned text. */
    faqId: z.string().max(64).optional(),
  })
  .refine((v) => Boolean(v.text) !== Boolean(v.faqId), { message: 'give either text or faqId', path: ['text'] });
export type InquiryAnswer = z.infer<typeof InquiryAnswer>;
export const InquiryNote = z.strictObject({ body: z.string().trim().min(1).max(10_000) });

export const InquiryStats = z.object({
  incidentKey: z.string(),
  total: z.number().int(),
  open: z.number().int(),
  /** Open past their SLA now, plus answered after it. */
  slaBreaches: z.number().int(),
  /** Per hour of the last 24 hours (oldest first): the hour's start and the count. */
  perHour: z.array(z.object({ hour: isoTime, count: z.number().int() })),
  csat: z.object({ average: z.number().nullable(), responses: z.number().int() }),
  topTopics: z.array(z.object({ topic: z.string(), count: z.number().int() })),
  negative: z.number().int(),
});
export type InquiryStats = z.infer<typeof InquiryStats>;

/** The canned answers the inbox offers for an inquiry: the published FAQ of its incident. */
export const CannedAnswerList = z.object({
  items: z.array(z.object({ id: z.string(), question: z.string(), answer: z.string() })),
});
