/** Rows of the status tables as the read model and the staff API show them. */
import type { StatusMaintenance } from '../../../shared/status-schemas.js';
import type {
  AnnouncementImpact,
  AnnouncementStatus,
  AnnouncementUpdate,
  Bilingual,
  Maintenance,
} from '../../../shared/status-site.js';
import type {
  StatusAnnouncementsTable,
  StatusAnnouncementUpdatesTable,
  StatusMaintenancesTable,
} from '../../platform/db/types.js';
import { iso } from '../../platform/ids.js';
import { renderMarkdown } from '../../platform/markdown.js';

/**
 * The snapshot is built on every change and every minute from the same few texts: their HTML is kept
 * (by source) instead of rendering them each time. Bounded; cleared whole when full.
 */
const rendered = new Map<string, string>();
export function html(markdown: string): string {
  let out = rendered.get(markdown);
  if (out === undefined) {
    if (rendered.size >= 5000) rendered.clear();
    out = renderMarkdown(markdown);
    rendered.set(markdown, out);
  }
  return out;
}

export const htmlOf = (b: Bilingual): Bilingual => ({ zh: html(b.zh), en: html(b.en) });

export const EMPTY: Bilingual = { zh: '', en: '' };

export const parseBilingual = (json: string | null): Bilingual => (json ? (JSON.parse(json) as Bilingual) : EMPTY);

export const parseList = <T>(json: string): T[] => JSON.parse(json) as T[];

/** The public path of an announcement, under the site's base URL. */
export const announcementPath = (slug: string) => `/incidents/${slug}`;

export function maintenanceState(m: { starts_at: number; ends_at: number }, now: number): Maintenance['state'] {
  if (now < Number(m.starts_at)) return 'scheduled';
  return now < Number(m.ends_at) ? 'in_progress' : 'completed';
}

/** For the public site: sanitized HTML, only the services shown there. */
export function toPublicMaintenance(r: StatusMaintenancesTable, now: number, shown: Set<string>): Maintenance {
  return {
    id: r.id,
    title: { zh: r.title_zh, en: r.title_en },
    body: htmlOf({ zh: r.body_zh, en: r.body_en }),
    services: parseList<string>(r.services).filter((k) => shown.has(k)),
    startsAt: Number(r.starts_at),
    endsAt: Number(r.ends_at),
    state: maintenanceState(r, now),
    updatedAt: Number(r.updated_at),
  };
}

/** For staff: the Markdown as written. */
export function toStaffMaintenance(r: StatusMaintenancesTable, now: number): StatusMaintenance {
  return {
    id: r.id,
    title: { zh: r.title_zh, en: r.title_en },
    body: { zh: r.body_zh, en: r.body_en },
    services: parseList<string>(r.services),
    startsAt: iso(r.starts_at),
    endsAt: iso(r.ends_at),
    state: maintenanceState(r, now),
    updatedAt: iso(r.updated_at),
  };
}

export const toPublicUpdate = (u: StatusAnnouncementUpdatesTable): AnnouncementUpdate => ({
  id: u.id,
  status: u.status as AnnouncementStatus,
  body: htmlOf({ zh: u.body_zh, en: u.body_en }),
  at: Number(u.at),
});

/** The announcement's own facts (not its updates, FAQ or fact checks), as sanitized HTML. */
export function publicFacts(r: StatusAnnouncementsTable, shown: Set<string>) {
  const investigation = r.investigation
    ? { body: htmlOf(parseBilingual(r.investigation)), at: Number(r.investigation_at) }
    : null;
  const ms = (v: number | null) => (v === null ? null : Number(v));
  return {
    id: r.id,
    slug: r.slug,
    title: { zh: r.title_zh, en: r.title_en },
    status: r.status as AnnouncementStatus,
    impact: r.impact as AnnouncementImpact,
    startedAt: ms(r.started_at),
    detectedAt: ms(r.detected_at),
    resolvedAt: ms(r.resolved_at),
    cause: htmlOf(parseBilingual(r.cause)),
    measures: htmlOf(parseBilingual(r.measures)),
    customerAction: htmlOf(parseBilingual(r.customer_action)),
    services: parseList<string>(r.services).filter((k) => shown.has(k)),
    customerGroups: parseList<Bilingual>(r.customer_groups),
    regions: parseList<Bilingual>(r.regions),
    nextUpdateAt: ms(r.next_update_at),
    investigation,
    publishedAt: Number(r.published_at),
    updatedAt: Number(r.updated_at),
  };
}
