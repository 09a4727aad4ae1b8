/**
 * What subscriptions need of the status module, as a port compose wires (issue 11 contract): the
 * outbox event `announcement.published` the status module publishes after an announcement or an update
 * goes public, and a reader of that announcement's public content. Declared here until the status
 * module's `StatusEvents` is merged (same payload).
 */
import type { AnnouncementStatus, Bilingual } from '../../../shared/status-site.js';
import type { Db } from '../../platform/db/types.js';

export interface AnnouncementPublished {
  announcementId: string;
  updateId: string | null;
  kind: 'opened' | 'updated' | 'investigation' | 'resolved';
}

/** The outbox events subscriptions listen to (the status module publishes them). */
export type AnnouncementEvents = { 'announcement.published': AnnouncementPublished };

/** An announcement (or one of its updates) as subscribers are told about it. */
export interface AnnouncementForSubscribers {
  announcementId: string;
  updateId: string | null;
  /** The announcement's public slug: its page is `<site>/incidents/<slug>`. */
  slug: string;
  title: Bilingual;
  /** Markdown: the update's text (or the announcement's summary when `updateId` is null, the investigation's for `investigation`). */
  body: Bilingual;
  status: AnnouncementStatus;
  /** The public services (component keys) it concerns; empty: the whole site. */
  services: string[];
  /** Published at (epoch ms). */
  at: number;
}

export interface AnnouncementReader {
  /** The published announcement (and update), or null when it is not public (withdrawn, never published). */
  get(db: Db, announcementId: string, updateId: string | null): Promise<AnnouncementForSubscribers | null>;
}
