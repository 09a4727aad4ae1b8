/**
 * What subscriptions need of the status module, as a port compose wires (issue 11 contract): the
 * outbox event `announcement.published` the status module publishes after an announcement or an update
 * goes public (the status module's event), and a reader of that announcement's public content.
 */
import type { AnnouncementStatus, Bilingual } from '../../../shared/status-site.js';
import type { Db } from '../../platform/db/types.js';

/** The outbox events subscriptions listen to: the status module's `announcement.published`. */
export type { StatusEvents as AnnouncementEvents } from '../status/index.js';

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
