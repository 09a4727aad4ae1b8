/** Reading incidents: one by key, and the keyset-paginated list with its filters (need-to-know applied). */
import { ACTIVE_STATUSES, ENDED_STATUSES, type Status } from '../../../shared/enums.js';
import type { Incident } from '../../../shared/incident-schemas.js';
import { cursorCodec } from '../../platform/cursor.js';
import { assertCan, type Principal } from '../auth/index.js';
import type { IncidentCore, IncidentDeps } from './incident-core.js';
import { toIncidents } from './incident.mapper.js';
import { anyIncident, listIncidents, type IncidentFilter, type IncidentRow } from './incident.repository.js';

export interface ListQuery {
  status?: Status | 'active' | 'ended';
  grade?: string;
  category?: string;
  service?: string;
  q?: string;
  sort?: 'detected' | 'severity';
  limit: number;
  cursor?: string;
}

const cursor = cursorCodec(['int', 'id', 'int']);
const encodeCursor = (r: IncidentRow) => cursor.encode([r.detected_at, r.id, r.severity]);
function decodeCursor(c: string): IncidentFilter['after'] {
  const [detectedAt, id, severity] = cursor.decode(c);
  return { severity, detectedAt, id };
}

export function readUseCases(deps: IncidentDeps, core: IncidentCore) {
  const { store } = deps;
  return {
    async get(p: Principal, key: string): Promise<Incident> {
      assertCan(p, 'incident.read');
      return (await core.loadVisible(store.db, p, key)).incident;
    },

    async list(p: Principal, q: ListQuery): Promise<{ items: Incident[]; next: string | null }> {
      assertCan(p, 'incident.read');
      const filter: IncidentFilter = {
        status:
          q.status === 'active'
            ? [...ACTIVE_STATUSES]
            : q.status === 'ended'
              ? [...ENDED_STATUSES]
              : q.status
                ? [q.status]
                : undefined,
        grade: q.grade,
        category: q.category,
        serviceKey: q.service,
        q: q.q?.trim() || undefined,
        viewerId: p.user.role === 'admin' ? undefined : p.user.id,
        bySeverity: q.sort === 'severity',
        after: q.cursor ? decodeCursor(q.cursor) : undefined,
      };
      const rows = await listIncidents(store.db, filter, q.limit + 1);
      const page = rows.slice(0, q.limit);
      return {
        items: await toIncidents(store.db, page),
        next: rows.length > q.limit ? encodeCursor(page[page.length - 1]!) : null,
      };
    },

    /** Whether the store holds any incident (the demo fills an empty store only); says nothing of any one incident. */
    any: (): Promise<boolean> => anyIncident(store.db),
  };
}
