/** HTTP route for the read-only settings page. */
import { SettingsView } from '../../../shared/settings-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { SettingsService } from './settings.service.js';

export function settingsRoutes(deps: { settings: SettingsService }): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/settings',
      summary:
        'The effective configuration: every TOCSIN_* variable, its value in use and whether it came from the environment or is the default; secrets only as set / not set',
      tags: ['settings'],
      access: 'settings.read',
      response: { status: 200, schema: SettingsView },
      handler: async ({ principal }) => deps.settings.view(principal),
    }),
  ] as AnyRoute[];
}
