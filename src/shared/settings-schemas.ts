/** The effective configuration as `GET /api/v1/settings` shows it (read-only; secrets hidden). */
import { z } from 'zod';

export const Setting = z.object({
  /** The environment variable, e.g. TOCSIN_PORT. */
  name: z.string(),
  /** What the server uses (a default filled in); null when unset, and always for a secret. */
  value: z.string().nullable(),
  /** `env`: set in the environment; `default`: not set, the default applies. */
  source: z.enum(['env', 'default']),
  /** A secret (password, token, key): its value is never shown, only whether it is set. */
  secret: z.boolean(),
  /** Whether it has a value at all (set, or a default exists). */
  set: z.boolean(),
});
export type Setting = z.infer<typeof Setting>;

export const SettingsView = z.object({
  items: z.array(Setting),
  /** The Tocsin version running. */
  version: z.string(),
});
export type SettingsView = z.infer<typeof SettingsView>;
