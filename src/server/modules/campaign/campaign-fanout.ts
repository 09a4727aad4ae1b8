/**
 * The fan-out (durable job `campaign.fanout`, key = the campaign id): reads the audience a page at a
 * time in customer-id order, renders each customer's message and writes the page's messages in
 * multi-row inserts, with the keyset cursor moved on the campaign row in the same transaction; the
 * next page is read and rendered while one is written. A
 * process that dies mid-way leaves the job to another runner when its lease ends, which resumes after
 * the cursor; a page written twice changes nothing (the idempotency key is unique) and a runner that
 * finds the cursor moved by another stops. A long fan-out hands over to a fresh job every minute so
 * no run outlives its lease.
 */
import type { CampaignAudience, CampaignChannel } from '../../../shared/campaign-schemas.js';
import type { Db } from '../../platform/db/types.js';
import { newId } from '../../platform/ids.js';
import type { CampaignDeps } from './campaign-context.js';
import { renderFor } from './campaign-render.js';
import { advanceFanout, campaignById, type CampaignRow, moveCampaign } from './campaign.repository.js';
import { insertMessages, type MessageRow } from './campaign-message.repository.js';

export const FANOUT_JOB = 'campaign.fanout';
const PAGE = 2000;
const RUN_BUDGET_MS = 60_000;

class Overtaken extends Error {}

export interface FanoutPayload {
  campaignId: string;
}

export function createFanout(deps: CampaignDeps, opts: { page?: number } = {}) {
  const { store, clock, incidents } = deps;
  const pageSize = opts.page ?? PAGE;

  async function messagesFor(tx: Db, c: CampaignRow, incidentKey: string, ids: string[]): Promise<MessageRow[]> {
    const notice = await deps.notices.noticeText(tx, c.statement_id, c.incident_id);
    if (!notice) throw new Error(`campaign ${c.id}: its notice is no longer approved`);
    const channels = JSON.parse(c.channels) as CampaignChannel[];
    const tiers = JSON.parse(c.priority_tiers) as string[];
    const mandatory = Number(c.mandatory) === 1;
    const now = clock.now();
    const contacts = await deps.contacts.contacts(tx, ids);
    return contacts.map((contact) => {
      const r = renderFor(notice, contact, { channels, mandatory, incidentKey });
      const tier = contact.tier === null ? -1 : tiers.indexOf(contact.tier);
      return {
        id: newId(),
        campaign_id: c.id,
        customer_id: contact.id,
        channel: r.channel,
        language: r.language,
        body: JSON.stringify({ subject: r.subject, text: r.text }),
        idempotency_key: `${c.id}:${contact.id}:${r.channel}`,
        priority: tier === -1 ? tiers.length : tier,
        state: r.skipReason ? 'skipped' : 'queued',
        reason: r.skipReason,
        attempts: 0,
        next_attempt_at: now,
        lease_until: null,
        locked_by: null,
        gateway_id: null,
        created_at: now,
        sent_at: null,
        delivered_at: null,
        updated_at: now,
      };
    });
  }

  /** A page read and rendered outside the write transaction (null: nothing more to fan out). */
  interface Page {
    cursor: string | null;
    next: string | null;
    rows: MessageRow[];
    done: boolean;
  }

  async function prepare(campaignId: string, cursor: string | null | undefined): Promise<Page | null> {
    const db = store.db;
    const c = await campaignById(db, campaignId);
    if (!c || Number(c.fanout_done) === 1 || !['fanning_out', 'running', 'paused'].includes(c.state)) return null;
    const from = cursor === undefined ? c.fanout_cursor : cursor;
    const key = (await incidents.refs(db, [c.incident_id])).get(c.incident_id)?.key ?? '';
    const audience = JSON.parse(c.audience) as CampaignAudience;
    const ids = await deps.audience.page(db, audience, from, pageSize);
    const rows = await messagesFor(db, c, key, ids);
    return { cursor: from, next: ids.at(-1) ?? from, rows, done: ids.length < pageSize };
  }

  /**
   * Writes a prepared page in one transaction and moves the cursor from where the page began to its
   * end (compare-and-set: a runner that finds the cursor moved by another stops). Relaxed durability:
   * the rows and the cursor commit together, so a commit a power loss takes back is written again on resume.
   */
  async function write(campaignId: string, page: Page): Promise<void> {
    await store.transaction(
      async (tx) => {
        const c = await campaignById(tx, campaignId);
        if (!c || Number(c.fanout_done) === 1 || !['fanning_out', 'running', 'paused'].includes(c.state))
          throw new Overtaken();
        const written = await insertMessages(store, tx, page.rows);
        if (!(await advanceFanout(tx, c.id, page.cursor, page.next, written, page.done, clock.now())))
          throw new Overtaken();
        if (page.done) await moveCampaign(tx, c.id, ['fanning_out'], { state: 'running', updated_at: clock.now() });
      },
      { audited: false, durability: 'relaxed' },
    );
  }

  /** One page, read then written; whether more is to come. */
  async function step(campaignId: string): Promise<boolean> {
    const page = await prepare(campaignId, undefined);
    if (!page) return false;
    try {
      await write(campaignId, page);
    } catch (err) {
      if (err instanceof Overtaken) return false;
      throw err;
    }
    return !page.done;
  }

  /**
   * Runs the fan-out until done, overtaken, or out of this run's time (then a fresh job goes on). The
   * next page is read and rendered while the current one is written: the store's work and this
   * process's overlap.
   */
  async function run(campaignId: string): Promise<void> {
    const started = Date.now();
    try {
      let page = await prepare(campaignId, undefined);
      while (page) {
        const current: Page = page;
        const ahead = current.done ? Promise.resolve(null) : prepare(campaignId, current.next);
        // A failed read-ahead is reported by the await below, not as an unhandled rejection meanwhile.
        ahead.catch(() => {});
        await write(campaignId, current);
        if (current.done) return;
        if (Date.now() - started > RUN_BUDGET_MS) {
          await store.transaction(async (tx) => {
            const c = await campaignById(tx, campaignId);
            await deps.jobs.enqueue(tx, {
              kind: FANOUT_JOB,
              payload: { campaignId },
              key: `${campaignId}:${c?.fanout_cursor ?? ''}`,
              maxAttempts: 20,
            });
          });
          return;
        }
        page = await ahead;
      }
    } catch (err) {
      if (err instanceof Overtaken) return;
      throw err;
    }
  }

  return { run, step };
}
