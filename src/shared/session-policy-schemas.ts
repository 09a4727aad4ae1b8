/**
 * The session policy (issue 17) as `GET/PUT /api/v1/settings/session-policy` carry it: idle and absolute
 * timeouts, one session or many, IP allow-lists for console sessions and API tokens, the longest lifetime
 * of a new API token. Defaults are the behaviour before the policy existed (docs/session-policy.md).
 */
import { z } from 'zod';
import { nullableIso } from './api-schemas.js';

/** An IPv4/IPv6 address or CIDR block; checked precisely (ipaddr.js) by the server, which names the bad entry. */
export const AllowListEntry = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[0-9a-fA-F:.]+(\/\d{1,3})?$/, 'an IP address or a CIDR block such as 203.0.113.0/24 or 2001:db8::/32');

export const SessionPolicy = z.strictObject({
  /** A session unused this long ends; null: no idle timeout. Checked to the minute (last use is noted once a minute). */
  idleTimeoutMinutes: z
    .number()
    .int()
    .min(5)
    .max(30 * 24 * 60)
    .nullable(),
  /** A session ends this long after sign-in, however busy; null: TOCSIN_SESSION_TTL_HOURS. */
  absoluteTimeoutHours: z
    .number()
    .int()
    .min(1)
    .max(30 * 24)
    .nullable(),
  /** One session per person: completing a sign-in ends that person's other sessions. */
  singleSession: z.boolean(),
  /** Addresses console sessions may sign in and work from; empty: anywhere. */
  consoleAllowList: z.array(AllowListEntry).max(200),
  /** Addresses API tokens may be used from; empty: anywhere. */
  tokenAllowList: z.array(AllowListEntry).max(200),
  /** The longest lifetime of an API token, in days; older tokens stop working at check time. null: no limit. */
  tokenMaxLifetimeDays: z.number().int().min(1).max(3650).nullable(),
});
export type SessionPolicy = z.infer<typeof SessionPolicy>;

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  idleTimeoutMinutes: null,
  absoluteTimeoutHours: null,
  singleSession: false,
  consoleAllowList: [],
  tokenAllowList: [],
  tokenMaxLifetimeDays: null,
};

export const SessionPolicyView = z.object({
  policy: SessionPolicy,
  /** TOCSIN_SESSION_TTL_HOURS: the absolute timeout when the policy sets none. */
  configuredSessionHours: z.number(),
  /** The address this request came from (what the console allow-list must contain for the caller to stay in). */
  yourAddress: z.string(),
  updatedAt: nullableIso,
  updatedBy: z.string().nullable(),
});
export type SessionPolicyView = z.infer<typeof SessionPolicyView>;

/** `DELETE /api/v1/me/sessions` and `DELETE /api/v1/users/:id/sessions`: how many sessions ended. */
export const SessionsEnded = z.object({ ended: z.number().int() });
