/** The public status site: shown services, groups, overrides, maintenance, announcements and their updates. */

export interface StatusGroupsTable {
  key: string;
  name_zh: string;
  name_en: string;
  position: number;
  created_at: number;
  updated_at: number;
}

export interface StatusComponentsTable {
  service_id: string;
  public: number;
  group_key: string | null;
  position: number;
  description_zh: string;
  description_en: string;
  updated_at: number;
}

export interface StatusOverridesTable {
  id: string;
  service_id: string;
  state: string;
  reason: string;
  set_by: string | null;
  set_by_label: string;
  started_at: number;
  /** null: in force. */
  ended_at: number | null;
  ended_by: string | null;
}

export interface StatusMaintenancesTable {
  id: string;
  title_zh: string;
  title_en: string;
  body_zh: string;
  body_en: string;
  services: string; // JSON array of service keys
  starts_at: number;
  ends_at: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface StatusAnnouncementsTable {
  id: string;
  slug: string;
  incident_id: string;
  title_zh: string;
  title_en: string;
  status: string;
  impact: string;
  started_at: number | null;
  detected_at: number | null;
  resolved_at: number | null;
  cause: string; // JSON {zh, en} Markdown
  measures: string;
  customer_action: string;
  services: string; // JSON array of service keys
  customer_groups: string; // JSON [{zh, en}]
  regions: string;
  next_update_at: number | null;
  investigation: string | null; // JSON {zh, en} Markdown
  investigation_at: number | null;
  published_at: number;
  updated_at: number;
}

export interface StatusAnnouncementUpdatesTable {
  id: string;
  announcement_id: string;
  statement_id: string;
  /** opened | updated | investigation | resolved */
  kind: string;
  status: string;
  body_zh: string;
  body_en: string;
  at: number;
}
