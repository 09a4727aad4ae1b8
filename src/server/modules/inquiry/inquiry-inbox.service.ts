/**
 * The staff side of customer inquiries: log one (call centre, staff), the inbox (filters, keyset pages,
 * overdue by SLA), one inquiry with its thread, assign, answer (free text or a published FAQ answer),
 * notes, close — every change audited with the contact masked — and the war room's numbers.
 * Need-to-know: an inquiry about a restricted incident is seen only by those who see the incident.
 */
import type {
  CustomerInquiry,
  CustomerInquiryDetail,
  InquiryAnswer,
  InquiryCreate,
  InquiryQuery,
  InquiryStats,
} from '../../../shared/inquiry-schemas.js';
import { cursorCodec } from '../../platform/cursor.js';
import type { Db } from '../../platform/db/types.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import { canSee } from '../incident/index.js';
import { audited, type InquiryDeps, type IntakeFn } from './inquiry-context.js';
import { plainText, toInquiry, toMessage } from './inquiry.mapper.js';
import {
  csatOf,
  feedbackOf,
  type InquiryRow,
  inquiriesOfIncident,
  inquiryById,
  insertMessage,
  listInquiries,
  messagesOf,
  updateInquiry,
} from './inquiry.repository.js';

const cursor = cursorCodec(['int', 'id'] as const);
const HOUR = 3_600_000;

/** Told of an answer in its transaction (the email channel mails it back). */
export type OnAnswer = (tx: Db, row: InquiryRow, answerId: string) => Promise<void>;

export function createInquiryInbox(deps: InquiryDeps, intake: IntakeFn, onAnswer?: OnAnswer) {
  const { store, audit, clock, users, incidents, topics, customers } = deps;
  const missing = (id: string) => notFound(`customer inquiry ${id}`);

  async function views(db: Db, rows: InquiryRow[]): Promise<CustomerInquiry[]> {
    const incidentIds = [...new Set(rows.flatMap((r) => (r.incident_id ? [r.incident_id] : [])))];
    const customerIds = [...new Set(rows.flatMap((r) => (r.customer_id ? [r.customer_id] : [])))];
    const [refs, names, fb, numbers] = await Promise.all([
      incidents.refs(db, incidentIds),
      users.namesOf(
        rows.flatMap((r) => [r.assignee_id, r.escalated_to].filter((x): x is string => x !== null)),
        db,
      ),
      feedbackOf(
        db,
        rows.map((r) => r.id),
      ),
      customerIds.length && customers.numbersOf
        ? customers.numbersOf(customerIds, db)
        : Promise.resolve(new Map<string, string>()),
    ]);
    const keys = new Map([...refs].map(([id, r]) => [id, r.key]));
    const ratings = new Map(fb.map((f) => [f.inquiry_id, Number(f.rating)]));
    const now = clock.now();
    return rows.map((r) => toInquiry(r, keys, names, ratings, now, numbers));
  }

  /** The inquiry if the principal may see it (its incident's need-to-know), else 404. */
  async function load(db: Db, p: Principal, id: string): Promise<InquiryRow> {
    const row = await inquiryById(db, id);
    if (!row) throw missing(id);
    if (row.incident_id) {
      const ref = (await incidents.refs(db, [row.incident_id])).get(row.incident_id);
      if (!ref || !canSee(p, ref.audience)) throw missing(id);
    }
    return row;
  }

  async function detail(db: Db, row: InquiryRow): Promise<CustomerInquiryDetail> {
    const [view] = await views(db, [row]);
    const messages = await messagesOf(db, row.id);
    const names = await users.namesOf(
      messages.flatMap((m) => (m.author_id ? [m.author_id] : [])),
      db,
    );
    return { ...view!, messages: messages.map((m) => toMessage(m, names)) };
  }

  /** Applies `set` to an open inquiry, audits `action`, answers the inquiry as it is after. */
  async function change(
    p: Principal,
    id: string,
    action: 'inquiry.assign' | 'inquiry.answer' | 'inquiry.close',
    make: (tx: Db, before: InquiryRow, now: number) => Promise<Partial<InquiryRow>>,
  ): Promise<CustomerInquiryDetail> {
    assertCan(p, 'inquiry.manage');
    return store.transaction(async (tx) => {
      const before = await load(tx, p, id);
      const now = clock.now();
      const after: InquiryRow = { ...before, ...(await make(tx, before, now)), updated_at: now };
      const { id: _id, ...set } = after;
      await updateInquiry(tx, id, set);
      await audit.append(tx, actorOf(p), {
        action,
        targetType: 'customer_inquiry',
        targetId: id,
        before: audited(before),
        after: audited(after),
        incidents: after.incident_id ? [after.incident_id] : undefined,
      });
      return detail(tx, after);
    });
  }

  return {
    /** The call centre (a token of scope events) or staff log a customer's question. */
    async create(p: Principal, input: InquiryCreate): Promise<CustomerInquiryDetail & { repeated: boolean }> {
      assertCan(p, 'inquiry.create');
      return store.transaction(async (tx) => {
        const incidentId = input.incidentKey ? (await incidents.loadVisible(tx, p, input.incidentKey)).id : null;
        const { row, repeated } = await intake(tx, actorOf(p), {
          channel: input.channel,
          incidentId,
          name: input.name,
          phone: input.phone,
          email: input.email,
          question: input.question,
          language: input.language,
          createdBy: p.user.id,
        });
        return { ...(await detail(tx, row)), repeated };
      });
    },

    async list(p: Principal, q: InquiryQuery): Promise<{ items: CustomerInquiry[]; next: string | null }> {
      assertCan(p, 'inquiry.read');
      const from = q.cursor ? cursor.decode(q.cursor) : undefined;
      const incidentId =
        q.incident === undefined
          ? undefined
          : q.incident === 'none'
            ? null
            : (await incidents.loadVisible(store.db, p, q.incident)).id;
      const rows = await listInquiries(
        store.db,
        {
          viewerId: p.user.role === 'admin' ? undefined : p.user.id,
          status: q.status,
          incidentId,
          assigneeId: q.assignee === undefined ? undefined : q.assignee === 'none' ? null : q.assignee,
          overdueAt: q.overdue ? clock.now() : undefined,
          before: from ? { createdAt: from[0], id: from[1] } : undefined,
        },
        q.limit + 1,
      );
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return {
        items: await views(store.db, page),
        next: rows.length > q.limit && last ? cursor.encode([Number(last.created_at), last.id]) : null,
      };
    },

    async get(p: Principal, id: string): Promise<CustomerInquiryDetail> {
      assertCan(p, 'inquiry.read');
      return detail(store.db, await load(store.db, p, id));
    },

    /** The published FAQ answers of the inquiry's incident, as canned texts in its language. */
    async canned(p: Principal, id: string) {
      assertCan(p, 'inquiry.read');
      const row = await load(store.db, p, id);
      if (!row.incident_id) return { items: [] };
      const en = row.language === 'en';
      const faq = await topics.faqOf(store.db, row.incident_id);
      return {
        items: faq.map((f) => ({
          id: f.id,
          question: en ? f.question.en || f.question.zh : f.question.zh,
          answer: plainText(en ? f.answer.en || f.answer.zh : f.answer.zh),
        })),
      };
    },

    assign: (p: Principal, id: string, assigneeId: string | null) =>
      change(p, id, 'inquiry.assign', async (tx, before) => {
        if (before.status === 'closed') throw conflict('the inquiry is closed');
        if (assigneeId && !(await users.activeById(assigneeId, tx)))
          throw invalid(`no active user ${assigneeId}`, [
            {
              path: 'assigneeId',
              message: `no active user ${assigneeId}`,
              code: 'unknown_user',
              params: { id: assigneeId },
            },
          ]);
        const status = before.status === 'answered' ? 'answered' : assigneeId ? 'assigned' : 'new';
        return { assignee_id: assigneeId, status };
      }),

    /** The answer the customer sees on /help/check; marks the inquiry answered. */
    answer: (p: Principal, id: string, body: InquiryAnswer) =>
      change(p, id, 'inquiry.answer', async (tx, before, now) => {
        if (before.status === 'closed') throw conflict('the inquiry is closed');
        let text = body.text ?? '';
        if (body.faqId) {
          const faq = before.incident_id ? await topics.faqOf(tx, before.incident_id) : [];
          const entry = faq.find((f) => f.id === body.faqId);
          if (!entry)
            throw invalid('no published FAQ entry of this incident with that id', [
              { path: 'faqId', message: 'not a published FAQ entry of this incident', code: 'unknown_entry' },
            ]);
          text = plainText(before.language === 'en' ? entry.answer.en || entry.answer.zh : entry.answer.zh);
        }
        const answerId = newId();
        await insertMessage(tx, {
          id: answerId,
          inquiry_id: id,
          kind: 'answer',
          author_id: p.user.id,
          body: text,
          created_at: now,
        });
        await onAnswer?.(tx, before, answerId);
        return {
          answer_text: text,
          answered_by: p.user.id,
          answered_at: now,
          status: 'answered',
          assignee_id: before.assignee_id ?? p.user.id,
        };
      }),

    close: (p: Principal, id: string) =>
      change(p, id, 'inquiry.close', async (_tx, before, now) => {
        if (before.status === 'closed') throw conflict('the inquiry is already closed');
        return { status: 'closed', closed_at: now };
      }),

    /** A staff note on the thread (the customer never sees notes). */
    async note(p: Principal, id: string, body: string): Promise<CustomerInquiryDetail> {
      assertCan(p, 'inquiry.manage');
      return store.transaction(async (tx) => {
        const row = await load(tx, p, id);
        const now = clock.now();
        const noteId = newId();
        await insertMessage(tx, {
          id: noteId,
          inquiry_id: id,
          kind: 'note',
          author_id: p.user.id,
          body,
          created_at: now,
        });
        await updateInquiry(tx, id, { updated_at: now });
        await audit.append(tx, actorOf(p), {
          action: 'inquiry.note',
          targetType: 'customer_inquiry',
          targetId: id,
          after: { reference: row.reference, noteId, body },
          incidents: row.incident_id ? [row.incident_id] : undefined,
        });
        return detail(tx, { ...row, updated_at: now });
      });
    },

    /** The war room's numbers for an incident: volume per hour (24 h), SLA breaches, CSAT, top topics. */
    async stats(p: Principal, key: string): Promise<InquiryStats> {
      assertCan(p, 'inquiry.read');
      const incident = await incidents.loadVisible(store.db, p, key);
      const [rows, csat] = await Promise.all([
        inquiriesOfIncident(store.db, incident.id),
        csatOf(store.db, incident.id),
      ]);
      const now = clock.now();
      const firstHour = Math.floor(now / HOUR) * HOUR - 23 * HOUR;
      const perHour = Array.from({ length: 24 }, (_, i) => ({ hour: firstHour + i * HOUR, count: 0 }));
      const topicCounts = new Map<string, number>();
      let open = 0;
      let breaches = 0;
      let negative = 0;
      for (const r of rows) {
        const slot = Math.floor((Number(r.created_at) - firstHour) / HOUR);
        if (slot >= 0 && slot < 24) perHour[slot]!.count++;
        const isOpen = r.status === 'new' || r.status === 'assigned';
        if (isOpen) open++;
        const due = Number(r.sla_due_at);
        if ((isOpen && due < now) || (r.answered_at !== null && Number(r.answered_at) > due)) breaches++;
        if (r.sentiment === 'negative') negative++;
        for (const t of JSON.parse(r.topics) as string[]) topicCounts.set(t, (topicCounts.get(t) ?? 0) + 1);
      }
      return {
        incidentKey: incident.key,
        total: rows.length,
        open,
        slaBreaches: breaches,
        perHour: perHour.map((h) => ({ hour: new Date(h.hour).toISOString(), count: h.count })),
        csat,
        topTopics: [...topicCounts]
          .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
          .slice(0, 5)
          .map(([topic, count]) => ({ topic, count })),
        negative,
      };
    },
  };
}

export type InquiryInbox = ReturnType<typeof createInquiryInbox>;
