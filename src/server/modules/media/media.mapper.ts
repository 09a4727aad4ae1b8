/** Rows of the media desk as the API shows them to staff, and as the public site's read model carries them. */
import type { FactEntry, FactEntryVersion, FaqItem, MediaInquiry } from '../../../shared/media-schemas.js';
import type { FactCheck, FactVerdict, FaqEntry } from '../../../shared/status-site.js';
import { iso } from '../../platform/ids.js';
import { renderMarkdown } from '../../platform/markdown.js';
import { maskContact } from './contact-mask.js';
import type { FactRow, FactVersionRow } from './fact.repository.js';
import type { FaqRow } from './faq.repository.js';
import type { InquiryRow } from './inquiry.repository.js';

type Names = Map<string, string>;
const person = (id: string | null, names: Names) => (id ? { id, name: names.get(id) ?? null } : null);
const html = (b: { zh: string; en: string }) => ({ zh: renderMarkdown(b.zh), en: renderMarkdown(b.en) });

/** The fields a version keeps (the entry as it was after the change). */
export function factData(r: FactRow): FactEntryVersion['entry'] {
  return {
    claim: { zh: r.claim_zh, en: r.claim_en },
    source: r.source,
    verdict: r.verdict as FactVerdict,
    rebuttal: { zh: r.rebuttal_zh, en: r.rebuttal_en },
    evidenceUrl: r.evidence_url,
    published: r.published === 1,
  };
}

export function toFactEntry(r: FactRow, incidentKey: string | null, names: Names): FactEntry {
  const data = factData(r);
  return {
    id: r.id,
    incidentKey,
    ...data,
    rebuttalHtml: html(data.rebuttal),
    publishedAt: iso(r.published_at === null ? null : Number(r.published_at)),
    version: Number(r.version),
    createdAt: iso(Number(r.created_at)),
    updatedAt: iso(Number(r.updated_at)),
    updatedBy: person(r.updated_by, names),
  };
}

export function toFactVersion(r: FactVersionRow, names: Names): FactEntryVersion {
  return {
    version: Number(r.version),
    change: r.change as FactEntryVersion['change'],
    at: iso(Number(r.changed_at)),
    by: person(r.changed_by, names),
    entry: JSON.parse(r.data) as FactEntryVersion['entry'],
  };
}

/**
 * A published entry as the public site carries it. `announcement` is left null: the status module,
 * which knows each incident's announcement, sets its slug (the map it gets is keyed by incident id).
 */
export function toPublicFactCheck(r: FactRow): FactCheck {
  return {
    id: r.id,
    announcement: null,
    claim: { zh: r.claim_zh, en: r.claim_en },
    verdict: r.verdict as FactVerdict,
    rebuttal: html({ zh: r.rebuttal_zh, en: r.rebuttal_en }),
    source: r.source,
    evidenceUrl: r.evidence_url,
    publishedAt: Number(r.published_at ?? r.updated_at),
    updatedAt: Number(r.updated_at),
  };
}

export function toFaqItem(r: FaqRow, incidentKey: string): FaqItem {
  const answer = { zh: r.answer_zh, en: r.answer_en };
  return {
    id: r.id,
    incidentKey,
    question: { zh: r.question_zh, en: r.question_en },
    answer,
    answerHtml: html(answer),
    position: Number(r.position),
    published: r.published === 1,
    publishedAt: iso(r.published_at === null ? null : Number(r.published_at)),
    updatedAt: iso(Number(r.updated_at)),
  };
}

export function toPublicFaq(r: FaqRow): FaqEntry {
  return {
    id: r.id,
    question: { zh: r.question_zh, en: r.question_en },
    answer: html({ zh: r.answer_zh, en: r.answer_en }),
    position: Number(r.position),
  };
}

/** Open with a deadline before `now`. */
export const isOverdue = (r: InquiryRow, now: number) =>
  r.status === 'open' && r.deadline !== null && Number(r.deadline) < now;

export function toInquiry(
  r: InquiryRow,
  incidentKey: string,
  names: Names,
  now: number,
  opts: { wholeContact: boolean },
): MediaInquiry {
  return {
    id: r.id,
    incidentKey,
    outlet: r.outlet,
    journalist: r.journalist,
    contact: opts.wholeContact ? r.contact : maskContact(r.contact),
    question: r.question,
    deadline: iso(r.deadline === null ? null : Number(r.deadline)),
    overdue: isOverdue(r, now),
    spokesperson: person(r.spokesperson_id, names),
    answer: { statementId: r.answer_statement_id, text: r.answer_text },
    status: r.status as MediaInquiry['status'],
    answeredAt: iso(r.answered_at === null ? null : Number(r.answered_at)),
    createdAt: iso(Number(r.created_at)),
    updatedAt: iso(Number(r.updated_at)),
  };
}
