/**
 * Paging with escalation (docs/paging.md). `page(tx, …)` in the caller's transaction creates the page
 * (idempotent by key), pages the first step of its escalation policy and enqueues the jobs that carry
 * it on: `page.notify` (one per recipient and contact route: sends through the channel, retried with
 * backoff by the job runner; a recipient nobody can reach is a problem on the page, never dropped) and
 * `page.escalate` (at the next step's time: pages the next level unless the page was acknowledged).
 */
import type { Page } from '../../../shared/page-schemas.js';
import type { Bus } from '../../platform/bus.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { invalid, notFound } from '../../platform/errors.js';
import { type Clock, newId } from '../../platform/ids.js';
import type { Job, JobRunner } from '../../platform/jobs/job-runner.js';
import type { Actor, AuditService } from '../audit/index.js';
import type { ChannelKindSpec, ConnectorContext } from '../connector/index.js';
import type { IncidentRef, IncidentService } from '../incident/index.js';
import {
  escalationPlan,
  type EscalationPolicy,
  nextStep,
  type OncallService,
  recipients,
  type Schedule,
} from '../oncall/index.js';
import type { UserService } from '../user/index.js';
import { ACK_LINK_TTL_MS, signAckToken } from './ack-token.js';
import { pageMessage } from './page-message.js';
import { pageNotes } from './page-notes.js';
import { type StoredProblem, toPages } from './page-view.js';
import {
  contactRoutesOf,
  deliveriesOf,
  deliveryById,
  type DeliveryRow,
  insertDeliveries,
  insertPage,
  pageById,
  pageByKey,
  type PageRow,
  setDeliveryState,
  updatePage,
} from './paging.repository.js';

/** The channel connector of that name, ready to send (null: no such channel connector). */
export type ChannelResolver = (
  name: string,
) => Promise<{ spec: ChannelKindSpec; ctx: ConnectorContext<unknown, unknown> } | null>;

export interface PagingDeps {
  store: Store;
  audit: AuditService;
  clock: Clock;
  bus: Bus;
  jobs: JobRunner;
  oncall: OncallService;
  users: UserService;
  incidents: IncidentService;
  channel: ChannelResolver;
  /** TOCSIN_PUBLIC_URL: acknowledge links are absolute from it. */
  publicUrl: string;
  /** The server key acknowledge links are signed with. */
  signingKey: string;
  /** Tries of one delivery before it counts as failed for good (default 5, the job runner's backoff between). */
  notifyAttempts?: number;
}

export interface PageRequest {
  incidentId: string;
  reason: string;
  policyId?: string;
  scheduleId?: string;
  userIds?: readonly string[];
  /** Idempotency key: paging again with the same key is the first page. */
  key: string;
}

/** Minutes a page without a policy (a schedule or people named directly) waits for an acknowledgement before it is sent again once. */
const DIRECT_WAIT_MINUTES = 5;
export const PAGING_ACTOR: Actor = { id: null, label: 'paging' };

export function createPagingCore(deps: PagingDeps) {
  const { store, audit, clock, bus, jobs, oncall, users, incidents } = deps;
  const notifyAttempts = deps.notifyAttempts ?? 5;
  const { note, noteStep, noteProblem } = pageNotes(incidents, users);

  async function refOf(db: Db, incidentId: string): Promise<IncidentRef> {
    const ref = (await incidents.refs(db, [incidentId])).get(incidentId);
    if (!ref) throw notFound(`incident ${incidentId}`);
    return ref;
  }

  /** The page as the API shows it, and a function publishing it on the stream (call after the commit). */
  async function viewOf(db: Db, id: string): Promise<{ page: Page; publish: () => void }> {
    const row = (await pageById(db, id))!;
    const ref = await refOf(db, row.incident_id);
    const [page] = await toPages(db, [row], new Map([[ref.id, ref.key]]), users.namesOf);
    return {
      page: page!,
      publish: () =>
        bus.publish({
          event: 'page.changed',
          incidentKey: ref.key,
          page: page!,
          audience: { ...ref.audience, permission: 'page.read' },
        }),
    };
  }

  async function addProblems(db: Db, row: PageRow, added: StoredProblem[]): Promise<void> {
    if (added.length === 0) return;
    const problems = [...(JSON.parse(row.problems) as StoredProblem[]), ...added];
    row.problems = JSON.stringify(problems);
    await updatePage(db, row.id, { problems: row.problems, updated_at: clock.now() });
  }

  /** Pages step `index` of the page's plan now: deliveries and their jobs, problems, the next escalation job. */
  async function sendStep(tx: Db, row: PageRow, policy: EscalationPolicy, index: number, now: number) {
    const plan = escalationPlan(policy, Number(row.paged_at));
    const step = plan[index]!;
    const schedules = new Map<string, Schedule>();
    for (const t of step.targets) {
      if (t.kind !== 'schedule' || schedules.has(t.scheduleId)) continue;
      const s = await oncall.schedule(t.scheduleId, tx);
      if (s) schedules.set(t.scheduleId, s);
    }
    const people = recipients(step.targets, schedules, now);
    const routes = await contactRoutesOf(tx, people);
    const problems: StoredProblem[] = [];
    const at = new Date(now).toISOString();
    if (people.length === 0) problems.push({ userId: '', step: index, reason: 'nobody_on_call', detail: null, at });
    const deliveries: DeliveryRow[] = [];
    for (const person of people) {
      const own = routes.filter((r) => r.user_id === person);
      if (own.length === 0)
        problems.push({ userId: person, step: index, reason: 'no_contact_route', detail: null, at });
      for (const r of own)
        deliveries.push({
          id: newId(),
          page_id: row.id,
          step: index,
          user_id: person,
          position: Number(r.position),
          channel: r.channel,
          address: r.address,
          state: 'pending',
          detail: null,
          ack_expires_at: now + ACK_LINK_TTL_MS,
          ack_used_at: null,
          created_at: now,
          updated_at: now,
        });
    }
    await insertDeliveries(tx, deliveries);
    for (const d of deliveries)
      await jobs.enqueue(tx, {
        kind: 'page.notify',
        payload: { deliveryId: d.id },
        key: d.id,
        maxAttempts: notifyAttempts,
      });
    row.sent = index + 1;
    await updatePage(tx, row.id, { sent: row.sent, updated_at: now });
    await addProblems(tx, row, problems);
    // The next step, or (after the last) the end of its wait, when an unacknowledged page is exhausted.
    const next = plan[index + 1]?.at ?? step.at + policy.levels[step.level]!.waitMinutes * 60_000;
    await jobs.enqueue(tx, {
      kind: 'page.escalate',
      payload: { pageId: row.id, step: index + 1 },
      runAt: next,
      key: `${row.id}:${index + 1}`,
    });
    return { index, step, people, deliveries: deliveries.length, problems };
  }

  /** The policy a request names, or a one-level policy over the schedule or people it names. */
  async function policyFor(tx: Db, req: PageRequest): Promise<EscalationPolicy> {
    if (req.policyId) {
      const policy = await oncall.policy(req.policyId, tx);
      if (!policy) throw notFound(`escalation policy ${req.policyId}`);
      return policy;
    }
    const targets = [
      ...(req.scheduleId ? [{ kind: 'schedule' as const, scheduleId: req.scheduleId }] : []),
      ...(req.userIds ?? []).map((personId) => ({ kind: 'person' as const, personId })),
    ];
    if (targets.length === 0) throw invalid('name an escalation policy, a schedule or people to page');
    if (req.scheduleId && !(await oncall.schedule(req.scheduleId, tx))) throw notFound(`schedule ${req.scheduleId}`);
    return { id: 'direct', name: 'direct', levels: [{ targets, waitMinutes: DIRECT_WAIT_MINUTES }], repeat: 0 };
  }

  return {
    viewOf,

    /** Raises a page in the caller's transaction; `publish` after the commit. */
    async page(tx: Db, req: PageRequest, actor: Actor = PAGING_ACTOR) {
      const existing = await pageByKey(tx, req.key);
      if (existing) return { pageId: existing.id, created: false, publish: () => {} };
      const ref = await refOf(tx, req.incidentId);
      const policy = await policyFor(tx, req);
      const now = clock.now();
      const row: PageRow = {
        id: newId(),
        key: req.key,
        incident_id: ref.id,
        reason: req.reason,
        policy_id: req.policyId ?? null,
        policy: JSON.stringify(policy),
        status: 'open',
        paged_at: now,
        sent: 0,
        acknowledged_at: null,
        acknowledged_by: null,
        problems: '[]',
        created_at: now,
        updated_at: now,
      };
      await insertPage(tx, row);
      const first = await sendStep(tx, row, policy, 0, now);
      await audit.append(tx, actor, {
        action: 'page.create',
        targetType: 'page',
        targetId: row.id,
        after: {
          incident: ref.key,
          reason: req.reason,
          policy: policy.name,
          recipients: first.people,
          problems: first.problems.length,
        },
        incidents: [ref.id],
      });
      const noted = await noteStep(tx, row, policy, first);
      const view = await viewOf(tx, row.id);
      const publish = () => {
        noted();
        view.publish();
      };
      return { pageId: row.id, created: true, publish };
    },

    /** `page.escalate`: the next step when it is due and nobody acknowledged; nothing otherwise. */
    async escalate(job: Job<{ pageId: string; step: number }>): Promise<void> {
      const { pageId, step } = job.payload;
      const publish = await store.transaction(async (tx) => {
        const row = await pageById(tx, pageId);
        if (!row || Number(row.sent) !== step || row.status !== 'open') return null;
        const policy = JSON.parse(row.policy) as EscalationPolicy;
        const now = clock.now();
        const state = { pagedAt: Number(row.paged_at), sent: step, acknowledgedAt: row.acknowledged_at };
        const next = nextStep(policy, state, now);
        if (next.action === 'stop') {
          if (next.reason === 'acknowledged') return null;
          await updatePage(tx, row.id, { status: 'exhausted', updated_at: now });
          const noted = await note(tx, row.incident_id, `Nobody acknowledged the page (${policy.name})`, {
            event: 'page_exhausted',
            policy: policy.name,
          });
          const view = await viewOf(tx, row.id);
          return () => {
            noted();
            view.publish();
          };
        }
        if (next.action === 'wait') {
          await jobs.enqueue(tx, {
            kind: 'page.escalate',
            payload: job.payload,
            runAt: next.step.at,
            key: `${pageId}:${step}:${next.step.at}`,
          });
          return null;
        }
        const sent = await sendStep(tx, row, policy, step, now);
        await audit.append(tx, PAGING_ACTOR, {
          action: 'page.escalate',
          targetType: 'page',
          targetId: row.id,
          after: {
            level: sent.step.level + 1,
            round: sent.step.round + 1,
            recipients: sent.people,
            problems: sent.problems.length,
          },
          incidents: [row.incident_id],
        });
        const noted = await noteStep(tx, row, policy, sent);
        const view = await viewOf(tx, row.id);
        return () => {
          noted();
          view.publish();
        };
      });
      publish?.();
    },

    /** `page.notify`: one delivery through its channel. Throws (the runner retries) while tries remain. */
    async notify(job: Job<{ deliveryId: string }>): Promise<void> {
      const d = await deliveryById(store.db, job.payload.deliveryId);
      if (d?.state !== 'pending') return;
      const row = (await pageById(store.db, d.page_id))!;
      if (row.acknowledged_at != null) {
        await setDeliveryState(store.db, d.id, 'skipped', 'acknowledged before it was sent', clock.now());
        return;
      }
      try {
        const user = await users.activeById(d.user_id);
        if (!user) throw new Error('the recipient is disabled or gone');
        const resolved = await deps.channel(d.channel);
        if (!resolved) throw new Error(`no channel connector named "${d.channel}"`);
        const ref = await refOf(store.db, row.incident_id);
        const policy = JSON.parse(row.policy) as EscalationPolicy;
        const step = escalationPlan(policy, Number(row.paged_at))[Number(d.step)]!;
        const token = signAckToken(deps.signingKey, {
          pageId: row.id,
          userId: d.user_id,
          deliveryId: d.id,
          expiresAt: Number(d.ack_expires_at),
        });
        const message = pageMessage(
          {
            incidentKey: ref.key,
            title: ref.titleI18n ?? { 'zh-CN': ref.title, en: ref.title },
            reason: row.reason,
            policyName: policy.name,
            step,
          },
          user.locale,
          d.address,
          `${deps.publicUrl.replace(/\/$/, '')}/ack/${token}`,
        );
        const result = await resolved.spec.send(resolved.ctx, message);
        await setDeliveryState(store.db, d.id, 'sent', result.detail.slice(0, 500), clock.now());
      } catch (err) {
        await failed(job, d, err);
        throw err;
      }
      (await viewOf(store.db, d.page_id)).publish();
    },
  };

  /** Records a failed try; after the last one the delivery failed for good, and when none of the recipient's routes got through, a problem. */
  async function failed(job: Job, d: DeliveryRow, err: unknown): Promise<void> {
    const reason = (err instanceof Error ? err.message : String(err)).slice(0, 500);
    const last = job.attempts >= job.maxAttempts;
    const publish = await store.transaction(async (tx) => {
      const now = clock.now();
      await setDeliveryState(tx, d.id, last ? 'failed' : 'pending', `try ${job.attempts}: ${reason}`, now);
      if (!last) return null;
      const row = (await pageById(tx, d.page_id))!;
      const same = (await deliveriesOf(tx, [d.page_id])).filter((x) => x.step === d.step && x.user_id === d.user_id);
      let noted = () => {};
      if (same.every((x) => x.state === 'failed')) {
        const problem: StoredProblem = {
          userId: d.user_id,
          step: Number(d.step),
          reason: 'all_routes_failed',
          detail: reason,
          at: new Date(now).toISOString(),
        };
        await addProblems(tx, row, [problem]);
        const name = (await users.namesOf([d.user_id], tx)).get(d.user_id) ?? null;
        noted = await noteProblem(tx, row.incident_id, problem, name);
      }
      const view = await viewOf(tx, d.page_id);
      return () => {
        noted();
        view.publish();
      };
    });
    publish?.();
  }
}

export type PagingCore = ReturnType<typeof createPagingCore>;
