/**
 * Acknowledging a page: by a signed-in person (console, API) or through the signed one-time link of a
 * message. Acknowledging stops the escalation: the next `page.escalate` job sees it and does nothing.
 */
import type { Page } from '../../../shared/page-schemas.js';
import { conflict, notFound } from '../../platform/errors.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import { ackMacValid, parseAckToken } from './ack-token.js';
import { acknowledgePage, deliveryById, pageById, useAckLink } from './paging.repository.js';
import type { PagingCore, PagingDeps } from './paging.service.js';

/** What the acknowledge link's page says: done, done earlier (by someone), or refused (forged, used, expired). */
export type LinkOutcome =
  | { outcome: 'acknowledged' | 'already_acknowledged'; incidentKey: string; language: 'zh-CN' | 'en' }
  | { outcome: 'invalid' | 'used' | 'expired' };

export function ackUseCases(deps: PagingDeps, core: PagingCore) {
  const { store, audit, clock, users, incidents } = deps;
  return {
    /** Acknowledges for a signed-in person who may (page.ack) and may see the incident. */
    async ack(p: Principal, pageId: string): Promise<Page> {
      const row = await pageById(store.db, pageId);
      if (!row) throw notFound(`page ${pageId}`);
      const ref = (await incidents.refs(store.db, [row.incident_id])).get(row.incident_id)!;
      await incidents.loadVisible(store.db, p, ref.key); // 404 to those who may not see the incident
      assertCan(p, 'page.ack');
      const { page, publish } = await store.transaction(async (tx) => {
        const now = clock.now();
        if (!(await acknowledgePage(tx, row.id, p.user.id, now))) throw conflict('the page was already acknowledged');
        await audit.append(tx, actorOf(p), {
          action: 'page.ack',
          targetType: 'page',
          targetId: row.id,
          after: { incident: ref.key, via: 'console' },
          incidents: [row.incident_id],
        });
        const noted = await incidents.noteAlerts(tx, row.incident_id, {
          actor: { id: p.user.id, name: p.user.name },
          text: `Page acknowledged by ${p.user.name}`,
          data: { event: 'page_acknowledged', name: p.user.name, via: 'console' },
        });
        const view = await core.viewOf(tx, row.id);
        return {
          page: view.page,
          publish: () => {
            noted.publish();
            view.publish();
          },
        };
      });
      publish();
      return page;
    },

    /** The one-time link: forged or foreign tokens are `invalid`, a second use `used`, after 24 h `expired`. */
    async ackByToken(token: string): Promise<LinkOutcome> {
      const parsed = parseAckToken(token);
      if (!parsed) return { outcome: 'invalid' };
      const d = await deliveryById(store.db, parsed.deliveryId);
      const claims = d && { pageId: d.page_id, userId: d.user_id, deliveryId: d.id, expiresAt: parsed.expiresAt };
      if (!d || !claims || !ackMacValid(deps.signingKey, claims, parsed.mac)) return { outcome: 'invalid' };
      if (d.ack_used_at != null) return { outcome: 'used' };
      const now = clock.now();
      if (now >= claims.expiresAt) return { outcome: 'expired' };
      const user = await users.activeById(claims.userId);
      if (!user) return { outcome: 'invalid' };
      const row = (await pageById(store.db, claims.pageId))!;
      const ref = (await incidents.refs(store.db, [row.incident_id])).get(row.incident_id)!;
      const result = await store.transaction(async (tx) => {
        if (!(await useAckLink(tx, d.id, now))) return { outcome: 'used' as const };
        const first = await acknowledgePage(tx, row.id, user.id, now);
        const noted = first
          ? await incidents.noteAlerts(tx, row.incident_id, {
              actor: { id: user.id, name: user.name },
              text: `Page acknowledged by ${user.name} (link in ${d.channel})`,
              data: { event: 'page_acknowledged', name: user.name, via: 'link', channel: d.channel },
            })
          : null;
        if (first)
          await audit.append(
            tx,
            { id: user.id, label: `${user.name} (acknowledge link)` },
            {
              action: 'page.ack',
              targetType: 'page',
              targetId: row.id,
              after: { incident: ref.key, via: 'link', channel: d.channel },
              incidents: [row.incident_id],
            },
          );
        const view = await core.viewOf(tx, row.id);
        return {
          outcome: first ? ('acknowledged' as const) : ('already_acknowledged' as const),
          publish: () => {
            noted?.publish();
            view.publish();
          },
        };
      });
      if (result.outcome === 'used') return result;
      result.publish();
      return { outcome: result.outcome, incidentKey: ref.key, language: user.locale };
    },
  };
}
