/** Post-incident reviews and action items (migration 0048_reviews). */

export interface ReviewsTable {
  id: string;
  incident_id: string;
  /** draft | in_review | closed */
  state: string;
  required: number;
  due_at: number;
  revision: number;
  /** JSON: the written sections (Markdown). */
  sections: string;
  /** JSON array of contributing factors. */
  factors: string;
  created_by: string | null;
  created_at: number;
  updated_by: string | null;
  updated_at: number;
  submitted_by: string | null;
  submitted_at: number | null;
  closed_by: string | null;
  closed_at: number | null;
}

export interface ActionItemsTable {
  id: string;
  title: string;
  description: string;
  owner_id: string;
  due_at: number;
  priority: string;
  status: string;
  status_reason: string | null;
  accepted_by: string | null;
  accepted_at: number | null;
  closed_at: number | null;
  source_kind: string;
  source_id: string | null;
  treats_kind: string | null;
  treats_id: string | null;
  incident_id: string | null;
  /** JSON array of `point@due`. */
  reminded: string;
  escalated_at: number | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  version: number;
}

export interface ActionItemEventsTable {
  id: string;
  item_id: string;
  at: number;
  actor_id: string | null;
  kind: string;
  data: string;
}
