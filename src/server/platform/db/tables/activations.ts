/** Plan activations: one per plan and incident (migration 0015). */

export interface PlanActivationsTable {
  id: string;
  incident_id: string;
  plan_id: string;
  plan_version: number;
  /** JSON: the Plan document as activated. */
  document: string;
  activated_by: string | null;
  /** JSON: ActivationDetails (why, and who filled each role). */
  details: string;
  activated_at: number;
}
