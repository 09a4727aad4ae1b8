/** Request and response schemas of user accounts. */
import { z } from 'zod';
import { LOCALES, USER_ROLES } from './enums.js';
import { isoTime } from './api-schemas.js';
import { label } from './text.js';

export const UserRoleSchema = z.enum(USER_ROLES);
export const User = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: UserRoleSchema,
  locale: z.enum(LOCALES),
  mfaEnabled: z.boolean(),
  disabled: z.boolean(),
  createdAt: isoTime,
  /** The password was generated or set by an administrator: the next sign-in must change it first. */
  passwordChangeRequired: z.boolean(),
});
export type User = z.infer<typeof User>;
export const UserCreate = z.strictObject({
  email: z.email().max(254),
  name: label(120),
  role: UserRoleSchema,
  password: z.string().min(12).max(256),
  locale: z.enum(LOCALES).default('zh-CN'),
  /** The user must change this password at the first sign-in (the administrator knows it). */
  mustChangePassword: z.boolean().default(false),
});
export const UserUpdate = z.strictObject({
  name: label(120).optional(),
  role: UserRoleSchema.optional(),
  locale: z.enum(LOCALES).optional(),
  disabled: z.boolean().optional(),
  password: z.string().min(12).max(256).optional(),
  /** Removes the user's second factor (a lost phone) so they can enrol again; ends their sessions. */
  resetMfa: z.literal(true).optional(),
});
export const UserRef = z.object({ id: z.string(), name: z.string() });
