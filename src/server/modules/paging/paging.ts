/** `createPagingService`: pages with escalation, acknowledgements, the pages of an incident, contact routes. */
import type { Page } from '../../../shared/page-schemas.js';
import { newId } from '../../platform/ids.js';
import { assertCan, actorOf, type Principal } from '../auth/index.js';
import { ackUseCases } from './ack.service.js';
import { contactUseCases } from './contact.service.js';
import { toPages } from './page-view.js';
import { pagesOfIncident } from './paging.repository.js';
import { createPagingCore, type PagingDeps } from './paging.service.js';

export function createPagingService(deps: PagingDeps) {
  const core = createPagingCore(deps);
  const { store, incidents, users, jobs } = deps;
  jobs.register('page.notify', core.notify);
  jobs.register('page.escalate', core.escalate);
  return {
    page: core.page,
    ...ackUseCases(deps, core),
    ...contactUseCases(deps),

    /** The pages of an incident the principal may see (need-to-know through the incident module), newest first. */
    async listForIncident(p: Principal, key: string): Promise<{ items: Page[] }> {
      assertCan(p, 'page.read');
      const incident = await incidents.loadVisible(store.db, p, key);
      const rows = await pagesOfIncident(store.db, incident.id);
      return { items: await toPages(store.db, rows, new Map([[incident.id, incident.key]]), users.namesOf) };
    },

    /** Pages from the console or the API: a policy, a schedule or people, for an incident the principal may see. */
    async raise(
      p: Principal,
      key: string,
      input: { reason: string; policyId?: string; scheduleId?: string; userIds?: string[] },
    ): Promise<Page> {
      assertCan(p, 'page.create');
      const incident = await incidents.loadVisible(store.db, p, key);
      const { page, publish } = await store.transaction(async (tx) => {
        const r = await core.page(tx, { ...input, incidentId: incident.id, key: `manual:${newId()}` }, actorOf(p));
        return { page: (await core.viewOf(tx, r.pageId)).page, publish: r.publish };
      });
      publish();
      return page;
    },
  };
}

export type PagingService = ReturnType<typeof createPagingService>;
