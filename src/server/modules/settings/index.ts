/** Settings module: the effective configuration, read-only. */
export { createSettingsService, type SettingsService } from './settings.service.js';
