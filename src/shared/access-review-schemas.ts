/** The security officer's access review (issue 17, docs/access-review.md): accounts, how they sign in, tokens. */
import { z } from 'zod';
import { TOKEN_SCOPES, USER_ROLES } from './enums.js';
import { isoTime, nullableIso } from './api-schemas.js';

export const AccessReviewQuery = z.strictObject({
  /** An account is dormant when it has not signed in for this many days (default 90). */
  dormantDays: z.coerce.number().int().min(1).max(3650).default(90),
});
export type AccessReviewQuery = z.infer<typeof AccessReviewQuery>;

export const AccessReviewAccount = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: z.enum(USER_ROLES),
  /** `password`, `oidc:<provider>`, `ldap:<provider>` or `break-glass`. */
  signInMethod: z.string(),
  mfaEnabled: z.boolean(),
  lastSignInAt: nullableIso,
  createdAt: isoTime,
  /** Enabled and no sign-in (or, never signed in, created) `dormantDays` days ago or earlier. */
  dormant: z.boolean(),
  disabled: z.boolean(),
  activeSessions: z.number().int(),
});
export type AccessReviewAccount = z.infer<typeof AccessReviewAccount>;

export const AccessReviewToken = z.object({
  id: z.string(),
  ownerId: z.string(),
  ownerName: z.string(),
  ownerEmail: z.string(),
  label: z.string(),
  scopes: z.array(z.enum(TOKEN_SCOPES)),
  createdAt: isoTime,
  lastUsedAt: nullableIso,
  expiresAt: nullableIso,
  revokedAt: nullableIso,
  /** `active`, `expired` or `revoked` at the time of the review. */
  status: z.enum(['active', 'expired', 'revoked']),
});
export type AccessReviewToken = z.infer<typeof AccessReviewToken>;

export const AccessReview = z.object({
  generatedAt: isoTime,
  dormantDays: z.number().int(),
  summary: z.object({
    accounts: z.number().int(),
    disabled: z.number().int(),
    dormant: z.number().int(),
    withoutMfa: z.number().int(),
    activeTokens: z.number().int(),
  }),
  accounts: z.array(AccessReviewAccount),
  tokens: z.array(AccessReviewToken),
});
export type AccessReview = z.infer<typeof AccessReview>;

export const AccessReviewCsvQuery = AccessReviewQuery.extend({
  /** The language of the CSV's headers and words (default zh). */
  lang: z.enum(['zh', 'en']).default('zh'),
});
