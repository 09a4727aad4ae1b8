/** Announcements as staff read them (read-only: only the publisher writes them), with the Markdown as published. */
import type { StatusAnnouncementDetail, StatusAnnouncementSummary } from '../../../shared/status-schemas.js';
import type { AnnouncementImpact, AnnouncementStatus, Bilingual } from '../../../shared/status-site.js';
import { cursorCodec } from '../../platform/cursor.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import type { StatusAnnouncementsTable } from '../../platform/db/types.js';
import { notFound } from '../../platform/errors.js';
import { iso } from '../../platform/ids.js';
import {
  findAnnouncement,
  findAnnouncementBySlug,
  latestOfIncident,
  listAnnouncements,
  updatesOf,
} from './announcement.repository.js';
import { announcementPath, parseBilingual, parseList } from './status.mapper.js';

const cursor = cursorCodec(['int', 'id'] as const);

export function createAnnouncementReader(deps: { store: Store; baseUrl: string }) {
  const { store, baseUrl } = deps;

  const summary = (r: StatusAnnouncementsTable): StatusAnnouncementSummary => ({
    id: r.id,
    slug: r.slug,
    incidentId: r.incident_id,
    title: { zh: r.title_zh, en: r.title_en },
    status: r.status as AnnouncementStatus,
    impact: r.impact as AnnouncementImpact,
    publishedAt: iso(r.published_at),
    updatedAt: iso(r.updated_at),
    resolvedAt: iso(r.resolved_at),
    url: `${baseUrl}${announcementPath(r.slug)}`,
  });

  return {
    /**
     * An announcement (and one of its updates) as its subscribers are told about it (the subscription
     * module's AnnouncementReader): the update's Markdown, or the investigation's when `updateId` is null.
     */
    async forSubscribers(db: Db, announcementId: string, updateId: string | null) {
      const r = await findAnnouncement(db, announcementId);
      if (!r) return null;
      const update = updateId ? (await updatesOf(db, [r.id])).find((u) => u.id === updateId) : undefined;
      if (updateId && !update) return null;
      return {
        announcementId: r.id,
        updateId,
        slug: r.slug,
        title: { zh: r.title_zh, en: r.title_en },
        body: update ? { zh: update.body_zh, en: update.body_en } : parseBilingual(r.investigation),
        status: (update?.status ?? r.status) as AnnouncementStatus,
        services: parseList<string>(r.services),
        at: Number(update?.at ?? r.investigation_at ?? r.updated_at),
      };
    },

    /** The slug of the incident's public announcement (the open one first), or null: none published yet. */
    async slugOfIncident(db: Db, incidentId: string): Promise<string | null> {
      return (await latestOfIncident(db, incidentId))?.slug ?? null;
    },

    /** Newest first. */
    async list(after: string | undefined, limit: number) {
      const from = after ? cursor.decode(after) : undefined;
      const rows = await listAnnouncements(
        store.db,
        from ? { published_at: from[0], id: from[1] } : undefined,
        limit + 1,
      );
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(summary),
        next: rows.length > limit && last ? cursor.encode([Number(last.published_at), last.id]) : null,
      };
    },

    async get(slug: string): Promise<StatusAnnouncementDetail> {
      const r = await findAnnouncementBySlug(store.db, slug);
      if (!r) throw notFound(`announcement ${slug}`);
      const updates = await updatesOf(store.db, [r.id]);
      return {
        ...summary(r),
        startedAt: iso(r.started_at),
        detectedAt: iso(r.detected_at),
        nextUpdateAt: iso(r.next_update_at),
        cause: parseBilingual(r.cause),
        measures: parseBilingual(r.measures),
        customerAction: parseBilingual(r.customer_action),
        services: parseList<string>(r.services),
        customerGroups: parseList<Bilingual>(r.customer_groups),
        regions: parseList<Bilingual>(r.regions),
        investigation: r.investigation
          ? { body: parseBilingual(r.investigation), at: iso(r.investigation_at ?? r.updated_at) }
          : null,
        updates: updates.map((u) => ({
          id: u.id,
          statementId: u.statement_id,
          kind: u.kind as StatusAnnouncementDetail['updates'][number]['kind'],
          status: u.status as AnnouncementStatus,
          body: { zh: u.body_zh, en: u.body_en },
          at: iso(u.at),
        })),
      };
    },
  };
}
