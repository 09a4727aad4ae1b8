/**
 * Telling subscribers: the confirmation mail of the double opt-in, and — on the outbox event
 * `announcement.published` — one durable job per confirmed subscriber of the services it concerns
 * (keyed announcement + update + subscriber, so a redelivered event enqueues nothing twice), each
 * sending one mail in the subscriber's language or one signed JSON POST to a webhook. A subscriber who
 * unsubscribed before its job ran gets nothing.
 */
import type { AnnouncementStatus } from '../../../shared/status-site.js';
import type { SubscriberLanguage } from '../../../shared/subscription-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import type { Clock } from '../../platform/ids.js';
import type { JobRunner } from '../../platform/jobs/job-runner.js';
import type { Outbox } from '../../platform/jobs/outbox.js';
import type { OutboundGuard } from '../../platform/outbound-guard.js';
import type { SecretBox } from '../../platform/secret-box.js';
import { guardedRequest } from '../connector/index.js';
import { webhookSignature } from '../paging/index.js';
import type { AnnouncementEvents, AnnouncementForSubscribers, AnnouncementReader } from './announcement-reader.js';
import { confirmedAfter, findSubscriber, type SubscriberRow } from './subscription.repository.js';
import type { SubscriptionKeys } from './subscription-keys.js';
import { announcementMail, confirmationMail, pick, type Mailer } from './subscription-mail.js';
import { CONFIRM_MAIL_JOB, CONFIRM_TTL_MS } from './subscription.service.js';

export const NOTIFY_JOB = 'subscription.notify';
const PAGE = 500;

interface NotifyPayload {
  announcementId: string;
  updateId: string | null;
  kind: AnnouncementEvents['announcement.published']['kind'];
  subscriberId: string;
}

/** Whether a subscriber who chose `chosen` (empty: all) hears about an announcement of `services` (empty: site-wide). */
export const concerns = (chosen: string[], services: string[]) =>
  chosen.length === 0 || services.length === 0 || services.some((s) => chosen.includes(s));

/** The JSON a webhook subscriber receives (signed like paging's signed webhook). */
export function webhookBody(
  a: AnnouncementForSubscribers,
  kind: NotifyPayload['kind'],
  lang: SubscriberLanguage,
  pageUrl: string,
  now: number,
) {
  return JSON.stringify({
    type: 'announcement.published',
    kind,
    announcementId: a.announcementId,
    updateId: a.updateId,
    status: a.status satisfies AnnouncementStatus,
    language: lang,
    title: pick(a.title, lang),
    /** Markdown in both languages: the receiver renders as it likes. */
    body: a.body,
    titles: a.title,
    services: a.services,
    url: pageUrl,
    publishedAt: new Date(a.at).toISOString(),
    sentAt: new Date(now).toISOString(),
  });
}

export function wireSubscriptionJobs<E extends AnnouncementEvents>(deps: {
  store: Store;
  clock: Clock;
  jobs: JobRunner;
  outbox: Outbox<E>;
  secretBox: SecretBox;
  keys: SubscriptionKeys;
  reader: AnnouncementReader;
  /** null: no SMTP server configured; mail jobs finish without sending. */
  mailer: Mailer | null;
  guard: OutboundGuard;
  /** The public site's root URL (`<public URL>/status`). */
  siteUrl: string;
}): void {
  const { store, clock, jobs, outbox, secretBox, keys, reader, mailer, guard, siteUrl } = deps;
  const unsubscribeUrl = (id: string) => `${siteUrl}/unsubscribe?token=${keys.sign('u', id, 0)}`;
  const pageUrl = (a: AnnouncementForSubscribers) => `${siteUrl}/incidents/${encodeURIComponent(a.slug)}`;
  const addressOf = (row: SubscriberRow) => secretBox.open<{ address: string }>(row.sealed, row.id).address;

  jobs.register<{ subscriberId: string }>(CONFIRM_MAIL_JOB, async (job) => {
    const row = await findSubscriber(store.db, job.payload.subscriberId);
    if (row?.state !== 'pending' || !mailer) return;
    const lang = row.language as SubscriberLanguage;
    const token = keys.sign('c', row.id, clock.now() + CONFIRM_TTL_MS);
    await mailer(
      confirmationMail(addressOf(row), lang, {
        confirmUrl: `${siteUrl}/subscribe/confirm?token=${token}`,
        unsubscribeUrl: unsubscribeUrl(row.id),
      }),
    );
  });

  // Fan out: one job per confirmed subscriber concerned, enqueued a page at a time (idempotent by key).
  outbox.subscribe('announcement.published', 'subscribers', async (e) => {
    const { announcementId, updateId, kind } = e.payload as AnnouncementEvents['announcement.published'];
    const a = await reader.get(store.db, announcementId, updateId);
    if (!a) return;
    let after: string | null = null;
    for (;;) {
      const rows = await confirmedAfter(store.db, after, PAGE);
      if (!rows.length) break;
      after = rows[rows.length - 1]!.id;
      const concerned = rows.filter((r) => concerns(JSON.parse(r.services) as string[], a.services));
      if (concerned.length)
        await store.transaction(
          async (tx) => {
            for (const r of concerned)
              await jobs.enqueue<NotifyPayload>(tx, {
                kind: NOTIFY_JOB,
                key: `${announcementId}:${updateId ?? '-'}:${r.id}`,
                payload: { announcementId, updateId, kind, subscriberId: r.id },
              });
          },
          { audited: false },
        );
      if (rows.length < PAGE) break;
    }
  });

  jobs.register<NotifyPayload>(NOTIFY_JOB, async (job) => {
    const p = job.payload;
    const row = await findSubscriber(store.db, p.subscriberId);
    if (row?.state !== 'confirmed') return;
    const a = await reader.get(store.db, p.announcementId, p.updateId);
    if (!a) return;
    const lang = row.language as SubscriberLanguage;
    if (row.kind === 'email') {
      if (!mailer) return;
      await mailer(
        announcementMail(addressOf(row), lang, a, { pageUrl: pageUrl(a), unsubscribeUrl: unsubscribeUrl(row.id) }),
      );
      return;
    }
    const { url, secret } = secretBox.open<{ url: string; secret: string }>(row.sealed, row.id);
    const now = clock.now();
    const seconds = Math.floor(now / 1000);
    const body = webhookBody(a, p.kind, lang, pageUrl(a), now);
    const res = await guardedRequest(guard, {
      method: 'POST',
      url,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'x-tocsin-timestamp': String(seconds),
        'x-tocsin-signature': webhookSignature(secret, seconds, body),
        // Lets the receiver drop a redelivery (at-least-once).
        'x-tocsin-delivery': job.id,
      },
      body,
    });
    if (res.status < 200 || res.status > 299) throw new Error(`webhook answered HTTP ${res.status}`);
  });
}
