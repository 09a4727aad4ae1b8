/** Managed detection rules: uploads, enabled/disabled states, hit counters. */

/** A detection rule uploaded through the API: one YAML document. */
export interface RuleUploadsTable {
  rule_id: string;
  file_name: string;
  yaml: string;
  uploaded_by: string | null;
  uploaded_at: number;
}

/** A rule someone enabled or disabled (no row: enabled). */
export interface RuleStatesTable {
  rule_id: string;
  enabled: number;
  changed_by: string | null;
  changed_at: number;
}

/** How often a rule matched, flushed from the detection pipeline's counters. */
export interface RuleHitsTable {
  rule_id: string;
  hits: number;
  last_hit_at: number | null;
}
