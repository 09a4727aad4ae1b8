/** The audit hash chain and the incidents its entries are about. */

export interface AuditLogTable {
  seq: number;
  id: string;
  at: number;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string;
  target_id: string | null;
  before_json: string | null;
  after_json: string | null;
  prev_hash: string;
  hash: string;
}

/** Which incidents an audit entry is about (outside the hash chain): the entry follows their need-to-know. */
export interface AuditIncidentsTable {
  seq: number;
  incident_id: string;
}
