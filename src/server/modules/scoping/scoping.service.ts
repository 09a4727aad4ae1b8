/** Impact scoping's services, built once from their dependencies (compose.ts). */
import type { Store } from '../../platform/db/connect.js';
import type { Clock } from '../../platform/ids.js';
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
  onError?: (err: unknown, where: string) => void;
}) {
  const activity = createActivityService(deps);
  return {
    activity,
    sets: createAffectedSetService({
      ...deps,
      evaluate: createEvaluator(deps),
      flushActivity: () => activity.flush(),
    }),
  };
}
