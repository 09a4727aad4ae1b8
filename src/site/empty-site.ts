/**
 * The read model until the status module is wired in (issue 11: its `StatusSite`): the firm's name,
 * nothing to report. compose.ts swaps it for `status.site` when that module is merged.
 */
import type { StatusSnapshot } from '../shared/status-site.js';
import type { SnapshotSource } from './public-site.js';

export function emptyStatusSite(site: StatusSnapshot['site'], now: () => number = Date.now): SnapshotSource {
  return {
    snapshot: async () => ({
      generatedAt: now(),
      site,
      overall: 'operational',
      groups: [],
      components: [],
      announcements: [],
      maintenances: [],
      factChecks: [],
    }),
  };
}
