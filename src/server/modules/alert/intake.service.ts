/**
 * Alert intake: rule matches become alerts in one transaction per batch — deduplicated by fingerprint,
 * held back (with a record) by maintenance windows and suppressions, stored with their first events,
 * grouped into incidents by correlation key — and are pushed on the bus after commit.
 */
import { ENDED_STATUSES, GRADE_SEVERITY, type AlertLevel, type AlertStatus } from '../../../shared/enums.js';
import type { Entities } from '../../../shared/alert-schemas.js';
import type { Bus } from '../../platform/bus.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import type { Clock } from '../../platform/ids.js';
import type { Actor, AuditService } from '../audit/index.js';
import type { CatalogService } from '../catalog/index.js';
import type { RuleMatch } from '../detection/index.js';
import type { IncidentRef, IncidentService } from '../incident/index.js';
import { alertAudience, toAlert } from './alert.mapper.js';
import {
  findDedupCandidates,
  findGroups,
  insertAlertEvents,
  insertAlerts,
  storedEventIds,
  updateRepeats,
  upsertGroups,
} from './alert.repository.js';
import { alertWork, rowOf, type Prepared, type Work } from './alert-work.js';
import { attachedText, detectionFacts, incidentSummary, incidentTitle, titlePair } from './detection-text.js';
import { EntitySet } from './entities.js';
import { compileHolds, type Hold } from './holds.js';
import { activeSuppressions, countHits, windowsOverlapping } from './suppression.repository.js';
import { LEVEL_RANK } from './triage.js';

/** The audit actor of everything detection does by itself. */
export const DETECTION_ACTOR: Actor = { id: null, label: 'system (detection)' };

export interface IntakeOptions {
  /** A repeat of a fingerprint seen within this long is counted into the same alert (default 15 min). */
  dedupWindowMs?: number;
  /** Alerts sharing a correlation key within this long go to the same incident (default 1 h). */
  groupWindowMs?: number;
  /** Events kept with each alert (default 20). */
  maxEventsPerAlert?: number;
  /** Characters of an event's JSON kept (default 64 Ki); longer ones are cut and marked truncated. */
  maxEventChars?: number;
  /** The least level whose alert declares an incident when no incident is open for its keys (default medium). */
  incidentMinLevel?: AlertLevel;
}

/** What became of one match. */
export interface RaiseOutcome {
  alertId: string;
  status: AlertStatus;
  /** Counted into an alert that already existed (or that an earlier match of the batch created). */
  deduplicated: boolean;
  incidentKey: string | null;
}

/** Incidents no alert joins any more (a correlation key pointing at one starts afresh). */
const FINISHED = new Set<string>(ENDED_STATUSES);

/** What intake reads beside the matches: the catalog, rules' Chinese titles, the services ingest sources name. */
export interface IntakeDeps {
  store: Store;
  audit: AuditService;
  bus: Bus;
  clock: Clock;
  incidents: IncidentService;
  catalog: CatalogService;
  /** The zh-CN title of a rule in the rule catalogue (Sigma matches carry the English one only). */
  ruleTitleZh?: (ruleId: string) => string | null | undefined;
  /** Catalog services an ingest source names (TOCSIN_SOURCES_FILE `services`). */
  sourceServices?: (source: string) => readonly string[] | undefined;
}

export function createIntake(deps: IntakeDeps, options: IntakeOptions = {}) {
  const { store, audit, bus, clock, incidents, catalog } = deps;
  const ruleTitleZh = deps.ruleTitleZh ?? (() => null);
  const sourceServices = deps.sourceServices ?? (() => undefined);
  const dedupWindow = options.dedupWindowMs ?? 15 * 60_000;
  const groupWindow = options.groupWindowMs ?? 60 * 60_000;
  const maxEvents = options.maxEventsPerAlert ?? 20;
  const { prepare, merge, fresh } = alertWork({ maxEvents, maxChars: options.maxEventChars ?? 64 * 1024 });
  const minLevel = LEVEL_RANK[options.incidentMinLevel ?? 'medium'];

  // Catalog keys change rarely: read them at most once a minute, and at once after a change here.
  type Names = Map<string, { zh: string; en: string }>;
  let serviceKeys: { keys: Set<string>; names: Names; at: number; generation: number } | null = null;
  async function catalogKeys(now: number): Promise<{ keys: Set<string>; names: Names }> {
    const generation = catalog.generation();
    if (!serviceKeys || now - serviceKeys.at > 60_000 || serviceKeys.generation !== generation) {
      const page = await catalog.list(undefined, 1000);
      const names: Names = new Map(page.items.map((s) => [s.key, { zh: s.nameZh, en: s.nameEn }]));
      serviceKeys = { keys: new Set(names.keys()), names, at: now, generation };
    }
    return serviceKeys;
  }

  /** A short name of what the alert is about, for an incident title. */
  const subjectOf = (p: Prepared) =>
    p.group
      ? Object.values(p.group).map(String).join(', ')
      : (p.entities.accounts[0] ?? p.entities.ips[0] ?? p.entities.hosts[0] ?? '');

  async function declare(tx: Db, w: Work, names: Names): Promise<{ id: string; publish: () => void }> {
    const p = w.first;
    const ruleTitles = titlePair(p.ruleTitle, p.ruleTitleZh);
    const facts = detectionFacts({
      alertId: w.view.id,
      ruleId: p.ruleId,
      ruleTitles,
      level: p.level,
      time: p.time,
      entities: p.entities,
      services: p.services,
      category: p.category,
      grade: p.grade,
    });
    const { incident, publish } = await incidents.declareFromAlert(tx, DETECTION_ACTOR, {
      title: incidentTitle(ruleTitles, subjectOf(p)),
      summary: incidentSummary(facts, (k) => names.get(k) ?? { zh: k, en: k }),
      facts,
      category: p.category,
      grade: p.grade,
      severity: GRADE_SEVERITY[p.grade],
      tags: ['detection', ...p.tags.filter((t) => t.length <= 64).slice(0, 20)],
      detectedAt: p.time,
      services: p.services,
      alert: { id: w.view.id, ruleId: p.ruleId, ruleTitle: p.ruleTitle, ruleTitles, level: p.level },
    });
    return { id: incident.id, publish };
  }

  /**
   * Raises alerts for a batch of matches in one transaction; publishes after commit. The commit is
   * relaxed (does not wait for the disk; see Store.transaction): detection writes at the event rate,
   * and an fsync stall must not hold every alert back. A person's next change makes it durable.
   */
  return async function raise(matches: RuleMatch[]): Promise<RaiseOutcome[]> {
    if (matches.length === 0) return [];
    const now = clock.now();
    const { keys, names } = await catalogKeys(now);
    const ctx = { serviceKeys: keys, ruleTitleZh, sourceServices };
    const prepared = matches.map((m) => prepare(m, ctx, now));
    const order = prepared.map((_, i) => i).sort((a, b) => prepared[a]!.time - prepared[b]!.time);
    const times = prepared.map((p) => p.time);
    const [minTime, maxTime] = [Math.min(...times), Math.max(...times)];

    const committed = await store.transaction(
      async (tx) => {
        const [sups, wins] = await Promise.all([activeSuppressions(tx, now), windowsOverlapping(tx, minTime, maxTime)]);
        const holdOf = compileHolds(sups, wins);
        const candidates = await findDedupCandidates(
          tx,
          prepared.map((p) => p.fingerprint),
          minTime - dedupWindow,
        );
        const roomy = candidates.filter((c) => c.events_stored < maxEvents).map((c) => c.id);
        const kept = roomy.length ? await storedEventIds(tx, roomy) : new Map<string, Set<string>>();

        const works = new Map<string, Work>(); // by alert id
        const current = new Map<string, Work>(); // by fingerprint + hold: the alert a repeat goes to
        const outcomes: { work: Work; deduplicated: boolean }[] = new Array(prepared.length);
        const hits = new Map<string, { hold: Hold; n: number }>();
        for (const i of order) {
          const p = prepared[i]!;
          const hold = holdOf({ ruleId: p.ruleId, entities: p.entities, services: p.services, time: p.time });
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
            if (fits) {
              w = works.get(fits.id) ?? {
                view: { ...fits },
                isNew: false,
                dirty: false,
                entities: new EntitySet(JSON.parse(fits.entities) as Entities),
                services: new Set(JSON.parse(fits.services) as string[]),
                eventIds: kept.get(fits.id) ?? new Set(),
                newEvents: [],
                first: p,
              };
            }
          }
          if (w && p.time >= w.view.last_seen - dedupWindow && p.time <= w.view.last_seen + dedupWindow) {
            merge(w, p);
            outcomes[i] = { work: w, deduplicated: true };
          } else {
            w = fresh(p, hold, now);
            outcomes[i] = { work: w, deduplicated: false };
          }
          works.set(w.view.id, w);
          current.set(slot, w);
        }

        // Grouping: a new live alert joins the incident one of its keys points at, or declares one.
        const all = [...works.values()];
        const live = all.filter((w) => w.view.status !== 'suppressed');
        const groupRows = await findGroups(
          tx,
          live.flatMap((w) => w.first.keys),
        );
        const groups = new Map(groupRows.map((g) => [g.key, g]));
        const touched = new Set<string>();
        const declared: { id: string; publish: () => void }[] = [];
        const attached = new Map<string, Work[]>();
        const point = (w: Work, incidentId: string) => {
          for (const k of w.first.keys) {
            const g = groups.get(k);
            if (g && g.incident_id === incidentId && g.last_seen >= w.view.last_seen) continue;
            if (g && g.incident_id !== incidentId && !FINISHED.has(g.status) && g.last_seen >= w.view.last_seen)
              continue;
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
          const best = w.first.keys
            .map((k) => groups.get(k))
            .filter((g) => g && !FINISHED.has(g.status) && g.last_seen >= t - groupWindow)
            .sort((a, b) => b!.last_seen - a!.last_seen)[0];
          if (best) {
            w.view.incident_id = best.incident_id;
            attached.set(best.incident_id, [...(attached.get(best.incident_id) ?? []), w]);
          } else if (LEVEL_RANK[w.first.level] >= minLevel) {
            const d = await declare(tx, w, names);
            declared.push(d);
            w.view.incident_id = d.id;
          }
          if (w.view.incident_id) point(w, w.view.incident_id);
        }
        // A repeat keeps its incident's keys alive.
        for (const w of live) if (!w.isNew && w.dirty && w.view.incident_id) point(w, w.view.incident_id);

        const fresh_ = all.filter((w) => w.isNew);
        await insertAlerts(tx, fresh_.map(rowOf));
        await insertAlertEvents(
          tx,
          all.flatMap((w) => w.newEvents),
        );
        const repeats = all.filter((w) => !w.isNew && w.dirty).map((w) => w.view);
        for (const r of repeats) r.updated_at = now;
        await updateRepeats(tx, repeats);
        await upsertGroups(
          tx,
          [...touched].map((k) => ({
            key: k,
            incident_id: groups.get(k)!.incident_id,
            last_seen: groups.get(k)!.last_seen,
          })),
        );
        for (const { hold, n } of hits.values())
          await countHits(tx, hold.kind === 'maintenance' ? 'maintenance_windows' : 'suppressions', hold.id, n, now);

        const declaredIds = new Set(declared.map((d) => d.id));
        const notes: (() => void)[] = [];
        for (const [incidentId, ws] of attached) {
          const shown = ws.slice(0, 20).map((w) => ({
            id: w.view.id,
            ruleId: w.view.rule_id,
            ruleTitle: w.view.rule_title,
            ruleTitles: titlePair(w.view.rule_title, w.view.rule_title_zh),
            level: w.view.level,
          }));
          const text = attachedText(shown, ws.length);
          const note = await incidents.noteAlerts(tx, incidentId, {
            actor: null,
            text,
            data: {
              event: 'alerts_attached',
              count: ws.length,
              alerts: shown,
              declaredNow: declaredIds.has(incidentId),
            },
          });
          notes.push(note.publish);
        }

        const refs = await incidents.refs(
          tx,
          all.flatMap((w) => (w.view.incident_id ? [w.view.incident_id] : [])),
        );
        for (const w of all) {
          const ref = w.view.incident_id ? refs.get(w.view.incident_id) : undefined;
          w.view.incident_key = ref?.key ?? null;
          w.view.incident_title = ref?.title ?? null;
          w.view.incident_title_i18n = ref?.titleI18n ? JSON.stringify(ref.titleI18n) : null;
        }
        await audit.appendMany(
          tx,
          DETECTION_ACTOR,
          fresh_.map((w) => ({
            action: w.view.status === 'suppressed' ? 'alert.suppress' : 'alert.raise',
            targetType: 'alert',
            targetId: w.view.id,
            after: {
              ruleId: w.view.rule_id,
              level: w.view.level,
              fingerprint: w.view.fingerprint,
              entities: JSON.parse(w.view.entities) as unknown,
              status: w.view.status,
              heldBy: w.view.held_id
                ? { kind: w.view.held_kind, id: w.view.held_id, reason: w.view.held_reason }
                : null,
              incident: w.view.incident_key,
            },
            incidents: [w.view.incident_id],
          })),
        );
        return { outcomes, declared, notes, refs, all };
      },
      { durability: 'relaxed' },
    );

    for (const d of committed.declared) d.publish();
    for (const publish of committed.notes) publish();
    publishAlerts(committed.all, committed.refs);
    return committed.outcomes.map(({ work, deduplicated }) => ({
      alertId: work.view.id,
      status: work.view.status as AlertStatus,
      deduplicated,
      incidentKey: work.view.incident_key,
    }));
  };

  function publishAlerts(all: Work[], refs: Map<string, IncidentRef>): void {
    for (const w of all) {
      if (!w.dirty) continue;
      const ref = w.view.incident_id ? refs.get(w.view.incident_id) : undefined;
      bus.publish({
        event: w.isNew ? 'alert.raised' : 'alert.updated',
        incidentKey: ref?.key ?? null,
        alert: toAlert(w.view),
        audience: alertAudience(ref?.audience ?? null),
      });
    }
  }
}

export type Raise = ReturnType<typeof createIntake>;
