/**
 * The public side of subscriptions: subscribe (double opt-in), confirm, unsubscribe. Answers never tell
 * whether an address is subscribed: every accepted subscribe answers "check your mail", whatever the
 * address's state. Addresses are sealed and never logged; audit entries carry the masked address only.
 */
import type { PUBLIC_OUTCOMES, SubscribeBody, SubscriberLanguage } from '../../../shared/subscription-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { newId, type Clock } from '../../platform/ids.js';
import type { JobRunner } from '../../platform/jobs/job-runner.js';
import type { SecretBox } from '../../platform/secret-box.js';
import type { Actor, AuditService } from '../audit/index.js';
import { findSubscriber, transition, updateSubscriber, type SubscriberRow } from './subscription.repository.js';
import { findByAddressHash, insertSubscriber } from './subscription.repository.js';
import { maskAddress, normalizeAddress, type SubscriptionKeys } from './subscription-keys.js';
import type { SubscribeThrottle } from './subscription-throttle.js';

/** Who the audit log names for what a member of the public did through the site or a mail's link. */
const PUBLIC_ACTOR: Actor = { id: null, label: 'status-site subscriber' };
/** A pending address is sent another confirmation mail at most this often. */
const CONFIRM_RESEND_MS = 5 * 60_000;
/** How long a confirmation link works. */
export const CONFIRM_TTL_MS = 7 * 24 * 3_600_000;
export const CONFIRM_MAIL_JOB = 'subscription.confirm_mail';

export type PublicOutcome = (typeof PUBLIC_OUTCOMES)[number];

export interface PublicResult {
  outcome: PublicOutcome;
  /** The subscriber's language, when the link named one (the page answers in it). */
  language?: SubscriberLanguage;
}

export function createSubscriptionService(deps: {
  store: Store;
  audit: AuditService;
  clock: Clock;
  jobs: JobRunner;
  secretBox: SecretBox;
  keys: SubscriptionKeys;
  throttle: SubscribeThrottle;
}) {
  const { store, audit, clock, jobs, secretBox, keys, throttle } = deps;

  async function askConfirmation(tx: Db, id: string, now: number) {
    await updateSubscriber(tx, id, { confirm_sent_at: now });
    await jobs.enqueue(tx, { kind: CONFIRM_MAIL_JOB, key: `${id}:${now}`, payload: { subscriberId: id } });
  }

  const summary = (r: Pick<SubscriberRow, 'masked' | 'language' | 'services'>) => ({
    address: r.masked,
    language: r.language,
    services: JSON.parse(r.services) as string[],
  });

  return {
    /**
     * A subscribe request from the site's form or the JSON API: throttled per IP and per address (429
     * with Retry-After), silently dropped when the honeypot is filled, else pending with a confirmation
     * mail. The same answer whether or not the address was known.
     */
    async subscribe(ip: string, body: SubscribeBody): Promise<PublicResult> {
      const email = normalizeAddress(body.email);
      const hashes = keys.addressHashes(email);
      await throttle.take(ip, hashes[0]!);
      if (body.website?.trim()) return { outcome: 'confirmation_sent' };
      const language: SubscriberLanguage = body.language ?? 'zh-CN';
      const services = JSON.stringify([...new Set(body.services)].sort());
      const now = clock.now();
      await store.transaction(async (tx) => {
        const row = await findByAddressHash(tx, hashes);
        if (!row) {
          const id = newId();
          const masked = maskAddress(email);
          await insertSubscriber(tx, {
            id,
            kind: 'email',
            state: 'pending',
            language,
            address_hash: hashes[0]!,
            sealed: secretBox.seal({ address: email }, id),
            masked,
            name: null,
            services,
            created_at: now,
            updated_at: now,
            confirmed_at: null,
            unsubscribed_at: null,
            confirm_sent_at: null,
          });
          await askConfirmation(tx, id, now);
          await audit.append(tx, PUBLIC_ACTOR, {
            action: 'subscriber.subscribe',
            targetType: 'subscriber',
            targetId: id,
            after: summary({ masked, language, services }),
          });
          return;
        }
        // A confirmed address: nothing changes (a stranger must not change someone's choices), same answer.
        if (row.state === 'confirmed') return;
        const resend = row.state === 'unsubscribed' || (row.confirm_sent_at ?? 0) + CONFIRM_RESEND_MS <= now;
        await updateSubscriber(tx, row.id, {
          state: 'pending',
          language,
          services,
          updated_at: now,
          // The hash under the current key (a rotated key re-hashes as addresses come back).
          address_hash: hashes[0]!,
        });
        if (resend) await askConfirmation(tx, row.id, now);
        await audit.append(tx, PUBLIC_ACTOR, {
          action: 'subscriber.subscribe',
          targetType: 'subscriber',
          targetId: row.id,
          before: { state: row.state, ...summary(row) },
          after: summary({ masked: row.masked, language, services }),
        });
      });
      return { outcome: 'confirmation_sent' };
    },

    /** The confirm link of the double opt-in. */
    async confirm(token: string): Promise<PublicResult> {
      const claims = keys.verify('c', token);
      if (!claims) return { outcome: 'invalid' };
      const now = clock.now();
      return store.transaction(async (tx): Promise<PublicResult> => {
        const row = await findSubscriber(tx, claims.subscriberId);
        if (row?.kind !== 'email' || row.state === 'unsubscribed') return { outcome: 'invalid' };
        const language = row.language as SubscriberLanguage;
        if (row.state === 'confirmed') return { outcome: 'already_confirmed', language };
        if (claims.expiresAt <= now) return { outcome: 'expired', language };
        const moved = await transition(tx, row.id, ['pending'], {
          state: 'confirmed',
          confirmed_at: now,
          updated_at: now,
        });
        if (!moved) return { outcome: 'already_confirmed', language };
        await audit.append(tx, PUBLIC_ACTOR, {
          action: 'subscriber.confirm',
          targetType: 'subscriber',
          targetId: row.id,
          before: { state: 'pending' },
          after: { state: 'confirmed' },
        });
        return { outcome: 'confirmed', language };
      });
    },

    /**
     * The GET of an unsubscribe link: nothing changes (mail scanners follow links); the page asks for
     * the one click (`confirm_unsubscribe`), or says it is done already, or that the link is not ours.
     */
    async checkUnsubscribe(token: string): Promise<PublicResult> {
      const claims = keys.verify('u', token);
      if (!claims) return { outcome: 'invalid' };
      const row = await findSubscriber(store.db, claims.subscriberId);
      if (!row) return { outcome: 'unsubscribed' };
      const language = row.language as SubscriberLanguage;
      return { outcome: row.state === 'unsubscribed' ? 'unsubscribed' : 'confirm_unsubscribe', language };
    },

    /** The unsubscribe link (one click, also RFC 8058's POST): the subscriber gets nothing more. */
    async unsubscribe(token: string): Promise<PublicResult> {
      const claims = keys.verify('u', token);
      if (!claims) return { outcome: 'invalid' };
      const now = clock.now();
      return store.transaction(async (tx): Promise<PublicResult> => {
        const row = await findSubscriber(tx, claims.subscriberId);
        // Deleted by staff: as far as the person is concerned, they are unsubscribed.
        if (!row) return { outcome: 'unsubscribed' };
        const language = row.language as SubscriberLanguage;
        const moved = await transition(tx, row.id, ['pending', 'confirmed'], {
          state: 'unsubscribed',
          unsubscribed_at: now,
          updated_at: now,
        });
        if (moved)
          await audit.append(tx, PUBLIC_ACTOR, {
            action: 'subscriber.unsubscribe',
            targetType: 'subscriber',
            targetId: row.id,
            before: { state: row.state },
            after: { state: 'unsubscribed' },
          });
        return { outcome: 'unsubscribed', language };
      });
    },
  };
}

export type SubscriptionService = ReturnType<typeof createSubscriptionService>;
