/**
 * Intake step 0, repeats of the same match: detection across processes delivers a batch at least
 * once, so the same match (same rule, kind, time, group and events) may be raised again. Each
 * detection or correlation match with events has a digest; a digest already counted (within a day),
 * or seen earlier in the same batch, is left out: it creates no alert and counts nothing. Matches
 * without events (probes, anomaly detectors) always count.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../platform/canonical-json.js';
import type { Db } from '../../platform/db/types.js';
import { pruneMatches, recordMatches, seenMatches } from './alert.repository.js';
import type { Prepared } from './alert-work.js';

/** How long a counted match is remembered (longer than any redelivery of the event stream's consumers). */
export const MATCH_MEMORY_MS = 24 * 3600_000;
const PRUNE_EVERY_MS = 10 * 60_000;

/** The digest of a match, or null for one that is never a repeat (no events: a probe's, an anomaly's). */
export function matchKey(p: Prepared): string | null {
  const m = p.match;
  if ((m.kind !== 'detection' && m.kind !== 'correlation') || !m.events?.length) return null;
  const ids = m.events.map((e) => String(e?.id)).sort();
  return createHash('sha256')
    .update(canonicalJson([p.ruleId, m.kind, p.time, p.group ?? null, ids]))
    .digest('base64url');
}

export interface Replays {
  /** Per match of the batch: its digest (null: none), and the alert it was counted into already, if any. */
  keys: (string | null)[];
  /** Index -> alert id of the matches left out (counted before, or earlier in this batch). */
  repeated: Map<number, string | null>;
}

/** Finds the batch's matches that were counted already (in the caller's transaction). */
export async function findReplays(tx: Db, prepared: Prepared[]): Promise<Replays> {
  const keys = prepared.map(matchKey);
  const present = keys.filter((k): k is string => k !== null);
  const seen = present.length ? await seenMatches(tx, present) : new Map<string, string>();
  const repeated = new Map<number, string | null>();
  const inBatch = new Map<string, number>();
  keys.forEach((k, i) => {
    if (k === null) return;
    const stored = seen.get(k);
    if (stored !== undefined) repeated.set(i, stored);
    else if (inBatch.has(k))
      repeated.set(i, null); // the alert of the first one, filled in by the caller
    else inBatch.set(k, i);
  });
  return { keys, repeated };
}

let lastPrune = 0;

/** Records the digests of the matches counted now, with their alerts; forgets old ones now and then. */
export async function recordCounted(
  tx: Db,
  counted: { key: string | null; alertId: string }[],
  now: number,
): Promise<void> {
  const rows = counted.flatMap((c) => (c.key ? [{ key: c.key, alert_id: c.alertId, seen_at: now }] : []));
  if (rows.length) await recordMatches(tx, rows);
  if (now - lastPrune >= PRUNE_EVERY_MS) {
    lastPrune = now;
    await pruneMatches(tx, now - MATCH_MEMORY_MS);
  }
}
