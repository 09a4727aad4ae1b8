/**
 * What the figures are read from (compose.ts wires them): each source module's aggregate read, exported
 * through its index.ts and taking the incident scope; drills and training through their services, as the
 * reader.
 */
import type { Rate } from '../../../shared/kpi-schemas.js';
import type { createActionItemKpi } from '../action-item/index.js';
import type { Principal } from '../auth/index.js';
import type { createCampaignKpi } from '../campaign/index.js';
import type { createCompensationKpi } from '../compensation/index.js';
import type { IncidentKpi } from '../incident/index.js';
import type { createInquiryKpi } from '../inquiry/index.js';
import type { createObligationKpi } from '../obligation/index.js';
import type { createVulnerabilityKpi } from '../vulnerability/index.js';

export interface KpiSources {
  incidents: IncidentKpi;
  campaigns: ReturnType<typeof createCampaignKpi>;
  obligations: ReturnType<typeof createObligationKpi>;
  inquiries: ReturnType<typeof createInquiryKpi>;
  compensation: ReturnType<typeof createCompensationKpi>;
  actionItems: ReturnType<typeof createActionItemKpi>;
  vulnerabilities: ReturnType<typeof createVulnerabilityKpi>;
  /** Drills completed in [fromMs, toMs) with their scores (0..1, null: not scored). */
  drills(p: Principal, fromMs: number, toMs: number): Promise<(number | null)[]>;
  /** People covered of those required; null when no course is required (no roster to measure). */
  training(p: Principal): Promise<Rate | null>;
}
