/** Customer inquiries, their thread and satisfaction surveys (migration 0024_inquiries). */

export interface CustomerInquiriesTable {
  id: string;
  reference: string;
  incident_id: string | null;
  /** portal | email | call_centre | staff */
  channel: string;
  customer_id: string | null;
  /** Sealed JSON bound to the id: { name, phone?, email? }. */
  contact_sealed: string;
  phone_hash: string | null;
  email_hash: string | null;
  contact_masked: string;
  language: string;
  question: string;
  /** JSON array of topic tags. */
  topics: string;
  /** negative | neutral | positive */
  sentiment: string;
  /** new | assigned | answered | closed */
  status: string;
  assignee_id: string | null;
  answer_text: string | null;
  answered_by: string | null;
  answered_at: number | null;
  sla_due_at: number;
  dedupe_key: string;
  asked_count: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  /** When the overdue inquiry was escalated, and to whom (migration 0027). */
  escalated_at: number | null;
  escalated_to: string | null;
}

export interface InquiryMessagesTable {
  id: string;
  inquiry_id: string;
  /** customer | note | answer */
  kind: string;
  author_id: string | null;
  body: string;
  created_at: number;
}

export interface InquiryFeedbackTable {
  inquiry_id: string;
  rating: number;
  comment: string | null;
  created_at: number;
}

/** Message-IDs of inquiry mail, received (`in`) and sent (`out`) (migration 0027_inbound). */
export interface InquiryMailTable {
  message_id: string;
  inquiry_id: string;
  direction: 'in' | 'out';
  created_at: number;
}

/** An escalation that paged an owner, once per kind and subject (migration 0027_inbound). */
export interface CustomerEscalationsTable {
  id: string;
  /** inquiry_sla | owner_sla | callback */
  kind: string;
  subject_id: string;
  incident_id: string | null;
  inquiry_id: string | null;
  assignment_id: string | null;
  owner_id: string;
  page_id: string | null;
  reason: string;
  created_at: number;
}
