/** Impact scoping (migration 0023_scoping): the account-activity index and affected-customer sets. */

export interface AccountActivityTable {
  at: number;
  account_no: string;
  customer_no: string | null;
  ip: string | null;
  /** Fixed-width hex of the address (IPv4 8 digits, IPv6 32): a CIDR block is one range. */
  ip_key: string | null;
  device: string | null;
  /** login | order | transfer | other */
  action: string;
  outcome: string | null;
  /** The ingest source, or `extract:<file>`. */
  source: string;
  event_ref: string | null;
}

export interface AffectedSetsTable {
  id: string;
  incident_id: string;
  name: string;
  version: number;
  customer_count: number;
  /** 0 | 1 */
  is_primary: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface AffectedSetVersionsTable {
  set_id: string;
  version: number;
  /** JSON definition. */
  definition: string;
  customer_count: number;
  created_by: string | null;
  created_at: number;
}

export interface AffectedSetMembersTable {
  set_id: string;
  version: number;
  /** The customer's id, or `acct:<account_no>`. */
  member_key: string;
  customer_id: string | null;
  account_no: string | null;
  /** JSON array of reasons. */
  reasons: string;
}
