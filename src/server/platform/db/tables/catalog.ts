/** The firm's business services (the catalog). */

export interface ServicesTable {
  id: string;
  key: string;
  name_zh: string;
  name_en: string;
  description: string;
  created_at: number;
}
