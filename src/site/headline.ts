/**
 * The page's headline, shared by the home page's banner, the badge and the Statuspage API's page
 * status: the services' overall state, except that an incident announced while every service still
 * looks operational is not "all systems operational" (Statuspage likewise takes the worse of the
 * components' state and the unresolved incidents' impact for its page indicator).
 */
import type { AnnouncementImpact, ComponentState, StatusSnapshot } from '../shared/status-site.js';
import type { Messages } from './i18n.js';

export type Indicator = 'none' | 'minor' | 'major' | 'critical';

/** Statuspage's page indicator for a services' state. */
export const STATE_INDICATOR: Record<ComponentState, Indicator> = {
  operational: 'none',
  maintenance: 'none',
  degraded: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
};

const IMPACT_INDICATOR: Record<AnnouncementImpact, Indicator> = {
  none: 'none',
  minor: 'minor',
  major: 'major',
  critical: 'critical',
};
const RANK: Record<Indicator, number> = { none: 0, minor: 1, major: 2, critical: 3 };

export interface Headline {
  /** What the headline says: the overall state, or `incident` when one is announced and services look fine. */
  key: ComponentState | 'incident';
  indicator: Indicator;
}

export function headline(snap: StatusSnapshot): Headline {
  const active = snap.announcements.filter((a) => a.status !== 'resolved');
  let indicator = STATE_INDICATOR[snap.overall];
  for (const a of active)
    if (RANK[IMPACT_INDICATOR[a.impact]] > RANK[indicator]) indicator = IMPACT_INDICATOR[a.impact];
  const calm = snap.overall === 'operational' || snap.overall === 'maintenance';
  return { key: active.length > 0 && calm ? 'incident' : snap.overall, indicator };
}

/** The headline's words in a language's messages (the page's banner and the API's page description). */
export const headlineText = (head: Headline, m: Messages): string =>
  head.key === 'incident' ? m.incidentHeadline : m.overall[head.key];
