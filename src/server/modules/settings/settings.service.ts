/** The effective configuration, read-only, for administrators and auditors (secrets hidden by config). */
import type { Setting, SettingsView } from '../../../shared/settings-schemas.js';
import { assertCan, type Principal } from '../auth/index.js';

export function createSettingsService(deps: { settings: Setting[]; version: string }) {
  return {
    /** Every TOCSIN_* setting with its value in use and its source; secrets only as set / not set. */
    view(p: Principal): SettingsView {
      assertCan(p, 'settings.read');
      return { items: deps.settings, version: deps.version };
    },
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
