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

/** What each plan action step of an activation was asked for (migration 0032). */
export interface PlanActionCoverageTable {
  activation_id: string;
  step_id: string;
  /** `account`, `ip`, `host`, or `asked` (empty value): the step was asked once. */
  kind: string;
  value: string;
  run_key: string;
  asked_at: number;
}
