/** Inquiry rows as the staff API shows them (contact masked), and FAQ answers as plain canned text. */
import type { CustomerInquiry, CustomerInquiryDetail } from '../../../shared/inquiry-schemas.js';
import { iso } from '../../platform/ids.js';
import { listMarkers } from '../../platform/markdown.js';
import type { InquiryRow, MessageRow } from './inquiry.repository.js';

type Names = Map<string, string>;

export function toInquiry(
  r: InquiryRow,
  incidentKeys: Map<string, string>,
  names: Names,
  ratings: Map<string, number>,
  now: number,
  customerNos: Map<string, string> = new Map(),
): CustomerInquiry {
  const open = r.status === 'new' || r.status === 'assigned';
  return {
    id: r.id,
    reference: r.reference,
    incidentKey: r.incident_id ? (incidentKeys.get(r.incident_id) ?? null) : null,
    channel: r.channel as CustomerInquiry['channel'],
    customerId: r.customer_id,
    customerNo: r.customer_id ? (customerNos.get(r.customer_id) ?? null) : null,
    contact: r.contact_masked,
    language: r.language as CustomerInquiry['language'],
    question: r.question,
    topics: JSON.parse(r.topics) as string[],
    sentiment: r.sentiment as CustomerInquiry['sentiment'],
    status: r.status as CustomerInquiry['status'],
    assignee: r.assignee_id ? { id: r.assignee_id, name: names.get(r.assignee_id) ?? r.assignee_id } : null,
    answer: r.answer_text,
    answeredAt: iso(r.answered_at),
    slaDueAt: iso(r.sla_due_at),
    overdue: open && r.sla_due_at < now,
    askedCount: r.asked_count,
    escalation:
      r.escalated_at !== null && r.escalated_to
        ? {
            at: iso(Number(r.escalated_at)),
            to: { id: r.escalated_to, name: names.get(r.escalated_to) ?? r.escalated_to },
          }
        : null,
    rating: ratings.get(r.id) ?? null,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export const toMessage = (m: MessageRow, names: Names): CustomerInquiryDetail['messages'][number] => ({
  id: m.id,
  kind: m.kind as 'customer' | 'note' | 'answer',
  authorName: m.author_id ? (names.get(m.author_id) ?? null) : null,
  body: m.body,
  at: iso(m.created_at),
});

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** Plain text of a FAQ answer's sanitized HTML (block ends become line breaks, list items keep their markers). */
export function plainText(html: string): string {
  return listMarkers(html)
    .replace(/<\/(p|li|h[1-6]|blockquote|pre)>|<br\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
