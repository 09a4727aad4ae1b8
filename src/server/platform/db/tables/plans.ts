/** Emergency plans and their versions (YAML source and parsed document as text). */

export interface PlansTable {
  /** The document's `id` (slug). */
  id: string;
  name_zh: string;
  name_en: string;
  created_at: number;
  updated_at: number;
}

export interface PlanVersionsTable {
  plan_id: string;
  /** 1, 2, ... per plan. */
  version: number;
  /** The YAML text as imported, byte for byte. */
  source: string;
  /** JSON: the parsed `Plan`. */
  document: string;
  /** Hex SHA-256 of `source` (UTF-8). */
  sha256: string;
  status: 'draft' | 'approved' | 'active' | 'retired';
  /** User id; null for the CLI. */
  created_by: string | null;
  created_by_label: string;
  created_at: number;
  approved_by: string | null;
  approved_by_label: string | null;
  approved_at: number | null;
  activated_by: string | null;
  activated_by_label: string | null;
  activated_at: number | null;
  retired_at: number | null;
}
