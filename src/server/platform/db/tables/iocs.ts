/** Indicators of compromise of incidents (issue 15, migration 0042). */

export interface IocsTable {
  id: string;
  incident_id: string;
  /** ipv4 | ipv6 | domain | url | sha256 | md5 | sha1 | account | email */
  type: string;
  /** Normalized (lower-case domains, e-mails, hashes; canonical IP addresses). */
  value: string;
  confidence: number;
  /** clear | green | amber | amber+strict | red */
  tlp: string;
  /** alert | analyst | import */
  source: string;
  alert_id: string | null;
  description: string;
  first_seen: number;
  last_seen: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  revoked: number;
}
