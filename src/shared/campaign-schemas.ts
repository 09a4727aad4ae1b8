/**
 * Targeted notification campaigns (issue 12): an approved `customer_notice` statement sent to an
 * audience of customers over their channels, with quiet hours, throttles and priority tiers; the
 * messages (one per customer and channel) and their states. See docs/campaigns.md.
 */
import { z } from 'zod';
import { isoTime, nullableIso } from './api-schemas.js';
import { label } from './text.js';

export const CAMPAIGN_CHANNELS = ['sms', 'email', 'push'] as const;
export type CampaignChannel = (typeof CAMPAIGN_CHANNELS)[number];
export const CAMPAIGN_STATES = ['draft', 'fanning_out', 'running', 'paused', 'done', 'cancelled'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];
export const MESSAGE_STATES = ['queued', 'sending', 'sent', 'delivered', 'failed', 'bounced', 'skipped'] as const;
/**
 * What the per-customer message list shows and filters by: the state as a person reads it — `queued`
 * covers queued and sending; a message skipped because the customer opted out is `opted_out`, any
 * other skip (no contact, campaign cancelled) `skipped`.
 */
export const MESSAGE_STATUSES = ['queued', 'sent', 'delivered', 'failed', 'bounced', 'opted_out', 'skipped'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

const shortText = (max: number) => z.string().trim().min(1).max(max);

/** Who receives the campaign. `set`: an affected-customer set (scoping module), its latest version unless given. */
export const CampaignAudience = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('customers'), customerNos: z.array(shortText(64)).min(1).max(50_000) }),
  z.strictObject({
    kind: z.literal('segment'),
    branches: z.array(shortText(100)).max(200).optional(),
    tiers: z.array(shortText(50)).max(50).optional(),
  }),
  z.strictObject({
    kind: z.literal('set'),
    setId: shortText(64),
    version: z.number().int().min(1).optional(),
  }),
]);
export type CampaignAudience = z.infer<typeof CampaignAudience>;

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day such as 22:00');
export const QuietHours = z.strictObject({
  start: clock,
  end: clock,
  timeZone: z.string().min(1).max(64).default('Asia/Shanghai'),
});
export type QuietHours = z.infer<typeof QuietHours>;
/**
 * The firm's quiet hours: a campaign's default (its `quietHours`), and the window in which compensation
 * notices by SMS wait (docs/compensation-claims.md, "Notices").
 */
export const DEFAULT_QUIET_HOURS: QuietHours = { start: '22:00', end: '08:00', timeZone: 'Asia/Shanghai' };

export const CampaignThrottle = z.strictObject({
  sms: z.number().int().min(1).max(100_000).optional(),
  email: z.number().int().min(1).max(100_000).optional(),
  push: z.number().int().min(1).max(100_000).optional(),
});
export type CampaignThrottle = z.infer<typeof CampaignThrottle>;

export const CampaignCreate = z.strictObject({
  name: label(200),
  statementId: shortText(64),
  audience: CampaignAudience,
  channels: z
    .array(z.enum(CAMPAIGN_CHANNELS))
    .min(1)
    .max(3)
    .refine((c) => new Set(c).size === c.length, 'each channel once')
    .default(['sms', 'email']),
  /** A service notice: sent despite a `marketing` opt-out (never despite a channel's opt-out). */
  mandatory: z.boolean().default(true),
  /** With `mandatory`: SMS and push go out during quiet hours too. */
  urgent: z.boolean().default(false),
  quietHours: QuietHours.nullable().default(DEFAULT_QUIET_HOURS),
  throttle: CampaignThrottle.default({ sms: 100, email: 50, push: 200 }),
  priorityTiers: z.array(shortText(50)).max(10).default(['vip']),
});
export type CampaignCreate = z.infer<typeof CampaignCreate>;

const Counts = z.record(z.string(), z.number().int());

export const Campaign = z.object({
  id: z.string(),
  incidentKey: z.string(),
  name: z.string(),
  statementId: z.string(),
  audience: CampaignAudience,
  channels: z.array(z.enum(CAMPAIGN_CHANNELS)),
  mandatory: z.boolean(),
  urgent: z.boolean(),
  quietHours: QuietHours.nullable(),
  throttle: CampaignThrottle,
  priorityTiers: z.array(z.string()),
  state: z.enum(CAMPAIGN_STATES),
  /** Messages written by the fan-out so far. */
  messageCount: z.number().int(),
  fanoutDone: z.boolean(),
  createdAt: isoTime,
  launchedAt: nullableIso,
  finishedAt: nullableIso,
});
export type Campaign = z.infer<typeof Campaign>;

export const CampaignList = z.object({ items: z.array(Campaign) });

/** One customer's message as it would be sent. */
export const CampaignPreviewQuery = z.strictObject({ customerNo: shortText(64) });
export const CampaignPreview = z.object({
  customerNo: z.string(),
  channel: z.enum([...CAMPAIGN_CHANNELS, 'none']),
  language: z.enum(['zh-CN', 'en']),
  /** The email's subject line; null for SMS and push, whose one text starts with the title. */
  subject: z.string().nullable(),
  text: z.string(),
  /** Set when the customer would be skipped (opted out, no contact). */
  skipReason: z.string().nullable(),
});
export type CampaignPreview = z.infer<typeof CampaignPreview>;

/** The customer of a message as lists show customers elsewhere: number, name, contacts masked. */
export const MessageCustomer = z.object({
  customerNo: z.string(),
  name: z.string(),
  phoneMasked: z.string().nullable(),
  emailMasked: z.string().nullable(),
});

export const CampaignMessage = z.object({
  id: z.string(),
  customerId: z.string(),
  /** Null when the customer no longer exists. */
  customer: MessageCustomer.nullable(),
  channel: z.string(),
  language: z.string(),
  state: z.enum(MESSAGE_STATES),
  status: z.enum(MESSAGE_STATUSES),
  reason: z.string().nullable(),
  /** Why the last attempt failed (a queued message waiting for its retry, failed, bounced); else null. */
  lastError: z.string().nullable(),
  attempts: z.number().int(),
  gatewayId: z.string().nullable(),
  sentAt: nullableIso,
  deliveredAt: nullableIso,
  updatedAt: isoTime,
});
export type CampaignMessage = z.infer<typeof CampaignMessage>;

export const CampaignMessagesQuery = z.strictObject({
  state: z.enum(MESSAGE_STATES).optional(),
  status: z.enum(MESSAGE_STATUSES).optional(),
  channel: z.enum(CAMPAIGN_CHANNELS).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const CampaignMessagePage = z.object({
  items: z.array(CampaignMessage),
  next: z.string().nullable(),
  /** Messages per channel and state: { sms: { queued: 10, sent: 3 }, ... }, and `total` per state. */
  counts: z.record(z.string(), Counts),
});
export type CampaignMessagePage = z.infer<typeof CampaignMessagePage>;

/** A delivery receipt from the notify gateway (docs/campaigns.md, "Gateway contract"). */
export const CampaignReceipt = z.object({
  id: z.string().min(1).max(200),
  idempotencyKey: z.string().min(1).max(300),
  status: z.enum(['delivered', 'failed', 'bounced']),
  at: isoTime,
});
export type CampaignReceipt = z.infer<typeof CampaignReceipt>;
