/**
 * What the media desk's use cases share: their dependencies, need-to-know on the incident a record
 * belongs to (a restricted incident's records answer 404 to those outside it, as the incident does),
 * and the events published after a commit.
 */
import type { Audience, Bus } from '../../platform/bus.js';
import { afterCommit, type Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { notFound } from '../../platform/errors.js';
import type { Clock } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import type { Principal } from '../auth/index.js';
import { canSee, type IncidentRef, type IncidentService } from '../incident/index.js';
import type { UserService } from '../user/index.js';

/** Whether a statement may answer an inquiry of an incident (approved or published, of that incident). */
export interface StatementAnswers {
  answerable(db: Db, statementId: string, incidentId: string): Promise<boolean>;
}

export interface MediaDeps {
  store: Store;
  audit: AuditService;
  bus: Bus;
  clock: Clock;
  incidents: IncidentService;
  users: UserService;
  /** Checks an answer's statement (the statement module; absent: any id is refused). */
  statements?: StatementAnswers;
}

const EVERYONE: Audience = { restricted: false, memberIds: [] };

export function mediaContext(deps: MediaDeps) {
  const { bus, incidents } = deps;

  /** The incident of `key` if the principal may see it (else 404), as a reference with its audience. */
  async function visibleIncident(db: Db, p: Principal, key: string): Promise<IncidentRef> {
    const incident = await incidents.loadVisible(db, p, key);
    return (await incidents.refs(db, [incident.id])).get(incident.id)!;
  }

  /** The incident a record belongs to (null: site-wide) if the principal may see it; else the record is `missing`. */
  async function incidentOfRecord(
    db: Db,
    p: Principal,
    incidentId: string | null,
    missing: () => Error,
  ): Promise<IncidentRef | null> {
    if (incidentId === null) return null;
    const ref = (await incidents.refs(db, [incidentId])).get(incidentId);
    if (!ref || !canSee(p, ref.audience)) throw missing();
    return ref;
  }

  /** Keys of incidents by id (for lists across incidents). */
  async function keysOf(db: Db, ids: string[]): Promise<Map<string, string>> {
    const refs = await incidents.refs(db, ids);
    return new Map([...refs].map(([id, r]) => [id, r.key]));
  }

  /**
   * After the commit: `media.changed` to the consoles that may see the incident (the war room refetches
   * its counts), and `status.changed` when what the public site shows changed.
   */
  function announce(tx: Db, ref: IncidentRef | null, publicChange: boolean): void {
    afterCommit(tx, () => {
      bus.publish({
        event: 'media.changed',
        incidentKey: ref?.key ?? null,
        audience: { ...(ref?.audience ?? EVERYONE), permission: 'media.read' },
      });
      if (publicChange) bus.publish({ event: 'status.changed', incidentKey: null, audience: EVERYONE });
    });
  }

  const notFoundAs = (what: string) => () => notFound(what);

  return { visibleIncident, incidentOfRecord, keysOf, announce, notFoundAs };
}

export type MediaContext = ReturnType<typeof mediaContext>;
