/** Customer owners (migration 0026_owners): pools, one owner per customer and incident, their activities. */

export interface OwnerPoolsTable {
  id: string;
  /** branch | tier */
  kind: string;
  name: string;
  /** JSON array of user ids. */
  user_ids: string;
  updated_by: string | null;
  updated_at: number;
}

export interface CustomerOwnersTable {
  id: string;
  incident_id: string;
  customer_id: string;
  owner_id: string;
  /** account_manager | branch_pool | tier_queue | default | reassigned */
  rule: string;
  /** open | contacted | resolved */
  state: string;
  sla_due_at: number;
  first_contact_at: number | null;
  assigned_at: number;
  assigned_by: string | null;
  updated_at: number;
}

export interface OwnerActivitiesTable {
  id: string;
  assignment_id: string;
  /** contact | callback | note | concern | request */
  kind: string;
  channel: string | null;
  outcome: string | null;
  text: string;
  due_at: number | null;
  /** open | done (callback, concern, request); null otherwise. */
  status: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}
