/**
 * The per-customer message list of a campaign: a keyset page (the project's cursor codec over the
 * message id) filtered by status or channel, each message with its customer masked, and the counts
 * per channel and state.
 */
import type { CampaignMessage, CampaignMessagePage, MessageStatus } from '../../../shared/campaign-schemas.js';
import { cursorCodec } from '../../platform/cursor.js';
import type { Db } from '../../platform/db/types.js';
import { iso } from '../../platform/ids.js';
import type { ContactPort, MaskedCustomer } from './campaign-ports.js';
import { listMessages, messageCounts, type MessageRow } from './campaign-message.repository.js';

const cursor = cursorCodec(['id']);

/** The state as the list shows it (MESSAGE_STATUSES). */
export function statusOf(state: string, reason: string | null): MessageStatus {
  if (state === 'sending') return 'queued';
  if (state === 'skipped') return reason === 'opted_out' ? 'opted_out' : 'skipped';
  return state as MessageStatus;
}

const ERROR_STATES = new Set(['queued', 'sending', 'failed', 'bounced']);

export function toMessage(r: MessageRow, customer: MaskedCustomer | undefined): CampaignMessage {
  return {
    id: r.id,
    customerId: r.customer_id,
    customer: customer
      ? {
          customerNo: customer.customerNo,
          name: customer.name,
          phoneMasked: customer.phoneMasked,
          emailMasked: customer.emailMasked,
        }
      : null,
    channel: r.channel,
    language: r.language,
    state: r.state as CampaignMessage['state'],
    status: statusOf(r.state, r.reason),
    reason: r.reason,
    lastError: ERROR_STATES.has(r.state) ? r.reason : null,
    attempts: Number(r.attempts),
    gatewayId: r.gateway_id,
    sentAt: iso(r.sent_at === null ? null : Number(r.sent_at)),
    deliveredAt: iso(r.delivered_at === null ? null : Number(r.delivered_at)),
    updatedAt: iso(Number(r.updated_at)),
  };
}

/** Messages with their customers' masked cards (one look-up for the page). */
export async function withCustomers(db: Db, contacts: ContactPort, rows: MessageRow[]): Promise<CampaignMessage[]> {
  const cards = new Map((await contacts.cards(db, [...new Set(rows.map((r) => r.customer_id))])).map((c) => [c.id, c]));
  return rows.map((r) => toMessage(r, cards.get(r.customer_id)));
}

export async function messagePage(
  db: Db,
  contacts: ContactPort,
  campaignId: string,
  q: { state?: string; status?: string; channel?: string; cursor?: string; limit: number },
): Promise<CampaignMessagePage> {
  const afterId = q.cursor === undefined ? undefined : cursor.decode(q.cursor)[0];
  const rows = await listMessages(db, { campaignId, ...q, afterId, limit: q.limit + 1 });
  const counts: Record<string, Record<string, number>> = { total: {} };
  for (const c of await messageCounts(db, campaignId)) {
    const n = Number(c.n);
    counts[c.channel] = { ...counts[c.channel], [c.state]: n };
    counts.total![c.state] = (counts.total![c.state] ?? 0) + n;
  }
  const page = rows.slice(0, q.limit);
  return {
    items: await withCustomers(db, contacts, page),
    next: rows.length > q.limit ? cursor.encode([page.at(-1)!.id]) : null,
    counts,
  };
}
