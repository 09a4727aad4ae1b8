/**
 * Alert intake: rule matches become alerts in one transaction per batch — held back (with a record) by
 * maintenance windows and suppressions and deduplicated by fingerprint (intake-dedup.ts), grouped into
 * incidents by correlation key (intake-grouping.ts), stored with their first events (intake-persist.ts),
 * noted on the incidents they join and audited — and are pushed on the bus after commit.
 */
import { GRADE_SEVERITY, type AlertLevel, type AlertStatus } from '../../../shared/enums.js';
import type { Bus } from '../../platform/bus.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import type { Clock } from '../../platform/ids.js';
import type { Actor, AuditService } from '../audit/index.js';
import type { CatalogService } from '../catalog/index.js';
import type { RuleMatch } from '../detection/index.js';
import type { IncidentRef, IncidentService } from '../incident/index.js';
import { alertAudience, toAlert } from './alert.mapper.js';
import { alertWork, type Prepared, type Work } from './alert-work.js';
import { attachedText, detectionFacts, incidentSummary, incidentTitle, titlePair } from './detection-text.js';
import { holdsAt } from './holds.js';
import { deduplicate } from './intake-dedup.js';
import { group, type Declared, type Grouped } from './intake-grouping.js';
import { persist } from './intake-persist.js';
import { findReplays, recordCounted } from './intake-replay.js';
import { findAlerts, findDedupCandidates, findGroups } from './alert.repository.js';
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
  /** Told how long each batch of matches took to raise, from the call to commit and publish (seconds; /metrics). */
  onIntakeTime?: (seconds: number) => void;
}

export function createIntake(deps: IntakeDeps, options: IntakeOptions = {}) {
  const { store, audit, bus, clock, incidents, catalog } = deps;
  const ruleTitleZh = deps.ruleTitleZh ?? (() => null);
  const sourceServices = deps.sourceServices ?? (() => undefined);
  const dedupWindow = options.dedupWindowMs ?? 15 * 60_000;
  const groupWindow = options.groupWindowMs ?? 60 * 60_000;
  const maxEvents = options.maxEventsPerAlert ?? 20;
  const work = alertWork({ maxEvents, maxChars: options.maxEventChars ?? 64 * 1024 });
  const { prepare } = work;
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

  async function declare(tx: Db, w: Work, names: Names): Promise<Declared> {
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
   * The timeline entry of each incident that new alerts joined (one per incident, naming up to 20 of
   * them); the references of those incidents, read on the way (`record` need not read them again).
   */
  async function noteAttached(
    tx: Db,
    grouped: Grouped,
  ): Promise<{ notes: (() => void)[]; refs: Map<string, IncidentRef> }> {
    const declaredIds = new Set(grouped.declared.map((d) => d.id));
    const notes: (() => void)[] = [];
    const refs = new Map<string, IncidentRef>();
    for (const [incidentId, ws] of grouped.attached) {
      const shown = ws.slice(0, 20).map((w) => ({
        id: w.view.id,
        ruleId: w.view.rule_id,
        ruleTitle: w.view.rule_title,
        ruleTitles: titlePair(w.view.rule_title, w.view.rule_title_zh),
        level: w.view.level,
      }));
      const note = await incidents.noteAlerts(tx, incidentId, {
        actor: null,
        text: attachedText(shown, ws.length),
        data: { event: 'alerts_attached', count: ws.length, alerts: shown, declaredNow: declaredIds.has(incidentId) },
        joined: !declaredIds.has(incidentId),
      });
      notes.push(note.publish);
      refs.set(incidentId, note.ref);
    }
    return { notes, refs };
  }

  /**
   * Repeats that bring what an incident's alert did not have (new entities, or events kept): the
   * incident's running plans look again (an outbox row per incident; no timeline entry for a repeat).
   */
  async function noteGrown(tx: Db, works: Work[], grouped: Grouped): Promise<void> {
    const noted = new Set([...grouped.attached.keys(), ...grouped.declared.map((d) => d.id)]);
    const grown = new Set(
      works.flatMap((w) =>
        !w.isNew && w.view.incident_id && (w.grew || w.newEvents.length > 0) && !noted.has(w.view.incident_id)
          ? [w.view.incident_id]
          : [],
      ),
    );
    for (const incidentId of grown) await incidents.alertsGrew(tx, incidentId);
  }

  /**
   * Names each alert's incident on it (`known`: references read already in this transaction), and audits
   * the new alerts (a repeat is a counter, not audited).
   */
  async function record(tx: Db, works: Work[], known: Map<string, IncidentRef>): Promise<Map<string, IncidentRef>> {
    const refs = await incidents.refs(
      tx,
      works.flatMap((w) => (w.view.incident_id && !known.has(w.view.incident_id) ? [w.view.incident_id] : [])),
    );
    for (const [id, ref] of known) refs.set(id, ref);
    for (const w of works) {
      const ref = w.view.incident_id ? refs.get(w.view.incident_id) : undefined;
      w.view.incident_key = ref?.key ?? null;
      w.view.incident_title = ref?.title ?? null;
      w.view.incident_title_i18n = ref?.titleI18n ? JSON.stringify(ref.titleI18n) : null;
    }
    await audit.appendMany(
      tx,
      DETECTION_ACTOR,
      works
        .filter((w) => w.isNew)
        .map((w) => ({
          action: w.view.status === 'suppressed' ? 'alert.suppress' : 'alert.raise',
          targetType: 'alert',
          targetId: w.view.id,
          after: {
            ruleId: w.view.rule_id,
            level: w.view.level,
            fingerprint: w.view.fingerprint,
            entities: JSON.parse(w.view.entities) as unknown,
            status: w.view.status,
            heldBy: w.view.held_id ? { kind: w.view.held_kind, id: w.view.held_id, reason: w.view.held_reason } : null,
            incident: w.view.incident_key,
          },
          incidents: [w.view.incident_id],
        })),
    );
    return refs;
  }

  /**
   * Raises alerts for a batch of matches in one transaction — deduplication, grouping, persistence, then
   * the incidents' notes and the audit — and publishes after commit. The commit is relaxed (does not
   * wait for the disk; see Store.transaction): detection writes at the event rate, and an fsync stall
   * must not hold every alert back. A person's next change makes it durable.
   */
  const onIntakeTime = deps.onIntakeTime;
  return async function raise(matches: RuleMatch[]): Promise<RaiseOutcome[]> {
    if (matches.length === 0) return [];
    if (!onIntakeTime) return raiseMatches(matches);
    const t0 = performance.now();
    try {
      return await raiseMatches(matches);
    } finally {
      onIntakeTime((performance.now() - t0) / 1000);
    }
  };

  async function raiseMatches(matches: RuleMatch[]): Promise<RaiseOutcome[]> {
    const now = clock.now();
    const { keys, names } = await catalogKeys(now);
    const ctx = { serviceKeys: keys, ruleTitleZh, sourceServices };
    const prepared = matches.map((m) => prepare(m, ctx, now));
    const times = prepared.map((p) => p.time);

    const committed = await store.transaction(
      async (tx) => {
        // The reads that depend on nothing else go out together (one round trip on PostgreSQL): the
        // matches counted already (a batch delivered again counts nothing and creates nothing), what
        // holds alerts back, and the alerts the batch may repeat (of every match: a superset).
        const from = Math.min(...times);
        const candidates = findDedupCandidates(
          tx,
          prepared.map((p) => p.fingerprint),
          from - dedupWindow,
        );
        // With them: the incidents the batch's correlation keys point at (grouping), and what an incident
        // declared now would read (when a match is of a level that may declare one).
        const pointers = findGroups(
          tx,
          prepared.flatMap((p) => p.keys),
        );
        if (prepared.some((p) => LEVEL_RANK[p.level] >= minLevel)) incidents.primeDeclare(tx);
        const [replays, holdOf] = await Promise.all([
          findReplays(tx, prepared),
          holdsAt(tx, now, from, Math.max(...times)),
          candidates,
          pointers,
        ]);
        const fresh = prepared.flatMap((p, i) => (replays.repeated.has(i) ? [] : [{ p, i }]));
        const { works, placed, hits } = await deduplicate(
          tx,
          fresh.map((f) => f.p),
          {
            now,
            dedupWindowMs: dedupWindow,
            maxEventsPerAlert: maxEvents,
            holdOf,
            work,
            candidates,
          },
        );
        await recordCounted(
          tx,
          fresh.map((f, j) => ({ key: replays.keys[f.i]!, alertId: placed[j]!.work.view.id })),
          now,
        );
        const grouped = await group(tx, works, {
          groupWindowMs: groupWindow,
          minLevelRank: minLevel,
          declare: (w) => declare(tx, w, names),
          pointers,
        });
        await persist(tx, { works, pointers: grouped.pointers, hits, now });
        const { notes, refs: noted } = await noteAttached(tx, grouped);
        await noteGrown(tx, works, grouped);
        const refs = await record(tx, works, noted);
        const outcomes = await outcomesOf(tx, prepared.length, fresh, placed, replays);
        return { outcomes, declared: grouped.declared, notes, refs, works };
      },
      { durability: 'relaxed' },
    );

    for (const d of committed.declared) d.publish();
    for (const publish of committed.notes) publish();
    publishAlerts(committed.works, committed.refs);
    return committed.outcomes;
  }

  /** One outcome per match, in order: those counted now, and the repeats (the alert they were counted into). */
  async function outcomesOf(
    tx: Db,
    n: number,
    fresh: { i: number }[],
    placed: { work: Work; deduplicated: boolean }[],
    replays: Awaited<ReturnType<typeof findReplays>>,
  ): Promise<RaiseOutcome[]> {
    const out: RaiseOutcome[] = new Array(n);
    fresh.forEach(({ i }, j) => {
      const { work, deduplicated } = placed[j]!;
      out[i] = {
        alertId: work.view.id,
        status: work.view.status as AlertStatus,
        deduplicated,
        incidentKey: work.view.incident_key,
      };
    });
    if (!replays.repeated.size) return out;
    const stored = new Map(
      (
        await findAlerts(
          tx,
          [...replays.repeated.values()].filter((id) => id !== null),
        )
      ).map((a) => [a.id, a]),
    );
    for (const [i, id] of replays.repeated) {
      // A repeat within the batch goes where its first went.
      const first = id ?? out[replays.keys.indexOf(replays.keys[i]!)]?.alertId ?? null;
      const a = first ? stored.get(first) : undefined;
      out[i] = a
        ? { alertId: a.id, status: a.status as AlertStatus, deduplicated: true, incidentKey: a.incident_key }
        : { ...out[replays.keys.indexOf(replays.keys[i]!)]!, deduplicated: true };
    }
    return out;
  }

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
