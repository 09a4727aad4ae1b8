/**
 * Incident use cases: declare, read, list, edit, move through the lifecycle, staff it; and what other
 * modules ask inside their transactions (declare for an alert, note alerts, references). Each group of
 * use cases lives in a file of its own; they share the steps of incident-core.ts.
 */
import type { Incident } from '../../../shared/incident-schemas.js';
import type { Db } from '../../platform/db/types.js';
import type { Principal } from '../auth/index.js';
import { changeUseCases } from './incident-change.service.js';
import { incidentCore, type IncidentDeps } from './incident-core.js';
import { createUseCases } from './incident-create.service.js';
import { readUseCases } from './incident-read.service.js';
import { detectionUseCases } from './detection-incident.service.js';
import { participantUseCases } from './participant.service.js';
import { responseRecordUseCases } from './response-records.service.js';

export function createIncidentService(deps: IncidentDeps) {
  const core = incidentCore(deps);
  return {
    /** The incident `key` names, when the principal may see it; 404 otherwise (need-to-know). */
    async loadVisible(db: Db, p: Principal, key: string): Promise<Incident> {
      return (await core.loadVisible(db, p, key)).incident;
    },
    ...participantUseCases(deps, core),
    ...createUseCases(deps, core),
    ...readUseCases(deps, core),
    ...changeUseCases(deps, core),
    ...detectionUseCases(deps),
    ...responseRecordUseCases(deps),
  };
}

export type IncidentService = ReturnType<typeof createIncidentService>;
