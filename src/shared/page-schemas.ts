/** Pages (paging with escalation) and staff contact routes, as the API and the stream carry them. */
import { z } from 'zod';

export const PAGE_STATUSES = ['open', 'acknowledged', 'exhausted'] as const;
export const DELIVERY_STATES = ['pending', 'sent', 'failed', 'skipped'] as const;
/** Why a step reached nobody (no one on call), or a recipient could not be reached (no route, every route failed for good). */
export const PAGE_PROBLEM_REASONS = ['nobody_on_call', 'no_contact_route', 'all_routes_failed'] as const;

export const PageDelivery = z.object({
  id: z.string(),
  step: z.int(),
  level: z.int(),
  round: z.int(),
  userId: z.string(),
  userName: z.string().nullable(),
  channel: z.string(),
  state: z.enum(DELIVERY_STATES),
  detail: z.string().nullable(),
  at: z.string(),
});

export const PageProblem = z.object({
  userId: z.string(),
  userName: z.string().nullable(),
  step: z.int(),
  reason: z.enum(PAGE_PROBLEM_REASONS),
  detail: z.string().nullable(),
  at: z.string(),
});
export type PageProblem = z.infer<typeof PageProblem>;

export const Page = z.object({
  id: z.string(),
  incidentKey: z.string(),
  reason: z.string(),
  policyId: z.string().nullable(),
  policyName: z.string(),
  status: z.enum(PAGE_STATUSES),
  pagedAt: z.string(),
  /** Steps of the escalation plan sent so far (1: the first level only). */
  stepsSent: z.int(),
  /** Steps in the whole plan (levels × (repeat + 1)). */
  stepsTotal: z.int(),
  nextEscalationAt: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  deliveries: z.array(PageDelivery),
  problems: z.array(PageProblem),
});
export type Page = z.infer<typeof Page>;

export const PageList = z.object({ items: z.array(Page) });

export const ContactRoute = z.strictObject({
  /** The name of a staff channel connector (email, WeCom, SMS ...). */
  channel: z
    .string()
    .min(1)
    .max(63)
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'a connector name: lower-case letters, digits and hyphens'),
  /** The recipient's address on it: an email address, a phone number (E.164), or empty for group robots. */
  address: z.string().max(320),
});
export type ContactRoute = z.infer<typeof ContactRoute>;

/** A user's contact routes, tried in this order for each page. */
export const ContactRoutes = z.strictObject({ routes: z.array(ContactRoute).max(10) });
export type ContactRoutes = z.infer<typeof ContactRoutes>;
