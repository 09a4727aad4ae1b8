/** Investigation (migration 0043_attack): ATT&CK techniques of incidents and requests from outside. */

export interface IncidentTechniquesTable {
  incident_id: string;
  technique_id: string;
  /** rule (a removal of a rule's technique) | analyst (an addition) */
  source: string;
  note: string | null;
  added_by: string | null;
  added_at: number;
  removed_by: string | null;
  removed_at: number | null;
}

export interface InvestigationRequestsTable {
  id: string;
  incident_id: string | null;
  /** police | csrc | csrc_local | cac | court | auditor | other */
  requester_kind: string;
  requester_name: string;
  reference: string | null;
  requested: string;
  received_at: number;
  deadline_at: number | null;
  /** open | answered | withdrawn */
  status: string;
  answered_at: number | null;
  answered_by: string | null;
  /** JSON array of {kind, ref, description}. */
  handed_over: string;
  /** JSON array of `point@deadline` fired. */
  reminded: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}
