/** On-call schedules and escalation policies (structure as JSON text). */

export interface OncallSchedulesTable {
  id: string;
  name: string;
  time_zone: string;
  /** JSON: RotationLayer[] */
  layers: string;
  /** JSON: Override[] */
  overrides: string;
  /** The calendar feed's capability token (migration 0014); null: no feed. */
  feed_token?: string | null;
  created_at: number;
  updated_at: number;
}

export interface EscalationPoliciesTable {
  id: string;
  name: string;
  /** JSON: EscalationLevel[] */
  levels: string;
  repeat: number;
  created_at: number;
  updated_at: number;
}
