/**
 * What the status module tells others. Through the outbox (in the transaction of the change, never
 * lost): `announcement.published`, which the subscription module turns into notifications. On the bus
 * after the commit: `status.changed`, so every web process renders the public pages again.
 */
import type { Bus } from '../../platform/bus.js';
import { afterCommit } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';

export type StatusEvents = {
  /** An approved statement was published on the status site. `updateId`: null for investigation results. */
  'announcement.published': {
    announcementId: string;
    updateId: string | null;
    kind: 'opened' | 'updated' | 'investigation' | 'resolved';
  };
};

/** Where the status module writes its events (the outbox; tests may pass their own). */
export interface StatusEventSink {
  publish<T extends keyof StatusEvents & string>(tx: Db, type: T, payload: StatusEvents[T]): Promise<string>;
}

/** After `tx` commits, tells every web process the public site changed. */
export function siteChangedAfterCommit(bus: Bus, tx: Db): void {
  afterCommit(tx, () =>
    bus.publish({
      event: 'status.changed',
      incidentKey: null,
      audience: { restricted: false, memberIds: [], permission: 'status.read' },
    }),
  );
}
