/** The risk register and training records (migration 0050_risk_training). */

export interface RisksTable {
  id: string;
  seq: number;
  title: string;
  description: string;
  category: string;
  likelihood: number;
  impact: number;
  score: number;
  residual_likelihood: number | null;
  residual_impact: number | null;
  owner_id: string | null;
  status: string;
  review_on: string | null;
  /** JSON array of text ids. */
  vulnerability_ids: string;
  version: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface RiskIncidentsTable {
  risk_id: string;
  incident_id: string;
}

export interface RiskHistoryTable {
  id: string;
  risk_id: string;
  at: number;
  actor_id: string | null;
  actor_label: string;
  /** JSON: field -> [before, after]. */
  changes: string;
}

export interface TrainingRecordsTable {
  id: string;
  person_key: string;
  user_id: string | null;
  email: string | null;
  employee_id: string | null;
  person_name: string | null;
  department: string;
  course_code: string;
  course_name: string;
  completed_on: string;
  score: number | null;
  expires_on: string | null;
  source: string;
  created_at: number;
  updated_at: number;
}

export interface TrainingPhishingTable {
  id: string;
  campaign: string;
  person_key: string;
  person_name: string | null;
  department: string;
  sent: number;
  clicked: number;
  reported: number;
  imported_at: number;
}

export interface TrainingRequiredTable {
  course_code: string;
  course_name: string;
  period_months: number;
  oncall: number;
  position: number;
}
