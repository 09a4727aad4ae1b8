/**
 * Campaigns: create (draft), read, preview one customer's message, launch (the fan-out job), pause,
 * resume, cancel; the messages with their counts. Every change is audited. A campaign belongs to an
 * incident and follows its need-to-know.
 */
import type {
  Campaign,
  CampaignCreate,
  CampaignMessage,
  CampaignMessagePage,
  CampaignPreview,
  CampaignState,
} from '../../../shared/campaign-schemas.js';
import type { Db } from '../../platform/db/types.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { AuditAction } from '../../../shared/audit-actions.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import { canSee } from '../incident/index.js';
import { type CampaignDeps, toCampaign } from './campaign-context.js';
import { FANOUT_JOB } from './campaign-fanout.js';
import { renderFor } from './campaign-render.js';
import { campaignById, campaignsOf, type CampaignRow, insertCampaign, moveCampaign } from './campaign.repository.js';
import { messageById, skipQueued } from './campaign-message.repository.js';
import { messagePage, withCustomers } from './campaign-messages.js';

/** What the audit log keeps of a campaign (no customer data). */
const audited = (r: CampaignRow) => ({
  name: r.name,
  statementId: r.statement_id,
  audience: JSON.parse(r.audience) as unknown,
  channels: JSON.parse(r.channels) as unknown,
  mandatory: Number(r.mandatory) === 1,
  urgent: Number(r.urgent) === 1,
  state: r.state,
});

export function createCampaignService(deps: CampaignDeps) {
  const { store, audit, clock, incidents, notices, jobs } = deps;
  const missing = (id: string) => notFound(`campaign ${id}`);

  /** The campaign if the principal may see its incident (else 404). */
  async function load(db: Db, p: Principal, id: string): Promise<{ row: CampaignRow; key: string }> {
    const row = await campaignById(db, id);
    if (!row) throw missing(id);
    const ref = (await incidents.refs(db, [row.incident_id])).get(row.incident_id);
    if (!ref || !canSee(p, ref.audience)) throw missing(id);
    return { row, key: ref.key };
  }

  async function noticeOf(db: Db, statementId: string, incidentId: string) {
    const text = await notices.noticeText(db, statementId, incidentId);
    if (text) return text;
    const message = `statement ${statementId} is not an approved or published customer notice of this incident`;
    throw invalid(message, [{ path: 'statementId', message, code: 'unusable_statement', params: { id: statementId } }]);
  }

  /** Moves the campaign from one of `from` to `to` (409 otherwise), audited. */
  async function move(
    p: Principal,
    id: string,
    from: readonly CampaignState[],
    to: CampaignState,
    action: AuditAction,
    extra: (tx: Db, row: CampaignRow, now: number) => Promise<Partial<CampaignRow>> = async () => ({}),
  ): Promise<Campaign> {
    return store.transaction(async (tx) => {
      const { row, key } = await load(tx, p, id);
      if (!from.includes(row.state as CampaignState))
        throw conflict(`campaign ${id} is ${row.state}: it cannot become ${to}`);
      const now = clock.now();
      const set = { state: to, updated_at: now, ...(await extra(tx, row, now)) };
      if (!(await moveCampaign(tx, id, from, set))) throw conflict(`campaign ${id} changed meanwhile: try again`);
      const after = { ...row, ...set };
      await audit.append(tx, actorOf(p), {
        action,
        targetType: 'campaign',
        targetId: id,
        before: audited(row),
        after: audited(after),
        incidents: [row.incident_id],
      });
      return toCampaign(after, key);
    });
  }

  return {
    async create(p: Principal, incidentKey: string, input: CampaignCreate): Promise<Campaign> {
      assertCan(p, 'campaign.manage');
      return store.transaction(async (tx) => {
        const incident = await incidents.loadVisible(tx, p, incidentKey);
        await noticeOf(tx, input.statementId, incident.id);
        const unknown = await deps.audience.unknown(tx, input.audience, incident.id);
        if (unknown.length)
          throw invalid(
            `the audience names what does not exist: ${unknown.map((e) => e.message).join('; ')}`,
            unknown,
            { code: 'campaign.unknown_audience', params: { kind: input.audience.kind } },
          );
        const now = clock.now();
        const row: CampaignRow = {
          id: newId(),
          incident_id: incident.id,
          name: input.name,
          statement_id: input.statementId,
          audience: JSON.stringify(input.audience),
          channels: JSON.stringify(input.channels),
          mandatory: input.mandatory ? 1 : 0,
          urgent: input.urgent ? 1 : 0,
          quiet_hours: input.quietHours === null ? null : JSON.stringify(input.quietHours),
          throttle: JSON.stringify(input.throttle),
          priority_tiers: JSON.stringify(input.priorityTiers),
          state: 'draft',
          fanout_cursor: null,
          fanout_done: 0,
          message_count: 0,
          created_by: p.user.id,
          launched_by: null,
          created_at: now,
          updated_at: now,
          launched_at: null,
          finished_at: null,
        };
        await insertCampaign(tx, row);
        await audit.append(tx, actorOf(p), {
          action: 'campaign.create',
          targetType: 'campaign',
          targetId: row.id,
          after: audited(row),
          incidents: [incident.id],
        });
        return toCampaign(row, incident.key);
      });
    },

    async get(p: Principal, id: string): Promise<Campaign> {
      assertCan(p, 'campaign.read');
      const { row, key } = await load(store.db, p, id);
      return toCampaign(row, key);
    },

    async listForIncident(p: Principal, incidentKey: string): Promise<{ items: Campaign[] }> {
      assertCan(p, 'campaign.read');
      const incident = await incidents.loadVisible(store.db, p, incidentKey);
      const rows = await campaignsOf(store.db, { incidentId: incident.id });
      return { items: rows.map((r) => toCampaign(r, incident.key)) };
    },

    /** One customer's message as it would go out (nothing is stored). */
    async preview(p: Principal, id: string, customerNo: string): Promise<CampaignPreview> {
      assertCan(p, 'campaign.read');
      const { row, key } = await load(store.db, p, id);
      const notice = await noticeOf(store.db, row.statement_id, row.incident_id);
      const customerId = await deps.contacts.idOfNo(store.db, customerNo);
      const [contact] = customerId ? await deps.contacts.contacts(store.db, [customerId]) : [];
      if (!contact) throw notFound(`customer ${customerNo}`);
      const campaign = toCampaign(row, key);
      const r = renderFor(notice, contact, { ...campaign, incidentKey: key });
      // What the customer receives: an SMS or push text already starts with the title.
      return { customerNo, ...r, subject: r.channel === 'email' ? r.subject : null };
    },

    /** Starts the fan-out (a durable job) and the sending; needs campaign.launch. */
    launch(p: Principal, id: string): Promise<Campaign> {
      assertCan(p, 'campaign.launch');
      return move(p, id, ['draft'], 'fanning_out', 'campaign.launch', async (tx, row, now) => {
        await noticeOf(tx, row.statement_id, row.incident_id);
        await jobs.enqueue(tx, { kind: FANOUT_JOB, payload: { campaignId: id }, key: id, maxAttempts: 20 });
        return { launched_by: p.user.id, launched_at: now };
      });
    },

    /** The fan-out goes on while paused (it only writes messages); resume goes back to sending. */
    pause(p: Principal, id: string): Promise<Campaign> {
      assertCan(p, 'campaign.launch');
      return move(p, id, ['fanning_out', 'running'], 'paused', 'campaign.pause');
    },

    resume(p: Principal, id: string): Promise<Campaign> {
      assertCan(p, 'campaign.launch');
      return store
        .transaction(async (tx) => (await load(tx, p, id)).row)
        .then((row) =>
          move(p, id, ['paused'], Number(row.fanout_done) === 1 ? 'running' : 'fanning_out', 'campaign.resume'),
        );
    },

    cancel(p: Principal, id: string): Promise<Campaign> {
      assertCan(p, 'campaign.launch');
      return move(
        p,
        id,
        ['draft', 'fanning_out', 'running', 'paused'],
        'cancelled',
        'campaign.cancel',
        async (tx, _row, now) => {
          await skipQueued(tx, id, now);
          return { finished_at: now };
        },
      );
    },

    async messages(
      p: Principal,
      id: string,
      q: { state?: string; status?: string; channel?: string; cursor?: string; limit: number },
    ): Promise<CampaignMessagePage> {
      assertCan(p, 'campaign.read');
      await load(store.db, p, id);
      return messagePage(store.db, deps.contacts, id, q);
    },

    async message(p: Principal, id: string, messageId: string): Promise<CampaignMessage> {
      assertCan(p, 'campaign.read');
      await load(store.db, p, id);
      const row = await messageById(store.db, messageId);
      if (!row || row.campaign_id !== id) throw notFound(`campaign message ${messageId}`);
      return (await withCustomers(store.db, deps.contacts, [row]))[0]!;
    },
  };
}

export type CampaignService = ReturnType<typeof createCampaignService>;
