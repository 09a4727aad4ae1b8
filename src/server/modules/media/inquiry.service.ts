/**
 * Media inquiries per incident: who asked (outlet, journalist, contact), what, by when, the spokesperson
 * who answers and the answer. The contact is personal data: lists show it masked, one inquiry shows it
 * whole only to those who manage the media desk, and the audit log keeps it masked. Inquiries open past
 * their deadline are overdue: listed across incidents and counted per incident for the war room.
 */
import type {
  MediaInquiry,
  MediaInquiryCreate,
  MediaInquiryPatch,
  MediaSummary,
} from '../../../shared/media-schemas.js';
import type { Db } from '../../platform/db/types.js';
import { invalid } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { actorOf, assertCan, can, type Principal } from '../auth/index.js';
import type { IncidentRef } from '../incident/index.js';
import { maskContact } from './contact-mask.js';
import { verdictCounts } from './fact.repository.js';
import {
  type InquiryRow,
  inquiriesOf,
  inquiryById,
  inquiryCounts,
  insertInquiry,
  listInquiries,
  updateInquiry,
} from './inquiry.repository.js';
import type { MediaContext, MediaDeps } from './media-context.js';
import { toInquiry } from './media.mapper.js';

/** The inquiry as the audit log keeps it: the contact masked. */
const audited = (r: InquiryRow) => ({
  outlet: r.outlet,
  journalist: r.journalist,
  contact: maskContact(r.contact),
  question: r.question,
  deadline: r.deadline,
  spokespersonId: r.spokesperson_id,
  answer: { statementId: r.answer_statement_id, text: r.answer_text },
  status: r.status,
});

const ms = (t: string | null) => (t === null ? null : Date.parse(t));

export function createInquiryService(deps: MediaDeps, ctx: MediaContext) {
  const { store, audit, clock, users } = deps;
  const missing = (id: string) => ctx.notFoundAs(`media inquiry ${id}`);

  async function views(db: Db, rows: InquiryRow[], keys: Map<string, string>, wholeContact: boolean) {
    const names = await users.namesOf(
      rows.flatMap((r) => (r.spokesperson_id ? [r.spokesperson_id] : [])),
      db,
    );
    const now = clock.now();
    return rows.map((r) => toInquiry(r, keys.get(r.incident_id) ?? '', names, now, { wholeContact }));
  }

  async function one(db: Db, p: Principal, row: InquiryRow, ref: IncidentRef): Promise<MediaInquiry> {
    const [v] = await views(db, [row], new Map([[ref.id, ref.key]]), can(p, 'media.manage'));
    return v!;
  }

  async function load(db: Db, p: Principal, id: string): Promise<{ row: InquiryRow; ref: IncidentRef }> {
    const row = await inquiryById(db, id);
    if (!row) throw missing(id)();
    const ref = await ctx.incidentOfRecord(db, p, row.incident_id, missing(id));
    return { row, ref: ref! };
  }

  /** 422 unless the spokesperson is an active user. */
  async function checkSpokesperson(db: Db, id: string | null | undefined): Promise<void> {
    if (!id || (await users.activeById(id, db))) return;
    throw invalid(`no active user ${id}`, [
      { path: 'spokespersonId', message: `no active user ${id}`, code: 'unknown_user', params: { id } },
    ]);
  }

  /** 422 unless the answer's statement is an approved or published statement of the inquiry's incident. */
  async function checkAnswer(db: Db, statementId: string | null | undefined, incidentId: string): Promise<void> {
    if (!statementId) return;
    if (deps.statements && (await deps.statements.answerable(db, statementId, incidentId))) return;
    const message = `statement ${statementId} is not an approved or published statement of this incident`;
    throw invalid(message, [
      { path: 'answer.statementId', message, code: 'unusable_statement', params: { id: statementId } },
    ]);
  }

  return {
    async listForIncident(p: Principal, key: string): Promise<{ items: MediaInquiry[] }> {
      assertCan(p, 'media.read');
      const ref = await ctx.visibleIncident(store.db, p, key);
      const rows = await inquiriesOf(store.db, ref.id);
      return { items: await views(store.db, rows, new Map([[ref.id, ref.key]]), false) };
    },

    /** Inquiries across the incidents the principal may see (overdue ones only when asked). */
    async list(
      p: Principal,
      q: { overdue: boolean; status?: MediaInquiry['status'] },
    ): Promise<{ items: MediaInquiry[] }> {
      assertCan(p, 'media.read');
      const rows = await listInquiries(store.db, {
        viewerId: p.user.role === 'admin' ? undefined : p.user.id,
        status: q.status,
        overdueAt: q.overdue ? clock.now() : undefined,
      });
      const keys = await ctx.keysOf(
        store.db,
        rows.map((r) => r.incident_id),
      );
      return { items: await views(store.db, rows, keys, false) };
    },

    async get(p: Principal, id: string): Promise<MediaInquiry> {
      assertCan(p, 'media.read');
      const { row, ref } = await load(store.db, p, id);
      return one(store.db, p, row, ref);
    },

    async create(p: Principal, key: string, input: MediaInquiryCreate): Promise<MediaInquiry> {
      assertCan(p, 'media.manage');
      return store.transaction(async (tx) => {
        const ref = await ctx.visibleIncident(tx, p, key);
        await checkSpokesperson(tx, input.spokespersonId);
        const now = clock.now();
        const row: InquiryRow = {
          id: newId(),
          incident_id: ref.id,
          outlet: input.outlet,
          journalist: input.journalist,
          contact: input.contact,
          question: input.question,
          deadline: ms(input.deadline),
          spokesperson_id: input.spokespersonId,
          answer_statement_id: null,
          answer_text: null,
          status: 'open',
          answered_at: null,
          created_by: p.user.id,
          created_at: now,
          updated_at: now,
        };
        await insertInquiry(tx, row);
        await audit.append(tx, actorOf(p), {
          action: 'media_inquiry.create',
          targetType: 'media_inquiry',
          targetId: row.id,
          after: audited(row),
          incidents: [ref.id],
        });
        ctx.announce(tx, ref, false);
        return one(tx, p, row, ref);
      });
    },

    async update(p: Principal, id: string, patch: MediaInquiryPatch): Promise<MediaInquiry> {
      assertCan(p, 'media.manage');
      return store.transaction(async (tx) => {
        const { row: before, ref } = await load(tx, p, id);
        if (patch.spokespersonId !== undefined) await checkSpokesperson(tx, patch.spokespersonId);
        await checkAnswer(tx, patch.answer?.statementId, before.incident_id);
        const now = clock.now();
        const answered = patch.answer !== undefined;
        const status = patch.status ?? (answered && before.status === 'open' ? 'answered' : before.status);
        const after: InquiryRow = {
          ...before,
          outlet: patch.outlet ?? before.outlet,
          journalist: patch.journalist ?? before.journalist,
          contact: patch.contact ?? before.contact,
          question: patch.question ?? before.question,
          deadline: patch.deadline === undefined ? before.deadline : ms(patch.deadline),
          spokesperson_id: patch.spokespersonId === undefined ? before.spokesperson_id : patch.spokespersonId,
          answer_statement_id:
            patch.answer?.statementId === undefined ? before.answer_statement_id : patch.answer.statementId,
          answer_text: patch.answer?.text === undefined ? before.answer_text : patch.answer.text || null,
          status,
          answered_at: status === 'answered' && before.status !== 'answered' ? now : before.answered_at,
          updated_at: now,
        };
        await updateInquiry(tx, after);
        await audit.append(tx, actorOf(p), {
          action: 'media_inquiry.update',
          targetType: 'media_inquiry',
          targetId: id,
          before: audited(before),
          after: audited(after),
          incidents: [ref.id],
        });
        ctx.announce(tx, ref, false);
        return one(tx, p, after, ref);
      });
    },

    /** What the war room shows: open and overdue inquiries, register entries by verdict. */
    async summary(p: Principal, key: string): Promise<MediaSummary> {
      assertCan(p, 'media.read');
      const ref = await ctx.visibleIncident(store.db, p, key);
      const [counts, verdicts] = await Promise.all([
        inquiryCounts(store.db, ref.id, clock.now()),
        verdictCounts(store.db, ref.id),
      ]);
      const rumors = { false: 0, unverified: 0, confirmed: 0 };
      for (const v of verdicts) if (v.verdict in rumors) rumors[v.verdict as keyof typeof rumors] = Number(v.n);
      return { openInquiries: counts.open, overdueInquiries: counts.overdue, rumors };
    },
  };
}

export type InquiryService = ReturnType<typeof createInquiryService>;
