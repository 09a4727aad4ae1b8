/** Staff contact routes: the channels (connector names) and addresses a person is paged through, in order. */
import type { ContactRoutes } from '../../../shared/page-schemas.js';
import { type FieldError, invalid, notFound } from '../../platform/errors.js';
import { actorOf, type Principal } from '../auth/index.js';
import { contactRoutesOf, replaceContactRoutes } from './paging.repository.js';
import type { PagingDeps } from './paging.service.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[1-9]\d{6,14}$/;

export function contactUseCases(deps: PagingDeps) {
  const { store, audit, clock, users } = deps;

  /** Someone else's routes are 404 to all but administrators (as a restricted incident is to a non-member). */
  function assertSelfOrAdmin(p: Principal, userId: string): void {
    if (p.user.id !== userId && p.user.role !== 'admin') throw notFound(`contact routes of user ${userId}`);
  }

  return {
    async contacts(p: Principal, userId: string): Promise<ContactRoutes> {
      assertSelfOrAdmin(p, userId);
      if (!(await users.namesOf([userId])).has(userId)) throw notFound(`user ${userId}`);
      const rows = await contactRoutesOf(store.db, [userId]);
      return { routes: rows.map((r) => ({ channel: r.channel, address: r.address })) };
    },

    /** Replaces the routes; an address must suit its channel's kind when the channel is known. */
    async setContacts(p: Principal, userId: string, input: ContactRoutes): Promise<ContactRoutes> {
      assertSelfOrAdmin(p, userId);
      if (!(await users.namesOf([userId])).has(userId)) throw notFound(`user ${userId}`);
      const errors: FieldError[] = [];
      for (const [i, r] of input.routes.entries()) {
        const resolved = await deps.channel(r.channel);
        const kind = resolved?.spec.address;
        if (kind === 'email' && !EMAIL.test(r.address))
          errors.push({ path: `body.routes.${i}.address`, message: 'an email address expected' });
        if (kind === 'phone' && !PHONE.test(r.address))
          errors.push({
            path: `body.routes.${i}.address`,
            message: 'a phone number expected (E.164, e.g. +8613800000000)',
          });
      }
      if (errors.length > 0)
        throw invalid(`the contact routes cannot be used: ${errors.map((e) => e.message).join('; ')}`, errors);
      const now = clock.now();
      await store.transaction(async (tx) => {
        const before = await contactRoutesOf(tx, [userId]);
        await replaceContactRoutes(
          tx,
          userId,
          input.routes.map((r, position) => ({
            user_id: userId,
            position,
            channel: r.channel,
            address: r.address,
            created_at: now,
          })),
        );
        await audit.append(tx, actorOf(p), {
          action: 'user.contacts_update',
          targetType: 'user',
          targetId: userId,
          before: before.map((r) => r.channel),
          after: input.routes.map((r) => r.channel),
        });
      });
      return { routes: input.routes };
    },
  };
}
