/** Settings module: the effective configuration, read-only. */
export { createSettingsService } from './settings.service.js';
