/** Subscriptions to the public status site (issue 11): the public subscribe form and the staff API. */
import { z } from 'zod';

export const SUBSCRIBER_KINDS = ['email', 'webhook'] as const;
export const SUBSCRIBER_STATES = ['pending', 'confirmed', 'unsubscribed'] as const;
export const SUBSCRIBER_LANGUAGES = ['zh-CN', 'en'] as const;
export type SubscriberLanguage = (typeof SUBSCRIBER_LANGUAGES)[number];

/** A service key of the status site (the catalog's key). */
const ServiceKey = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a service key (letters, digits, . _ -)');
/** Chosen services; empty: every service. */
const Services = z.array(ServiceKey).max(100).default([]);

/**
 * The public subscribe form (form-urlencoded or JSON). `website` is the honeypot: a hidden field
 * people leave empty and form-filling robots fill in.
 */
export const SubscribeBody = z.strictObject({
  email: z.email().max(254),
  language: z.enum(SUBSCRIBER_LANGUAGES).optional(),
  services: Services,
  website: z.string().max(500).optional(),
});
export type SubscribeBody = z.infer<typeof SubscribeBody>;

/** What a public action answers as JSON (`Accept: application/json`); the same for an address known or not. */
export const PUBLIC_OUTCOMES = [
  'confirmation_sent',
  'confirmed',
  'already_confirmed',
  'confirm_unsubscribe',
  'unsubscribed',
  'invalid',
  'expired',
] as const;
export const PublicSubscriptionResult = z.object({
  outcome: z.enum(PUBLIC_OUTCOMES),
  message: z.string(),
});

export const SubscriberItem = z.object({
  id: z.string(),
  kind: z.enum(SUBSCRIBER_KINDS),
  state: z.enum(SUBSCRIBER_STATES),
  language: z.enum(SUBSCRIBER_LANGUAGES),
  /** Email: `a***@example.com`; webhook: the URL's origin. Never the whole address. */
  masked: z.string(),
  name: z.string().nullable(),
  services: z.array(z.string()),
  createdAt: z.string(),
  confirmedAt: z.string().nullable(),
  unsubscribedAt: z.string().nullable(),
});
export type SubscriberItem = z.infer<typeof SubscriberItem>;

export const SubscriberOverview = z.object({
  counts: z.object({
    byState: z.record(z.string(), z.int()),
    byLanguage: z.record(z.string(), z.int()),
    byKind: z.record(z.string(), z.int()),
    /** Confirmed subscribers per chosen service key; `*`: those who chose every service. */
    byService: z.record(z.string(), z.int()),
  }),
  items: z.array(SubscriberItem),
  next: z.string().nullable(),
});

export const SubscriberQuery = z.strictObject({
  state: z.enum(SUBSCRIBER_STATES).optional(),
  kind: z.enum(SUBSCRIBER_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const WebhookCreate = z.strictObject({
  name: z.string().trim().min(1).max(200),
  url: z.url({ protocol: /^https?$/ }).max(2000),
  /** HMAC-SHA256 key of `X-Tocsin-Signature`; at least 16 characters. */
  secret: z.string().min(16).max(500),
  language: z.enum(SUBSCRIBER_LANGUAGES).default('zh-CN'),
  services: Services,
});

export const WebhookUpdate = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  secret: z.string().min(16).max(500).optional(),
  language: z.enum(SUBSCRIBER_LANGUAGES).optional(),
  services: z.array(ServiceKey).max(100).optional(),
});
