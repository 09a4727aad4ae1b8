/** Customers and their accounts (migration 0022_customers). */

export interface CustomersTable {
  id: string;
  customer_no: string;
  name: string;
  /** Sealed JSON bound to the id: { phone?, email?, idNumber?, bankCard? }. */
  pii_sealed: string;
  phone_hash: string | null;
  email_hash: string | null;
  id_number_hash: string | null;
  bank_card_hash: string | null;
  phone_masked: string | null;
  email_masked: string | null;
  id_number_masked: string | null;
  bank_card_masked: string | null;
  /** zh-CN | en */
  language: string;
  /** sms | email | push | phone; null: the firm's default order. */
  channel: string | null;
  branch: string | null;
  tier: string | null;
  account_manager: string | null;
  /** JSON array of opted-out channels or `marketing`. */
  opt_outs: string;
  /** import | api | demo */
  source: string;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface CustomerAccountsTable {
  account_no: string;
  customer_id: string;
  created_at: number;
}

export interface CustomerImportsTable {
  id: string;
  file_name: string;
  /** utf-8 | utf-8-bom | gb18030 | xlsx */
  encoding: string;
  /** JSON array of the header cells. */
  header: string;
  row_count: number;
  /** Sealed JSON (bound to the id) of the data rows; '' once committed. */
  rows_sealed: string;
  /** JSON: field -> column index; null until checked. */
  mapping: string | null;
  /** uploaded | checked | committing | committed */
  state: string;
  /** JSON report (counts, bad rows); no PII. */
  report: string | null;
  rows_done: number;
  created_by: string;
  committed_by: string | null;
  created_at: number;
  updated_at: number;
}
