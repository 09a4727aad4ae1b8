/**
 * FAQ entries per incident: question and answer (Markdown) in both languages, in an order of their own.
 * Published ones appear on the incident's announcement (through PublicFacts); staff and customer
 * service read all of them.
 */
import type { FaqCreate, FaqItem, FaqPatch } from '../../../shared/media-schemas.js';
import { notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import { type FaqRow, faqById, faqOf, insertFaq, updateFaq } from './faq.repository.js';
import type { MediaContext, MediaDeps } from './media-context.js';
import { toFaqItem } from './media.mapper.js';

const audited = (r: FaqRow) => ({
  question: { zh: r.question_zh, en: r.question_en },
  answer: { zh: r.answer_zh, en: r.answer_en },
  position: r.position,
  published: r.published === 1,
});

export function createFaqService(deps: MediaDeps, ctx: MediaContext) {
  const { store, audit, clock } = deps;

  return {
    async list(p: Principal, key: string): Promise<{ items: FaqItem[] }> {
      assertCan(p, 'media.read');
      const ref = await ctx.visibleIncident(store.db, p, key);
      const rows = await faqOf(store.db, [ref.id], false);
      return { items: rows.map((r) => toFaqItem(r, ref.key)) };
    },

    async create(p: Principal, key: string, input: FaqCreate): Promise<FaqItem> {
      assertCan(p, 'media.manage');
      return store.transaction(async (tx) => {
        const ref = await ctx.visibleIncident(tx, p, key);
        const now = clock.now();
        const row: FaqRow = {
          id: newId(),
          incident_id: ref.id,
          question_zh: input.question.zh,
          question_en: input.question.en,
          answer_zh: input.answer.zh,
          answer_en: input.answer.en,
          position: input.position,
          published: input.published ? 1 : 0,
          published_at: input.published ? now : null,
          created_at: now,
          updated_at: now,
        };
        await insertFaq(tx, row);
        await audit.append(tx, actorOf(p), {
          action: 'faq.create',
          targetType: 'faq_entry',
          targetId: row.id,
          after: audited(row),
          incidents: [ref.id],
        });
        ctx.announce(tx, ref, row.published === 1);
        return toFaqItem(row, ref.key);
      });
    },

    async update(p: Principal, key: string, id: string, patch: FaqPatch): Promise<FaqItem> {
      assertCan(p, 'media.manage');
      return store.transaction(async (tx) => {
        const ref = await ctx.visibleIncident(tx, p, key);
        const before = await faqById(tx, id);
        if (!before || before.incident_id !== ref.id) throw notFound(`FAQ entry ${id}`);
        const now = clock.now();
        const published = patch.published === undefined ? before.published : patch.published ? 1 : 0;
        const after: FaqRow = {
          ...before,
          question_zh: patch.question?.zh ?? before.question_zh,
          question_en: patch.question?.en ?? before.question_en,
          answer_zh: patch.answer?.zh ?? before.answer_zh,
          answer_en: patch.answer?.en ?? before.answer_en,
          position: patch.position ?? before.position,
          published,
          published_at: published === 1 && before.published !== 1 ? now : before.published_at,
          updated_at: now,
        };
        await updateFaq(tx, after);
        await audit.append(tx, actorOf(p), {
          action: 'faq.update',
          targetType: 'faq_entry',
          targetId: id,
          before: audited(before),
          after: audited(after),
          incidents: [ref.id],
        });
        ctx.announce(tx, ref, before.published === 1 || after.published === 1);
        return toFaqItem(after, ref.key);
      });
    },
  };
}

export type FaqService = ReturnType<typeof createFaqService>;
