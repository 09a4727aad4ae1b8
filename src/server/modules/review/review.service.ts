/**
 * Post-incident reviews (复盘, issue 16, docs/reviews.md). One per incident: opened by itself inside the
 * incident change that resolves it (recovered or closed) when its grade requires one (I-III; not for drills,
 * never for false positives), or by hand for any resolved incident (grade IV's button); due
 * `TOCSIN_REVIEW_DUE_DAYS` after. The facts are filled from the data when it is read (review-filled.ts);
 * the blameless sections and contributing factors (five whys) are written; its action items come from the
 * action-item module (source `review`). draft → in_review → closed; closing is refused (409) while an
 * item is still open, naming them. Every step is audited.
 */
import type { ActionItemCreate } from '../../../shared/action-item-schemas.js';
import type { Incident } from '../../../shared/incident-schemas.js';
import {
  type ContributingFactor,
  REVIEW_SECTIONS,
  type Review,
  type ReviewListQuery,
  type ReviewSections,
  type ReviewState,
  type ReviewSummary,
  type ReviewUpdate,
} from '../../../shared/review-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { conflict, notFound } from '../../platform/errors.js';
import { type Clock, iso, newId } from '../../platform/ids.js';
import { renderMarkdown } from '../../platform/markdown.js';
import type { ActionItemService } from '../action-item/index.js';
import type { Actor, AuditService } from '../audit/index.js';
import { actorOf, assertCan, can, type Principal } from '../auth/index.js';
import type { IncidentService } from '../incident/index.js';
import type { UserService } from '../user/index.js';
import { exportReview } from './review-export.js';
import { fillFacts, type ReviewSources } from './review-filled.js';
import { insertReview, listReviews, type ReviewRow, reviewOfIncident, updateReview } from './review.repository.js';

export interface ReviewDeps {
  store: Store;
  audit: AuditService;
  clock: Clock;
  incidents: IncidentService;
  users: UserService;
  actionItems: ActionItemService;
  sources: ReviewSources;
  /** Days a review is due after the incident is resolved, by grade. */
  dueDays: Record<'I' | 'II' | 'III' | 'IV', number>;
}

const DAY_MS = 86_400_000;
const REQUIRED_GRADES = new Set(['I', 'II', 'III']);
const RESOLVED = new Set(['recovered', 'closed']);
const ENDED_ITEMS = new Set(['done', 'accepted_risk', 'cancelled']);
const SYSTEM: Actor = { id: null, label: 'system (reviews)' };
const EMPTY: ReviewSections = { whatHappened: '', wentWell: '', wentBadly: '', lucky: '' };

const parse = <T>(text: string, fallback: T): T => {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

const wrongState = (state: string, wanted: string, what: string) =>
  conflict(`the review is ${state}; only a review that is ${wanted} can be ${what}`, {
    code: 'review.wrong_state',
    params: { state },
  });

export function createReviewService(deps: ReviewDeps) {
  const { store, audit, clock, incidents, users, actionItems } = deps;

  async function view(p: Principal, incident: Incident, row: ReviewRow): Promise<Review> {
    const state = row.state as ReviewState;
    const names = await users.namesOf(
      [row.created_by, row.updated_by, row.submitted_by, row.closed_by].filter((x): x is string => !!x),
    );
    const step = (by: string | null, at: number | null) =>
      at === null ? null : { by: by ? { id: by, name: names.get(by) ?? '' } : null, at: iso(Number(at)) };
    const sections = { ...EMPTY, ...parse<Partial<ReviewSections>>(row.sections, {}) };
    const items = await actionItems.views(store.db, await actionItems.ofSource(store.db, 'review', row.id));
    const mayWrite = can(p, 'review.write');
    return {
      id: row.id,
      incidentKey: incident.key,
      incidentTitle: incident.title,
      grade: incident.grade,
      state,
      required: row.required === 1,
      dueAt: iso(Number(row.due_at)),
      overdue: state !== 'closed' && Number(row.due_at) < clock.now(),
      revision: Number(row.revision),
      sections,
      html: Object.fromEntries(REVIEW_SECTIONS.map((s) => [s, renderMarkdown(sections[s])])) as Review['html'],
      factors: parse<ContributingFactor[]>(row.factors, []),
      facts: await fillFacts(p, incident, deps.sources),
      actionItems: items,
      created: step(row.created_by, row.created_at),
      updated: step(row.updated_by, row.updated_at),
      submitted: state !== 'draft' ? step(row.submitted_by, row.submitted_at) : null,
      closed: state === 'closed' ? step(row.closed_by, row.closed_at) : null,
      can: {
        edit: mayWrite && state !== 'closed',
        submit: mayWrite && state === 'draft',
        close: can(p, 'review.manage') && state === 'in_review',
        addItem: mayWrite && can(p, 'action_item.write') && state !== 'closed',
      },
    };
  }

  async function load(db: Db, p: Principal, key: string) {
    const incident = await incidents.loadVisible(db, p, key);
    const row = await reviewOfIncident(db, incident.id);
    if (!row) throw notFound(`the review of ${key}`, { code: 'review.not_found', params: { key } });
    return { incident, row };
  }

  /** Runs `fn` on the incident's review in one transaction, then reads it back. */
  async function change(
    p: Principal,
    key: string,
    fn: (tx: Db, incident: Incident, row: ReviewRow, now: number) => Promise<void>,
  ): Promise<Review> {
    const incident = await store.transaction(async (tx) => {
      const { incident: inc, row } = await load(tx, p, key);
      await fn(tx, inc, row, clock.now());
      return inc;
    });
    return view(p, incident, (await reviewOfIncident(store.db, incident.id))!);
  }

  /** A new review row of the incident (not inserted when it has one); true when it was opened. */
  async function openIn(tx: Db, actor: Actor, incident: Incident, required: boolean): Promise<boolean> {
    const now = clock.now();
    const due = now + deps.dueDays[incident.grade] * DAY_MS;
    const row: ReviewRow = {
      id: newId(),
      incident_id: incident.id,
      state: 'draft',
      required: required ? 1 : 0,
      due_at: due,
      revision: 0,
      sections: JSON.stringify(EMPTY),
      factors: '[]',
      created_by: actor.id,
      created_at: now,
      updated_by: null,
      updated_at: now,
      submitted_by: null,
      submitted_at: null,
      closed_by: null,
      closed_at: null,
    };
    if (!(await insertReview(tx, row))) return false;
    await audit.append(tx, actor, {
      action: 'review.open',
      targetType: 'review',
      targetId: row.id,
      after: { incident: incident.key, grade: incident.grade, required, dueAt: iso(due) },
      incidents: [incident.id],
    });
    return true;
  }

  const entry = (row: ReviewRow, incidentId: string, action: Parameters<AuditService['append']>[2]['action']) => ({
    action,
    targetType: 'review' as const,
    targetId: row.id,
    incidents: [incidentId],
  });

  return {
    /**
     * Told of every incident change inside its transaction: a resolved incident of grade I-III (not a
     * drill) gets its review, once.
     */
    async onIncidentChanged(
      tx: Db,
      incidentId: string,
      now: { status: string; grade: string; drill: number },
    ): Promise<void> {
      // Told of every incident change (alert intake's declarations too): nothing is read unless this one resolved it.
      if (!RESOLVED.has(now.status) || !REQUIRED_GRADES.has(now.grade) || now.drill) return;
      const incident = await incidents.current(tx, incidentId);
      if (!RESOLVED.has(incident.status) || !REQUIRED_GRADES.has(incident.grade) || incident.drill) return;
      if (await reviewOfIncident(tx, incidentId)) return;
      await openIn(tx, SYSTEM, incident, true);
    },

    async get(p: Principal, key: string): Promise<Review> {
      assertCan(p, 'review.read');
      const { incident, row } = await load(store.db, p, key);
      return view(p, incident, row);
    },

    /** Opens a review by hand: any resolved incident (grade IV, a drill) that has none yet. */
    async open(p: Principal, key: string): Promise<Review> {
      assertCan(p, 'review.manage');
      const incident = await store.transaction(async (tx) => {
        const inc = await incidents.loadVisible(tx, p, key);
        if (!RESOLVED.has(inc.status))
          throw conflict(`${key} is ${inc.status}: a review is opened once the incident is recovered or closed`, {
            code: 'review.not_resolved',
            params: { status: inc.status },
          });
        if (!(await openIn(tx, actorOf(p), inc, REQUIRED_GRADES.has(inc.grade) && !inc.drill)))
          throw conflict(`${key} has a review already`, { code: 'review.exists', params: { key } });
        return inc;
      });
      return view(p, incident, (await reviewOfIncident(store.db, incident.id))!);
    },

    async list(p: Principal, q: ReviewListQuery): Promise<{ items: ReviewSummary[] }> {
      assertCan(p, 'review.read');
      const now = clock.now();
      const rows = await listReviews(store.db, {
        viewer: p.user.role === 'admin' ? null : p.user.id,
        state: q.state,
        overdueAt: q.overdue ? now : undefined,
        limit: q.limit,
      });
      const items: ReviewSummary[] = [];
      for (const r of rows) {
        const its = await actionItems.ofSource(store.db, 'review', r.id);
        items.push({
          id: r.id,
          incidentKey: r.incident_key,
          incidentTitle: r.incident_title,
          grade: r.incident_grade,
          state: r.state as ReviewState,
          required: r.required === 1,
          dueAt: iso(Number(r.due_at)),
          overdue: r.state !== 'closed' && Number(r.due_at) < now,
          openItems: its.filter((i) => !ENDED_ITEMS.has(i.status)).length,
          items: its.length,
          createdAt: iso(Number(r.created_at)),
          closedAt: iso(r.closed_at === null ? null : Number(r.closed_at)),
        });
      }
      return { items };
    },

    /** Saves the sections and factors given as the next revision (not once closed). */
    update(p: Principal, key: string, input: ReviewUpdate): Promise<Review> {
      assertCan(p, 'review.write');
      return change(p, key, async (tx, incident, row, now) => {
        if (row.state === 'closed') throw wrongState('closed', 'a draft or in review', 'edited');
        const current = Number(row.revision);
        if (input.revision !== undefined && input.revision !== current)
          throw conflict(`the review is at revision ${current}, not ${input.revision}: reload it and edit again`, {
            code: 'review.stale_revision',
            params: { revision: current },
          });
        const sections = { ...EMPTY, ...parse<Partial<ReviewSections>>(row.sections, {}), ...input.sections };
        const set: Partial<ReviewRow> = {
          revision: current + 1,
          sections: JSON.stringify(sections),
          updated_by: p.user.id,
          updated_at: now,
        };
        if (input.factors) set.factors = JSON.stringify(input.factors);
        await updateReview(tx, row.id, set);
        await audit.append(tx, actorOf(p), {
          ...entry(row, incident.id, 'review.update'),
          before: { revision: current },
          after: {
            revision: current + 1,
            changed: [...Object.keys(input.sections ?? {}), ...(input.factors ? ['factors'] : [])],
            factors: input.factors?.length,
          },
        });
      });
    },

    submit(p: Principal, key: string): Promise<Review> {
      assertCan(p, 'review.write');
      return change(p, key, async (tx, incident, row, now) => {
        if (row.state !== 'draft') throw wrongState(row.state, 'a draft', 'submitted');
        await updateReview(tx, row.id, { state: 'in_review', submitted_by: p.user.id, submitted_at: now });
        await audit.append(tx, actorOf(p), {
          ...entry(row, incident.id, 'review.submit'),
          before: { state: row.state },
          after: { state: 'in_review' },
        });
      });
    },

    /** Closes the review in review; refused while any of its action items is still open (named). */
    close(p: Principal, key: string): Promise<Review> {
      assertCan(p, 'review.manage');
      return change(p, key, async (tx, incident, row, now) => {
        if (row.state !== 'in_review') throw wrongState(row.state, 'in review', 'closed');
        const open = (await actionItems.ofSource(tx, 'review', row.id)).filter((i) => !ENDED_ITEMS.has(i.status));
        if (open.length)
          throw conflict(
            `the review has ${open.length} action item(s) not done, cancelled or accepted as a risk: ${open.map((i) => `“${i.title}”`).join(', ')}`,
            {
              code: 'review.open_items',
              params: { count: open.length, items: open.map((i) => i.title).join(', ') },
            },
          );
        await updateReview(tx, row.id, { state: 'closed', closed_by: p.user.id, closed_at: now });
        await audit.append(tx, actorOf(p), {
          ...entry(row, incident.id, 'review.close'),
          before: { state: row.state },
          after: { state: 'closed' },
        });
      });
    },

    /** An action item of the review (source `review`, the incident's need-to-know and paging). */
    addActionItem(p: Principal, key: string, input: ActionItemCreate): Promise<Review> {
      assertCan(p, 'review.write');
      assertCan(p, 'action_item.write');
      return change(p, key, async (tx, incident, row) => {
        if (row.state === 'closed') throw wrongState('closed', 'a draft or in review', 'given action items');
        await actionItems.createIn(tx, actorOf(p), input, { kind: 'review', id: row.id, incidentId: incident.id });
      });
    },

    /** The review as PDF or DOCX ("DRAFT" until closed); a download is an audit entry. */
    async export(p: Principal, key: string, format: 'pdf' | 'docx', lang: 'zh-CN' | 'en') {
      assertCan(p, 'review.read');
      const { incident, row } = await load(store.db, p, key);
      const review = await view(p, incident, row);
      const file = await exportReview(review, format, lang === 'zh-CN' ? 'zh' : 'en');
      await store.transaction(async (tx) => {
        await audit.append(tx, actorOf(p), {
          ...entry(row, incident.id, 'review.download'),
          after: { format, lang, revision: review.revision, state: review.state },
        });
      });
      return file;
    },
  };
}

export type ReviewService = ReturnType<typeof createReviewService>;
