/**
 * Staff side of subscriptions: counts and a masked list (never a whole address), webhook subscribers
 * (URL checked by the outbound guard when created and again on every delivery, signing secret sealed),
 * and deleting a subscriber. Every change is audited in its transaction.
 */
import type { z } from 'zod';
import type {
  SubscriberItem,
  SubscriberLanguage,
  SubscriberQuery,
  WebhookCreate,
  WebhookUpdate,
} from '../../../shared/subscription-schemas.js';
import { cursorCodec } from '../../platform/cursor.js';
import type { Store } from '../../platform/db/connect.js';
import { invalid, notFound } from '../../platform/errors.js';
import { iso, newId, type Clock } from '../../platform/ids.js';
import { GuardRefusal, type OutboundGuard } from '../../platform/outbound-guard.js';
import type { SecretBox } from '../../platform/secret-box.js';
import type { AuditService } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import {
  countSubscribers,
  deleteSubscriber,
  findSubscriber,
  insertSubscriber,
  listSubscribers,
  servicesOfConfirmed,
  updateSubscriber,
  type SubscriberRow,
} from './subscription.repository.js';

const cursor = cursorCodec(['id']);

function toItem(r: SubscriberRow): SubscriberItem {
  return {
    id: r.id,
    kind: r.kind as SubscriberItem['kind'],
    state: r.state as SubscriberItem['state'],
    language: r.language as SubscriberLanguage,
    masked: r.masked,
    name: r.name,
    services: JSON.parse(r.services) as string[],
    createdAt: iso(Number(r.created_at)),
    confirmedAt: iso(r.confirmed_at == null ? null : Number(r.confirmed_at)),
    unsubscribedAt: iso(r.unsubscribed_at == null ? null : Number(r.unsubscribed_at)),
  };
}

const audited = (r: SubscriberRow) => ({
  kind: r.kind,
  state: r.state,
  name: r.name,
  masked: r.masked,
  language: r.language,
  services: JSON.parse(r.services) as string[],
});

export function createSubscriptionAdmin(deps: {
  store: Store;
  audit: AuditService;
  clock: Clock;
  secretBox: SecretBox;
  guard: OutboundGuard;
}) {
  const { store, audit, clock, secretBox, guard } = deps;

  /** The URL's origin for lists, after the guard's parse (scheme, no credentials, no refused literal address). */
  function checkUrl(url: string): string {
    try {
      const t = guard.parse('http', url);
      const why = guard.refusal(t.host);
      // A host name is resolved (and checked) at each delivery; a literal address can be judged now.
      if (why && !why.endsWith('is not an IP address')) throw new GuardRefusal(why);
      return t.url!.origin;
    } catch (err) {
      if (err instanceof GuardRefusal)
        throw invalid(`url: ${err.message}`, [{ path: 'body.url', message: err.message }]);
      throw err;
    }
  }

  async function webhookRow(id: string): Promise<SubscriberRow> {
    const row = await findSubscriber(store.db, id);
    if (row?.kind !== 'webhook') throw notFound('webhook subscriber');
    return row;
  }

  return {
    /** Counts by state, language, kind and (confirmed) service, and a page of the masked list. */
    async overview(p: Principal, q: z.infer<typeof SubscriberQuery>) {
      assertCan(p, 'subscriber.read');
      const byState: Record<string, number> = {};
      const byLanguage: Record<string, number> = {};
      const byKind: Record<string, number> = {};
      for (const c of await countSubscribers(store.db)) {
        const n = Number(c.n);
        byState[c.state] = (byState[c.state] ?? 0) + n;
        byKind[c.kind] = (byKind[c.kind] ?? 0) + n;
        if (c.state === 'confirmed') byLanguage[c.language] = (byLanguage[c.language] ?? 0) + n;
      }
      const byService: Record<string, number> = {};
      for (const r of await servicesOfConfirmed(store.db)) {
        const chosen = JSON.parse(r.services) as string[];
        for (const k of chosen.length ? chosen : ['*']) byService[k] = (byService[k] ?? 0) + 1;
      }
      const beforeId = q.cursor ? cursor.decode(q.cursor)[0] : undefined;
      const rows = await listSubscribers(store.db, { state: q.state, kind: q.kind, beforeId }, q.limit + 1);
      const page = rows.slice(0, q.limit);
      return {
        counts: { byState, byLanguage, byKind, byService },
        items: page.map(toItem),
        next: rows.length > q.limit ? cursor.encode([page[page.length - 1]!.id]) : null,
      };
    },

    async createWebhook(p: Principal, body: z.infer<typeof WebhookCreate>): Promise<SubscriberItem> {
      assertCan(p, 'subscriber.manage');
      const origin = checkUrl(body.url);
      const now = clock.now();
      const id = newId();
      const row: SubscriberRow = {
        id,
        kind: 'webhook',
        state: 'confirmed',
        language: body.language,
        address_hash: null,
        sealed: secretBox.seal({ url: body.url, secret: body.secret }, id),
        masked: origin,
        name: body.name,
        services: JSON.stringify([...new Set(body.services)].sort()),
        created_at: now,
        updated_at: now,
        confirmed_at: now,
        unsubscribed_at: null,
        confirm_sent_at: null,
      };
      await store.transaction(async (tx) => {
        await insertSubscriber(tx, row);
        await audit.append(tx, actorOf(p), {
          action: 'subscriber.webhook_create',
          targetType: 'subscriber',
          targetId: id,
          after: audited(row),
        });
      });
      return toItem(row);
    },

    async updateWebhook(p: Principal, id: string, body: z.infer<typeof WebhookUpdate>): Promise<SubscriberItem> {
      assertCan(p, 'subscriber.manage');
      const before = await webhookRow(id);
      const sealed = secretBox.open<{ url: string; secret: string }>(before.sealed, id);
      const url = body.url ?? sealed.url;
      const origin = body.url ? checkUrl(body.url) : before.masked;
      const set = {
        name: body.name ?? before.name,
        language: body.language ?? before.language,
        services: body.services ? JSON.stringify([...new Set(body.services)].sort()) : before.services,
        sealed:
          body.url || body.secret ? secretBox.seal({ url, secret: body.secret ?? sealed.secret }, id) : before.sealed,
        masked: origin,
        updated_at: clock.now(),
      };
      const after = { ...before, ...set };
      await store.transaction(async (tx) => {
        await updateSubscriber(tx, id, set);
        await audit.append(tx, actorOf(p), {
          action: 'subscriber.webhook_update',
          targetType: 'subscriber',
          targetId: id,
          before: audited(before),
          after: { ...audited(after), secretChanged: body.secret !== undefined },
        });
      });
      return toItem(after);
    },

    /** Deletes a subscriber of either kind (its sealed address goes with it). */
    async remove(p: Principal, id: string): Promise<void> {
      assertCan(p, 'subscriber.manage');
      await store.transaction(async (tx) => {
        const row = await findSubscriber(tx, id);
        if (!row || !(await deleteSubscriber(tx, id))) throw notFound('subscriber');
        await audit.append(tx, actorOf(p), {
          action: 'subscriber.delete',
          targetType: 'subscriber',
          targetId: id,
          before: audited(row),
        });
      });
    },
  };
}

export type SubscriptionAdmin = ReturnType<typeof createSubscriptionAdmin>;
