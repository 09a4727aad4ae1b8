/**
 * Intake step 1, deduplication: each prepared match of a batch is counted into the alert it repeats
 * (one seen within the dedup window with the same fingerprint, live or held by the same thing) or starts
 * a new one. Reads the store (the candidates and the events they keep); writes nothing.
 */
import type { Entities } from '../../../shared/alert-schemas.js';
import type { Db } from '../../platform/db/types.js';
import { type AlertView, findDedupCandidates, storedEventIds } from './alert.repository.js';
import { type alertWork, eventCap, type Prepared, type Work } from './alert-work.js';
import { EntitySet } from './entities.js';
import type { Hold, HoldSubject } from './holds.js';

/** What became of one match: the alert it went to, and whether that alert already existed. */
export interface Placed {
  work: Work;
  deduplicated: boolean;
}

/** How many matches of the batch a maintenance window or suppression held back. */
export interface HoldHits {
  hold: Hold;
  n: number;
}

export interface Deduplicated {
  /** Every alert the batch touched, new or repeated, each once (in the order the batch first reached it). */
  works: Work[];
  /** One per match, in the order of the batch. */
  placed: Placed[];
  hits: HoldHits[];
}

export interface DedupOptions {
  now: number;
  dedupWindowMs: number;
  maxEventsPerAlert: number;
  /** What holds an alert back (maintenance windows and suppressions in force). */
  holdOf: (a: HoldSubject) => Hold | null;
  /** The batch's work builders (alert-work.ts). */
  work: Pick<ReturnType<typeof alertWork>, 'merge' | 'fresh'>;
  /**
   * The candidates, read already (alert intake starts this read beside its others, pipelined): alerts
   * of these matches' fingerprints seen since the earliest minus the window, or more. Read here if absent.
   */
  candidates?: Promise<AlertView[]>;
}

/** The work item of an alert already stored, ready to take repeats. */
function stored(view: Work['view'], kept: Map<string, Set<string>>, first: Prepared): Work {
  return {
    view: { ...view },
    isNew: false,
    dirty: false,
    entities: new EntitySet(JSON.parse(view.entities) as Entities),
    services: new Set(JSON.parse(view.services) as string[]),
    eventIds: kept.get(view.id) ?? new Set(),
    newEvents: [],
    first,
  };
}

/** Places each match of `prepared` (taken in event-time order) into an alert; counts what holds them back. */
export async function deduplicate(tx: Db, prepared: Prepared[], o: DedupOptions): Promise<Deduplicated> {
  const placed: Placed[] = new Array(prepared.length);
  if (prepared.length === 0) return { works: [], placed, hits: [] };
  const order = prepared.map((_, i) => i).sort((a, b) => prepared[a]!.time - prepared[b]!.time);
  const candidates = await (o.candidates ??
    findDedupCandidates(
      tx,
      prepared.map((p) => p.fingerprint),
      Math.min(...prepared.map((p) => p.time)) - o.dedupWindowMs,
    ));
  // Alerts that may keep more events (a repeat's latest, past the first ones): their kept ids, so a
  // redelivered event is not kept twice.
  const roomy = candidates.filter((c) => c.events_stored < eventCap(o.maxEventsPerAlert)).map((c) => c.id);
  const kept = roomy.length ? await storedEventIds(tx, roomy) : new Map<string, Set<string>>();

  const works = new Map<string, Work>(); // by alert id
  const current = new Map<string, Work>(); // by fingerprint + hold: the alert a repeat goes to
  const hits = new Map<string, HoldHits>();
  for (const i of order) {
    const p = prepared[i]!;
    const hold = o.holdOf({ ruleId: p.ruleId, entities: p.entities, services: p.services, time: p.time });
    if (hold) {
      const h = hits.get(hold.id) ?? { hold, n: 0 };
      h.n += 1;
      hits.set(hold.id, h);
    }
    const slot = `${p.fingerprint}|${hold ? hold.id : 'live'}`;
    let w = current.get(slot);
    if (!w) {
      const fits = candidates
        .filter(
          (c) =>
            c.fingerprint === p.fingerprint &&
            (hold ? c.status === 'suppressed' && c.held_id === hold.id : c.status !== 'suppressed'),
        )
        .sort((a, b) => b.last_seen - a.last_seen)[0];
      if (fits) w = works.get(fits.id) ?? stored(fits, kept, p);
    }
    if (w && p.time >= w.view.last_seen - o.dedupWindowMs && p.time <= w.view.last_seen + o.dedupWindowMs) {
      o.work.merge(w, p);
      placed[i] = { work: w, deduplicated: true };
    } else {
      w = o.work.fresh(p, hold, o.now);
      placed[i] = { work: w, deduplicated: false };
    }
    works.set(w.view.id, w);
    current.set(slot, w);
  }
  return { works: [...works.values()], placed, hits: [...hits.values()] };
}
