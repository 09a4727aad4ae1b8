/** What the drill module is given at wiring (compose.ts): the store, the incident and plan modules, the reads it scores from. */
import type { Campaign } from '../../../shared/campaign-schemas.js';
import type { Incident, TimelineEntry } from '../../../shared/incident-schemas.js';
import type { IncidentObligations } from '../../../shared/obligation-clock-schemas.js';
import type { PlanActivation } from '../../../shared/activation-schemas.js';
import type { Plan } from '../../../shared/plan-schemas.js';
import type { Report } from '../../../shared/report-schemas.js';
import type { Statement } from '../../../shared/statement-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import type { Clock } from '../../platform/ids.js';
import type { JobRunner } from '../../platform/jobs/job-runner.js';
import type { AuditService } from '../audit/index.js';
import type { Principal } from '../auth/index.js';
import type { IncidentService } from '../incident/index.js';
import type { UserService } from '../user/index.js';
import type { InjectScript } from '../../../shared/drill-schemas.js';

/** The other modules' reads a drill's score comes from, as the reader (need-to-know and permissions hold). */
export interface DrillSources {
  activations(p: Principal, key: string): Promise<PlanActivation[]>;
  statements(p: Principal, key: string): Promise<Statement[]>;
  reports(p: Principal, key: string): Promise<Report[]>;
  campaigns(p: Principal, key: string): Promise<Campaign[]>;
  obligations(p: Principal, key: string): Promise<IncidentObligations>;
  timeline(p: Principal, key: string): Promise<TimelineEntry[]>;
}

export interface DrillDeps {
  store: Store;
  audit: AuditService;
  clock: Clock;
  jobs: JobRunner;
  incidents: IncidentService;
  users: UserService;
  /** The active version of every loaded plan. */
  plans(db?: Db): Promise<{ planId: string; document: Plan }[]>;
  /** Activates a plan on an incident the normal way (the war room's route). */
  activate(p: Principal, incidentKey: string, planId: string, note: string): Promise<unknown>;
  /** Declares the drill incident as the person starting the drill. */
  declare(
    p: Principal,
    input: { title: string; summary: string; grade: Incident['grade']; category: Incident['category'] },
  ): Promise<Incident>;
  sources: DrillSources;
  /** The inject scripts by plan, read when first asked for (bundledInjectScripts). */
  scripts: () => Map<string, InjectScript>;
  /** A plan not drilled (completed) within this many months is flagged (default 12). */
  periodMonths: number;
}
