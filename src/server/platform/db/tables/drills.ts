/** Drills and their injects (migration 0051_drills). */

export interface DrillsTable {
  id: string;
  title: string;
  /** tabletop | technical */
  kind: string;
  plan_id: string | null;
  scenario_zh: string;
  scenario_en: string;
  scheduled_at: number;
  /** scheduled | running | completed | cancelled */
  status: string;
  facilitator_id: string | null;
  /** JSON array of user ids. */
  participants: string;
  grade: string;
  category: string;
  incident_id: string | null;
  started_at: number | null;
  ended_at: number | null;
  notes: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface DrillInjectsTable {
  id: string;
  drill_id: string;
  offset_minutes: number;
  title_zh: string;
  title_en: string;
  text_zh: string;
  text_en: string;
  channel: string;
  expected_zh: string | null;
  expected_en: string | null;
  released_at: number | null;
  released_by: string | null;
  entry_id: string | null;
}
