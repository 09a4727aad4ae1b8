/** Request and response schemas of sign-in, sessions, second factors and API tokens. */
import { z } from 'zod';
import { TOKEN_SCOPES } from './enums.js';
import { isoTime, nullableIso } from './api-schemas.js';
import { User } from './user-schemas.js';
import { label } from './text.js';

export const LoginRequest = z.strictObject({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(256),
});
export const MfaCode = z.strictObject({ code: z.string().regex(/^\d{6}$/, 'six digits') });
export const SessionInfo = z.object({
  user: User,
  csrfToken: z.string(),
  /** A second factor is still needed before anything else is allowed. */
  mfaRequired: z.boolean(),
  /** Policy requires this user to enrol a second factor before anything else is allowed. */
  mfaEnrolmentRequired: z.boolean(),
  /** The password must be changed (POST /api/v1/me/password) before anything else is allowed. */
  passwordChangeRequired: z.boolean(),
  expiresAt: isoTime,
});
export type SessionInfo = z.infer<typeof SessionInfo>;
export const MfaEnrolment = z.object({ secret: z.string(), otpauthUrl: z.string() });

// ---- API tokens ----
export const TokenScopeSchema = z.enum(TOKEN_SCOPES);
export const ApiToken = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  scopes: z.array(TokenScopeSchema),
  prefix: z.string(),
  createdAt: isoTime,
  lastUsedAt: nullableIso,
  expiresAt: nullableIso,
  revokedAt: nullableIso,
});
export const ApiTokenCreate = z.strictObject({
  name: label(120),
  scopes: z.array(TokenScopeSchema).min(1).default(['read', 'write']),
  expiresAt: isoTime.optional(),
});
export const ApiTokenCreated = ApiToken.extend({ token: z.string() });
