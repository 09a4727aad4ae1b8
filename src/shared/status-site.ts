/**
 * The public status site's read model (issue 11): everything the public pages, feeds, the
 * Statuspage-compatible JSON API, the badge and the banner show, as one snapshot. The status module
 * builds it from the store (`statusSite.snapshot()`); `src/site/` renders it, on change, never per
 * request. Only what was approved and published is ever in it. Rich text is sanitized HTML already
 * (platform/markdown.ts); every other string is plain text the renderer escapes.
 */

/** A public service's state, worst last (the order is the severity). */
export const COMPONENT_STATES = ['operational', 'maintenance', 'degraded', 'partial_outage', 'major_outage'] as const;
export type ComponentState = (typeof COMPONENT_STATES)[number];

/** An announcement's stage (Statuspage's incident statuses). */
export const ANNOUNCEMENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type AnnouncementStatus = (typeof ANNOUNCEMENT_STATUSES)[number];

export const ANNOUNCEMENT_IMPACTS = ['none', 'minor', 'major', 'critical'] as const;
export type AnnouncementImpact = (typeof ANNOUNCEMENT_IMPACTS)[number];

/** Verdicts of the rumor-vs-fact register. */
export const FACT_VERDICTS = ['false', 'unverified', 'confirmed'] as const;
export type FactVerdict = (typeof FACT_VERDICTS)[number];

/** A text in both languages; `en` may be empty (the page falls back to `zh`). */
export interface Bilingual {
  zh: string;
  en: string;
}

/** One day of a service's uptime bar (the site's time zone, Asia/Shanghai by default). */
export interface UptimeDay {
  /** `YYYY-MM-DD`. */
  day: string;
  /** The worst state seen that day; null: no data (before the service was watched). */
  worst: ComponentState | null;
  /** Share of the day up (operational or maintenance), 0..100 with 2 decimals; null: no data. */
  upPct: number | null;
}

export interface PublicComponent {
  /** The catalog service's key (stable: `/status/services/<key>`). */
  key: string;
  name: Bilingual;
  description: Bilingual;
  /** The group's key, null: not grouped. */
  group: string | null;
  state: ComponentState;
  /** Where the state comes from: the probes, or a person's override (until cleared). */
  source: 'probe' | 'manual';
  /** Since when it has been in this state (epoch ms). */
  since: number;
  /** The last 90 days, oldest first (always 90 entries). */
  uptime: UptimeDay[];
  /** Up share over the 90 days, null: no data. */
  uptimePct: number | null;
  position: number;
}

export interface ComponentGroup {
  key: string;
  name: Bilingual;
  position: number;
}

export interface AnnouncementUpdate {
  id: string;
  status: AnnouncementStatus;
  /** Sanitized HTML. */
  body: Bilingual;
  /** Published at (epoch ms). */
  at: number;
}

export interface FaqEntry {
  id: string;
  question: Bilingual;
  /** Sanitized HTML. */
  answer: Bilingual;
  position: number;
}

export interface FactCheck {
  id: string;
  /** The announcement it belongs to (its slug), null: site-wide. */
  announcement: string | null;
  claim: Bilingual;
  verdict: FactVerdict;
  /** Sanitized HTML. */
  rebuttal: Bilingual;
  /** Where the claim was seen (a post's URL, an outlet), public text. */
  source: string | null;
  /** A link to the evidence behind the verdict (http/https), null: none; absent from older producers. */
  evidenceUrl?: string | null;
  publishedAt: number;
  updatedAt: number;
}

/** A status-page incident ("announcement"): the structured facts the seed asks for, then its updates. */
export interface Announcement {
  id: string;
  /** Stable public key, e.g. `2026-0007` (`/status/incidents/<slug>`). */
  slug: string;
  title: Bilingual;
  status: AnnouncementStatus;
  impact: AnnouncementImpact;
  /** When it started, was detected, was resolved (epoch ms; null: not known / not yet). */
  startedAt: number | null;
  detectedAt: number | null;
  resolvedAt: number | null;
  /** Sanitized HTML of each structured field (empty: not stated yet). */
  cause: Bilingual;
  measures: Bilingual;
  customerAction: Bilingual;
  /** The impact scope. */
  services: string[];
  customerGroups: Bilingual[];
  regions: Bilingual[];
  /** When the next update is promised (epoch ms), null: none promised. */
  nextUpdateAt: number | null;
  /** Newest first. */
  updates: AnnouncementUpdate[];
  /** The published investigation results (seed rule 4), null: not yet. */
  investigation: { body: Bilingual; at: number } | null;
  faq: FaqEntry[];
  factChecks: FactCheck[];
  publishedAt: number;
  updatedAt: number;
}

export interface Maintenance {
  id: string;
  title: Bilingual;
  /** Sanitized HTML. */
  body: Bilingual;
  services: string[];
  startsAt: number;
  endsAt: number;
  /** From the snapshot's time. */
  state: 'scheduled' | 'in_progress' | 'completed';
  updatedAt: number;
}

export interface StatusSnapshot {
  /** When it was built (epoch ms); the renderer's "last updated". */
  generatedAt: number;
  site: {
    /** The firm's name as published. */
    name: Bilingual;
    /** The public base URL of the status pages (no trailing slash), for feeds and links. */
    baseUrl: string;
    /** IANA time zone the pages show times in. */
    timeZone: string;
  };
  /** The worst state of all components (maintenance only when nothing is worse). */
  overall: ComponentState;
  groups: ComponentGroup[];
  components: PublicComponent[];
  /** Unresolved first, then resolved, newest first within each; the last 90 days and every unresolved one. */
  announcements: Announcement[];
  /** Scheduled and in progress, and completed within the last 7 days. */
  maintenances: Maintenance[];
  /** Site-wide and per-announcement published fact checks, newest first. */
  factChecks: FactCheck[];
}

/** The worst of some states (operational for none). */
export function worstState(states: Iterable<ComponentState>): ComponentState {
  let worst = 0;
  for (const s of states) worst = Math.max(worst, COMPONENT_STATES.indexOf(s));
  return COMPONENT_STATES[worst]!;
}
