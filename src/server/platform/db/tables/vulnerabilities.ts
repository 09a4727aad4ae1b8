/** Vulnerability findings, their history, imports, mapping rules, SLA and feeds (migration 0049_vulnerabilities). */

export interface VulnFindingsTable {
  id: string;
  ident: string;
  asset: string;
  finding_key: string;
  scanner: string;
  scope: string;
  service_key: string | null;
  title: string;
  rule_id: string;
  port: string | null;
  /** JSON array of CVE ids. */
  cves: string;
  cvss_version: string | null;
  cvss_vector: string | null;
  cvss_score10: number | null;
  severity: string;
  severity_rank: number;
  status: string;
  accepted_reason: string | null;
  accepted_until: number | null;
  description: string;
  solution: string;
  first_seen: number;
  last_seen: number;
  due_at: number | null;
  kev: number;
  kev_due: number | null;
  epss_e5: number | null;
  epss_percentile_e5: number | null;
  last_import_id: string;
  updated_at: number;
}

export interface VulnFindingCvesTable {
  finding_id: string;
  cve: string;
}

export interface VulnHistoryTable {
  id: string;
  finding_id: string;
  at: number;
  actor_id: string | null;
  actor_label: string;
  from_status: string | null;
  to_status: string;
  reason: string;
  import_id: string | null;
}

export interface VulnImportsTable {
  id: string;
  format: string;
  scanner: string;
  scope: string;
  file_name: string;
  bytes: number;
  encoding: string;
  state: string;
  counts: string;
  rejections: string;
  error: string | null;
  actor_id: string | null;
  actor_label: string;
  started_at: number;
  finished_at: number | null;
}

export interface VulnAssetRulesTable {
  id: string;
  pattern: string;
  service_key: string;
  created_at: number;
}

export interface VulnSlaTable {
  severity: string;
  days: number;
}

export interface VulnKevTable {
  cve: string;
  due_at: number | null;
}

export interface VulnEpssTable {
  cve: string;
  epss_e5: number;
  percentile_e5: number;
}
