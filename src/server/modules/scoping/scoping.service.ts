/** Impact scoping's services, built once from their dependencies (compose.ts). */
import type { Store } from '../../platform/db/connect.js';
import { AppError } from '../../platform/errors.js';
import { iso, type Clock } from '../../platform/ids.js';
import type { StageOneProgress } from '../detection/index.js';
import type { AuditService } from '../audit/index.js';
import type { IncidentService } from '../incident/index.js';
import type { UserService } from '../user/index.js';
import { type ActivityConfig, createActivityService } from './activity.service.js';
import { createAffectedSetService } from './affected-set.service.js';
import { type AlertAccounts, createEvaluator } from './evaluate.js';
import type { ScopingCustomers } from './scoping-ports.js';

export function createScoping(deps: {
  store: Store;
  audit: AuditService;
  clock: Clock;
  incidents: IncidentService;
  users: UserService;
  config: ActivityConfig;
  /** The accounts an incident's alerts name (the alert module's). */
  alertAccounts: AlertAccounts;
  /** The customer module's directory. */
  customers: ScopingCustomers;
  /**
   * At scale (the index is written by stage one in the workers): waits, bounded, until every event
   * accepted so far is through stage one (detection's `stageOneCaughtUp`); absent in the embedded mode.
   */
  activityIndexed?: () => Promise<StageOneProgress>;
  onError?: (err: unknown, where: string) => void;
}) {
  const activity = createActivityService(deps);
  const indexed = deps.activityIndexed;
  return {
    activity,
    sets: createAffectedSetService({
      ...deps,
      evaluate: createEvaluator(deps),
      flushActivity: async () => {
        await activity.flush();
        if (!indexed || !deps.config.index) return;
        const progress = await indexed();
        if (!progress.caughtUp)
          throw new AppError(
            503,
            'unavailable',
            'Activity index behind',
            `the account-activity index has events accepted up to ${progress.upTo === null ? 'none yet' : iso(progress.upTo)} only (detection workers behind or stopped); an affected set evaluated now would miss the later ones: try again`,
            undefined,
            { 'Retry-After': '5' },
          );
      },
    }),
  };
}
