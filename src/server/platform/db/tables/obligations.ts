/** Live obligation clocks (issue 13, migration 0029): firm profile, incident regulatory facts, clocks, warnings. */
export interface FirmProfileTable {
  id: string;
  profile: string;
  version: number;
  updated_by: string | null;
  updated_at: number;
}

export interface IncidentRegulatoryFactsTable {
  incident_id: string;
  facts: string;
  updated_by: string | null;
  updated_at: number;
}

export interface ObligationClocksTable {
  id: string;
  incident_id: string;
  obligation: string;
  stage: string;
  applies: string;
  starts_at: number | null;
  due_at: number | null;
  why: string;
  why_zh: string;
  status: string;
  submitted_at: number | null;
  report_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface ObligationWarningsTable {
  clock_id: string;
  point: string;
  due_at: number;
  at: number;
  fired_at: number;
  page_id: string | null;
}
