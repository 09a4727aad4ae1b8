/** Customer notices behind the performance figures (issue 16, docs/kpi.md): first message sent, customers reached. */
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { type IncidentScope, inIncidentScope } from '../incident/index.js';

async function notified(db: Db, scope: IncidentScope) {
  const r = await db
    .selectFrom('campaign_messages as m')
    .innerJoin('campaigns as c', 'c.id', 'm.campaign_id')
    .select((eb) => [
      eb.fn.count<number | string>('m.customer_id').distinct().as('n'),
      eb.fn.count<number | string>('c.id').as('m'),
    ])
    .where('m.sent_at', 'is not', null)
    .where(inIncidentScope(scope, 'c.incident_id', 'detected'))
    .executeTakeFirst();
  return { customers: Number(r?.n ?? 0), messages: Number(r?.m ?? 0) };
}

export function createCampaignKpi(deps: { store: Store }) {
  return {
    /** Distinct customers sent a message by the scope's campaigns (null when no message was sent). */
    async notified(scope: IncidentScope): Promise<number | null> {
      const r = await notified(deps.store.db, scope);
      return r.messages === 0 ? null : r.customers;
    },
  };
}
