/**
 * Intake step 2, grouping: a new live alert joins the incident one of its correlation keys points at
 * (seen within the group window, incident not ended), or declares one when its level is high enough;
 * the keys of every alert placed in an incident, and of repeats of alerts in one, point at it from then
 * on. Reads the store's group pointers; writes only through `declare` (the incidents it declares).
 */
import { ENDED_STATUSES } from '../../../shared/enums.js';
import type { AlertGroupsTable, Db } from '../../platform/db/types.js';
import { findGroups, findIncidentsByKey } from './alert.repository.js';
import { taggedIncident, type Work } from './alert-work.js';
import { LEVEL_RANK } from './triage.js';

/** Incidents no alert joins any more (a correlation key pointing at one starts afresh). */
const ENDED = new Set<string>(ENDED_STATUSES);

/** An incident declared for an alert, to be published after commit. */
export interface Declared {
  id: string;
  publish: () => void;
}

export interface Grouped {
  /** The keys whose pointer changed: each key once, at the incident and time it points at now. */
  pointers: AlertGroupsTable[];
  declared: Declared[];
  /** New alerts that joined an incident that already existed, by incident id, in the order they joined. */
  attached: Map<string, Work[]>;
}

export interface GroupOptions {
  groupWindowMs: number;
  /** The least level (LEVEL_RANK) whose alert declares an incident when none is open for its keys. */
  minLevelRank: number;
  /** Declares an incident for the alert inside the transaction. */
  declare: (w: Work) => Promise<Declared>;
  /**
   * The pointers of keys read already in this transaction, for at least every key of the live alerts
   * (intake reads those of the whole batch with its first reads: one round trip fewer).
   */
  pointers?: Promise<(AlertGroupsTable & { status: string })[]>;
}

/** Places the live alerts of `works` into incidents (sets `view.incident_id`). */
export async function group(tx: Db, works: Work[], o: GroupOptions): Promise<Grouped> {
  const live = works.filter((w) => w.view.status !== 'suppressed');
  const groupRows = await (o.pointers ??
    findGroups(
      tx,
      live.flatMap((w) => w.first.keys),
    ));
  const groups = new Map(groupRows.map((g) => [g.key, g]));
  // Alerts of IOC rules go to the incident the rule names while it is open (ioc/ioc-detection.ts).
  const tagged = new Map(live.map((w) => [w, taggedIncident(w.first.tags)] as const));
  const named = new Map(
    (await findIncidentsByKey(tx, [...new Set([...tagged.values()].filter((k) => k !== null))])).map((i) => [i.key, i]),
  );
  const touched = new Set<string>();
  const declared: Declared[] = [];
  const attached = new Map<string, Work[]>();
  const point = (w: Work, incidentId: string) => {
    for (const k of w.first.keys) {
      const g = groups.get(k);
      if (g && g.incident_id === incidentId && g.last_seen >= w.view.last_seen) continue;
      if (g && g.incident_id !== incidentId && !ENDED.has(g.status) && g.last_seen >= w.view.last_seen) continue;
      groups.set(k, {
        key: k,
        incident_id: incidentId,
        last_seen: w.view.last_seen,
        status: g?.incident_id === incidentId ? g.status : 'detected',
      });
      touched.add(k);
    }
  };
  for (const w of live.filter((x) => x.isNew).sort((a, b) => a.view.first_seen - b.view.first_seen)) {
    const t = w.view.first_seen;
    const target = named.get(tagged.get(w) ?? '');
    if (target && !ENDED.has(target.status)) {
      w.view.incident_id = target.id;
      attached.set(target.id, [...(attached.get(target.id) ?? []), w]);
      point(w, target.id);
      continue;
    }
    const best = w.first.keys
      .map((k) => groups.get(k))
      .filter((g) => g && !ENDED.has(g.status) && g.last_seen >= t - o.groupWindowMs)
      .sort((a, b) => b!.last_seen - a!.last_seen)[0];
    if (best) {
      w.view.incident_id = best.incident_id;
      attached.set(best.incident_id, [...(attached.get(best.incident_id) ?? []), w]);
    } else if (LEVEL_RANK[w.first.level] >= o.minLevelRank) {
      const d = await o.declare(w);
      declared.push(d);
      w.view.incident_id = d.id;
    }
    if (w.view.incident_id) point(w, w.view.incident_id);
  }
  // A repeat keeps its incident's keys alive.
  for (const w of live) if (!w.isNew && w.dirty && w.view.incident_id) point(w, w.view.incident_id);

  const pointers = [...touched].map((k) => {
    const g = groups.get(k)!;
    return { key: k, incident_id: g.incident_id, last_seen: g.last_seen };
  });
  return { pointers, declared, attached };
}
