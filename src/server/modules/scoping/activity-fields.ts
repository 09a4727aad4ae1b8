/**
 * From an ingested event to a row of the account-activity index: the extraction itself is shared
 * (`src/shared/activity-fields.ts`, also run on the detection engine thread at scale); here the row
 * gets its address key, so that a CIDR block is one range of the (ip_key, at) index.
 */
import {
  ACTIVITY_COLUMNS,
  type ActivityArrays,
  type EventActivity,
  eventActivity,
} from '../../../shared/activity-fields.js';
import { parseArrayLiteral } from '../../platform/db/pg-array.js';
import { ipKey } from '../../platform/ip-key.js';

export { normalizeAction, normalizeOutcome } from '../../../shared/activity-fields.js';

export interface ActivityRow extends EventActivity {
  ip_key: string | null;
}

/** The index row of an extracted event activity. */
export const withIpKey = (a: EventActivity): ActivityRow => ({
  at: a.at,
  account_no: a.account_no,
  customer_no: a.customer_no,
  ip: a.ip,
  ip_key: a.ip ? ipKey(a.ip) : null,
  device: a.device,
  action: a.action,
  outcome: a.outcome,
  source: a.source,
  event_ref: a.event_ref,
});

/** The row an ingested event gives (customer_no from the event only; the indexer resolves the rest). */
export function activityOfEvent(e: {
  id: string;
  time: number;
  source: string;
  fields: Record<string, unknown>;
}): ActivityRow | null {
  const a = eventActivity(e);
  return a ? withIpKey(a) : null;
}

/** The rows of a batch of array literals (stage one's, on a store that cannot take the literals as they are). */
export function activityRowsOf(batch: ActivityArrays): ActivityRow[] {
  const cols = ACTIVITY_COLUMNS.map((c) =>
    c === 'at' ? parseArrayLiteral(batch.columns.at, Number) : parseArrayLiteral(batch.columns[c]),
  );
  return Array.from(
    { length: batch.rows },
    (_, i) => Object.fromEntries(ACTIVITY_COLUMNS.map((c, k) => [c, cols[k]![i] ?? null])) as unknown as ActivityRow,
  );
}
