/** Sign-in through the firm's directory (issue 17): the options the sign-in page offers, the LDAP sign-in, who signs in how. */
import { z } from 'zod';
import { USER_ROLES } from './enums.js';
import { isoTime, nullableIso } from './api-schemas.js';

export const SignInOptions = z.object({
  providers: z.array(z.object({ id: z.string(), kind: z.enum(['oidc', 'ldap']), label: z.string() })),
  /** `break_glass`: only break-glass accounts sign in with a password. */
  localSignIn: z.enum(['all', 'break_glass']),
});
export type SignInOptions = z.infer<typeof SignInOptions>;

export const LdapLoginRequest = z.strictObject({
  provider: z.string().min(1).max(32),
  username: z.string().trim().min(1).max(256),
  password: z.string().min(1).max(256),
});

export const SignInMethod = z.object({
  user: z.object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(USER_ROLES),
    disabled: z.boolean(),
  }),
  method: z.enum(['local', 'oidc', 'ldap']),
  provider: z.string().nullable(),
  providerLabel: z.string().nullable(),
  breakGlass: z.boolean(),
  mfaEnabled: z.boolean(),
  lastSignInAt: nullableIso,
  /** Providers this account has signed in through. */
  identities: z.array(z.string()),
  /** The provider whose SCIM client provisioned this account (docs/scim.md), or null. */
  scimProvider: z.string().nullable(),
});
export type SignInMethod = z.infer<typeof SignInMethod>;

export const SecurityNotice = z.object({
  id: z.string(),
  kind: z.enum(['break_glass_sign_in']),
  userId: z.string(),
  userName: z.string(),
  address: z.string().nullable(),
  createdAt: isoTime,
});
export type SecurityNotice = z.infer<typeof SecurityNotice>;
