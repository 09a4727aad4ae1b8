/**
 * The performance figures (issue 16, docs/kpi.md): the kpi service reads each source module's aggregate
 * read (exported through its index.ts), and drills and training through their services as the reader.
 */
import type { Store } from './platform/db/connect.js';
import type { Clock } from './platform/ids.js';
import { createActionItemKpi } from './modules/action-item/index.js';
import type { Principal } from './modules/auth/index.js';
import { createCampaignKpi } from './modules/campaign/index.js';
import { createCompensationKpi } from './modules/compensation/index.js';
import type { DrillService } from './modules/drill/index.js';
import { createIncidentKpi } from './modules/incident/index.js';
import { createInquiryKpi } from './modules/inquiry/index.js';
import { createKpiService } from './modules/kpi/index.js';
import { createObligationKpi } from './modules/obligation/index.js';
import type { createTrainingService } from './modules/training/index.js';
import { createVulnerabilityKpi } from './modules/vulnerability/index.js';

export interface KpiWiring {
  store: Store;
  clock: Clock;
  timeZone: string;
  drills: DrillService;
  training: ReturnType<typeof createTrainingService>;
}

export function wireKpi(w: KpiWiring) {
  const { store } = w;
  return createKpiService({
    clock: w.clock,
    timeZone: w.timeZone,
    sources: {
      incidents: createIncidentKpi({ store }),
      campaigns: createCampaignKpi({ store }),
      obligations: createObligationKpi({ store }),
      inquiries: createInquiryKpi({ store }),
      compensation: createCompensationKpi({ store }),
      actionItems: createActionItemKpi({ store }),
      vulnerabilities: createVulnerabilityKpi({ store }),
      async drills(p: Principal, fromMs: number, toMs: number) {
        const { items } = await w.drills.list(p, { status: 'completed' });
        const ended = items.filter((d) => d.endedAt && Date.parse(d.endedAt) >= fromMs && Date.parse(d.endedAt) < toMs);
        const scores: (number | null)[] = [];
        for (const d of ended) scores.push((await w.drills.get(p, d.id)).score?.score ?? null);
        return scores;
      },
      async training(p: Principal) {
        const c = await w.training.coverage.coverage(p);
        if (c.courses.length === 0) return null;
        const people = c.departments.reduce((n, d) => n + d.people, 0);
        const covered = c.departments.reduce((n, d) => n + d.covered, 0);
        return {
          numerator: covered,
          denominator: people,
          value: people === 0 ? null : Math.round((covered / people) * 10_000) / 10_000,
        };
      },
    },
  });
}
