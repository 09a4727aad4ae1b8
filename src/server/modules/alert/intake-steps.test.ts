/** The steps of alert intake one at a time, on a real store: deduplicate, group, persist (raise runs them in one transaction). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS, testConfig } from '../../../../test/helpers/store.js';
import { createLocalBus } from '../../platform/bus.js';
import { migrate, openStore, type Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { createAuditService } from '../audit/index.js';
import { SYSTEM as SYSTEM_ACTOR } from '../../../../test/helpers/fixtures.js';
import type { Principal } from '../auth/index.js';
import type { RuleMatch } from '../detection/index.js';
import { createIncidentService, type IncidentService } from '../incident/index.js';
import { createUserService } from '../user/index.js';
import { findAlert, findGroups, listAlertEvents } from './alert.repository.js';
import { alertWork, type Prepared, type Work } from './alert-work.js';
import { detectionFacts } from './detection-text.js';
import { holdsAt, type Hold } from './holds.js';
import { deduplicate, type DedupOptions } from './intake-dedup.js';
import { group, type Declared, type GroupOptions } from './intake-grouping.js';
import { persist } from './intake-persist.js';
import { findSuppression, insertSuppression } from './suppression.repository.js';
import { LEVEL_RANK } from './triage.js';

const T0 = Date.UTC(2026, 10, 28, 2, 0, 0);
const MIN = 60_000;
const MAX_EVENTS = 3;
const work = alertWork({ maxEvents: MAX_EVENTS, maxChars: 1000 });
const context = { serviceKeys: new Set<string>(), ruleTitleZh: () => null, sourceServices: () => undefined };

let n = 0;
/** A match of `ruleId` about `account`, with events of the given ids (fresh ones by default). */
const match = (
  account: string,
  time: number,
  over: { ruleId?: string; level?: RuleMatch['level']; eventIds?: string[] } = {},
): RuleMatch => ({
  ruleId: over.ruleId ?? 'r-login',
  ruleTitle: `Rule ${over.ruleId ?? 'r-login'}`,
  level: over.level ?? 'high',
  tags: ['attack.credential_access'],
  kind: 'detection',
  time,
  events: (over.eventIds ?? [`ev-${++n}`]).map((id) => ({
    id,
    time,
    source: 'api',
    logsource: { product: 'windows', service: 'security' },
    fields: { TargetUserName: account },
  })),
});
const prepare = (matches: RuleMatch[], now = T0): Prepared[] => matches.map((m) => work.prepare(m, context, now));

describe.each(STORE_KINDS)('alert intake steps (%s)', (kind) => {
  let store: Store;
  let incidents: IncidentService;
  let admin: Principal;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const t = testConfig(kind);
    drop = t.drop;
    store = await openStore(t.config.database);
    await migrate(store);
    const clock = { now: () => T0 };
    const audit = createAuditService({ store, clock });
    const users = createUserService({ store, audit, clock });
    incidents = createIncidentService({ store, audit, bus: createLocalBus(), clock, users });
    const user = await users.create(SYSTEM_ACTOR, {
      email: `admin-${kind}@test.example`,
      name: 'Admin',
      role: 'admin',
      password: 'correct-horse-battery-staple',
    });
    admin = { user, via: 'cli', scopes: null, restrictedTo: null };
  });
  afterAll(async () => {
    await store.close();
    await drop();
  });

  const dedupOptions = (over: Partial<DedupOptions> = {}): DedupOptions => ({
    now: T0,
    dedupWindowMs: 15 * MIN,
    maxEventsPerAlert: MAX_EVENTS,
    holdOf: () => null,
    work,
    ...over,
  });

  /** Declares an incident for the alert as detection would (titles are the rule's). */
  const declareIn =
    (tx: Db) =>
    async (w: Work): Promise<Declared> => {
      const p = w.first;
      const titles = { 'zh-CN': p.ruleTitle, en: p.ruleTitle };
      const alert = { id: w.view.id, ruleId: p.ruleId, ruleTitle: p.ruleTitle, ruleTitles: titles, level: p.level };
      const { incident, publish } = await incidents.declareFromAlert(tx, SYSTEM_ACTOR, {
        title: titles,
        summary: titles,
        facts: detectionFacts({
          alertId: alert.id,
          ruleId: p.ruleId,
          ruleTitles: titles,
          level: p.level,
          time: p.time,
          entities: p.entities,
          services: [],
          category: p.category,
          grade: p.grade,
        }),
        category: p.category,
        grade: p.grade,
        severity: 3,
        tags: [],
        detectedAt: p.time,
        services: [],
        alert,
      });
      return { id: incident.id, publish };
    };

  const groupOptions = (tx: Db, over: Partial<GroupOptions> = {}): GroupOptions => ({
    groupWindowMs: 60 * MIN,
    minLevelRank: LEVEL_RANK.medium,
    declare: declareIn(tx),
    ...over,
  });

  /** One batch through every step, as raise runs them (without the notes, audit and publishing). */
  const intake = (matches: RuleMatch[], now = T0, holdOf: DedupOptions['holdOf'] = () => null) =>
    store.transaction(async (tx) => {
      const d = await deduplicate(tx, prepare(matches, now), dedupOptions({ now, holdOf }));
      const g = await group(tx, d.works, groupOptions(tx));
      await persist(tx, { works: d.works, pointers: g.pointers, hits: d.hits, now });
      return { ...d, ...g };
    });

  describe('deduplicate', () => {
    it('counts the repeats of a batch into one alert in event-time order, and writes nothing', async () => {
      const d = await store.transaction((tx) =>
        deduplicate(tx, prepare([match('alice', T0 + 2 * MIN), match('alice', T0), match('bob', T0)]), dedupOptions()),
      );
      expect(d.works).toHaveLength(2);
      expect(d.placed.map((p) => p.deduplicated)).toEqual([true, false, false]);
      expect(d.placed[0]!.work).toBe(d.placed[1]!.work);
      expect(d.placed[0]!.work).toMatchObject({ isNew: true, dirty: true });
      expect(d.placed[0]!.work.view).toMatchObject({
        count: 2,
        event_count: 2,
        events_stored: 2,
        first_seen: T0,
        last_seen: T0 + 2 * MIN,
        status: 'open',
      });
      expect(d.hits).toEqual([]);
      for (const w of d.works) expect(await findAlert(store.db, w.view.id)).toBeUndefined();
    });

    it('counts a repeat within the window into the stored alert, and one past it into a new alert', async () => {
      const [first] = (await intake([match('carol', T0)])).placed;
      const d = await store.transaction((tx) =>
        deduplicate(tx, prepare([match('carol', T0 + 10 * MIN), match('carol', T0 + 40 * MIN)]), dedupOptions()),
      );
      const [repeat, later] = d.placed;
      expect(repeat).toMatchObject({ deduplicated: true, work: { isNew: false, dirty: true } });
      expect(repeat!.work.view).toMatchObject({ id: first!.work.view.id, count: 2, last_seen: T0 + 10 * MIN });
      expect(later).toMatchObject({ deduplicated: false, work: { isNew: true } });
      expect(later!.work.view.id).not.toBe(first!.work.view.id);
    });

    it('keeps held matches apart from live alerts and counts what held them', async () => {
      const [live] = (await intake([match('dave', T0 - MIN)])).placed;
      const hold: Hold = { kind: 'suppression', id: 'sup-dave', reason: 'pen test' };
      const holdOf = (a: { entities: { accounts: string[] } }) => (a.entities.accounts.includes('dave') ? hold : null);
      const d = await store.transaction((tx) =>
        deduplicate(
          tx,
          prepare([match('dave', T0), match('dave', T0 + MIN), match('erin', T0)]),
          dedupOptions({ holdOf }),
        ),
      );
      expect(d.works).toHaveLength(2);
      const held = d.placed[0]!.work;
      expect(held.view.id).not.toBe(live!.work.view.id);
      expect(held.view).toMatchObject({
        status: 'suppressed',
        held_kind: 'suppression',
        held_id: 'sup-dave',
        count: 2,
      });
      expect(d.placed[2]!.work.view.status).toBe('open');
      expect(d.hits).toEqual([{ hold, n: 2 }]);
    });

    it("adds only the events an alert does not keep yet, up to the bound, then the match's latest", async () => {
      const [stored] = (await intake([match('frank', T0, { eventIds: ['e-a', 'e-b'] })])).placed;
      const d = await store.transaction((tx) =>
        deduplicate(tx, prepare([match('frank', T0 + MIN, { eventIds: ['e-a', 'e-c', 'e-d'] })]), dedupOptions()),
      );
      const w = d.placed[0]!.work;
      expect(w.view.id).toBe(stored!.work.view.id);
      expect(w.newEvents.map((e) => [e.event_id, e.seq])).toEqual([
        ['e-c', 3],
        ['e-d', 4],
      ]);
      expect(w.view).toMatchObject({ events_stored: MAX_EVENTS + 1, event_count: 5 });
    });
  });

  describe('group', () => {
    it('declares an incident for a new live alert of the least level or above, and points its keys at it', async () => {
      const { placed, declared, pointers, attached } = await intake([match('grace', T0)]);
      const w = placed[0]!.work;
      expect(declared).toHaveLength(1);
      expect(w.view.incident_id).toBe(declared[0]!.id);
      expect(attached.size).toBe(0);
      expect(pointers).toEqual(w.first.keys.map((key) => ({ key, incident_id: declared[0]!.id, last_seen: T0 })));
    });

    it("keeps an incident's keys alive with a repeat, and lets a later alert sharing a key join it within the window", async () => {
      const first = await intake([match('heidi', T0)]);
      const incidentId = first.declared[0]!.id;
      const repeat = await intake([match('heidi', T0 + 10 * MIN)], T0 + 10 * MIN);
      expect(repeat.placed[0]).toMatchObject({ deduplicated: true });
      expect(repeat).toMatchObject({ declared: [], attached: new Map() });
      expect(repeat.pointers.map((p) => [p.incident_id, p.last_seen])).toEqual(
        repeat.placed[0]!.work.first.keys.map(() => [incidentId, T0 + 10 * MIN]),
      );
      const joined = await intake([match('heidi', T0 + 60 * MIN, { ruleId: 'r-other' })], T0 + 60 * MIN);
      expect(joined.declared).toEqual([]);
      expect(joined.placed[0]!.work.view.incident_id).toBe(incidentId);
      expect([...joined.attached.keys()]).toEqual([incidentId]);
    });

    it('declares afresh past the window or once the incident ended; low alerts only join, held ones never', async () => {
      const first = await intake([match('ivan', T0)]);
      const late = await intake([match('ivan', T0 + 2 * 60 * MIN, { ruleId: 'r-late' })], T0 + 2 * 60 * MIN);
      expect(late.declared).toHaveLength(1);
      expect(late.declared[0]!.id).not.toBe(first.declared[0]!.id);

      const judy = await intake([match('judy', T0)]);
      const key = (await incidents.refs(store.db, [judy.declared[0]!.id])).get(judy.declared[0]!.id)!.key;
      await incidents.transition(admin, key, 'false_positive');
      const after = await intake([match('judy', T0 + MIN, { ruleId: 'r-after' })]);
      expect(after.declared).toHaveLength(1);

      const low = await intake([match('judy', T0 + 2 * MIN, { ruleId: 'r-low', level: 'low' })]);
      expect(low.declared).toEqual([]);
      expect(low.placed[0]!.work.view.incident_id).toBe(after.declared[0]!.id);
      const lone = await intake([match('mallory', T0, { level: 'low' })]);
      expect(lone).toMatchObject({ declared: [], pointers: [] });
      expect(lone.placed[0]!.work.view.incident_id).toBeNull();

      const hold: Hold = { kind: 'maintenance', id: 'mw-1', reason: 'planned' };
      const held = await intake([match('niaj', T0)], T0, () => hold);
      expect(held).toMatchObject({ declared: [], pointers: [] });
      expect(held.placed[0]!.work.view).toMatchObject({ status: 'suppressed', incident_id: null });
    });
  });

  describe('persist', () => {
    it('stores new alerts with their events, counts repeats and hits, and points the keys', async () => {
      await insertSuppression(store.db, {
        id: 'sup-olivia',
        rule_id: null,
        entity_kind: 'account',
        entity_value: 'olivia',
        reason: 'known scanner',
        expires_at: null,
        from_alert_id: null,
        hits: 0,
        last_hit_at: null,
        created_by: null,
        created_at: T0 - MIN,
        deleted_by: null,
        deleted_at: null,
      });
      const held = (tx: Db) => holdsAt(tx, T0, T0, T0 + MIN);
      const first = await store.transaction(async (tx) => {
        const holdOf = await held(tx);
        const d = await deduplicate(tx, prepare([match('peggy', T0), match('olivia', T0)]), dedupOptions({ holdOf }));
        const g = await group(tx, d.works, groupOptions(tx));
        await persist(tx, { works: d.works, pointers: g.pointers, hits: d.hits, now: T0 });
        return { ...d, ...g };
      });
      const [peggy, olivia] = first.placed.map((p) => p.work.view);
      expect(await findAlert(store.db, peggy!.id)).toMatchObject({
        count: 1,
        status: 'open',
        incident_id: expect.any(String),
      });
      expect(await findAlert(store.db, olivia!.id)).toMatchObject({ status: 'suppressed', held_id: 'sup-olivia' });
      expect((await listAlertEvents(store.db, peggy!.id)).map((e) => e.seq)).toEqual([1]);
      expect(await findSuppression(store.db, 'sup-olivia')).toMatchObject({ hits: 1, last_hit_at: T0 });
      const groups = await findGroups(
        store.db,
        first.pointers.map((p) => p.key),
      );
      expect(groups.map((g) => [g.incident_id, Number(g.last_seen)])).toEqual(
        first.pointers.map(() => [peggy!.incident_id, T0]),
      );

      await intake([match('peggy', T0 + 5 * MIN)], T0 + 5 * MIN);
      expect(await findAlert(store.db, peggy!.id)).toMatchObject({
        count: 2,
        event_count: 2,
        events_stored: 2,
        last_seen: T0 + 5 * MIN,
        updated_at: T0 + 5 * MIN,
      });
      expect((await listAlertEvents(store.db, peggy!.id)).map((e) => e.seq)).toEqual([1, 2]);
      const moved = await findGroups(
        store.db,
        first.pointers.map((p) => p.key),
      );
      expect(moved.map((g) => Number(g.last_seen))).toEqual(first.pointers.map(() => T0 + 5 * MIN));
    });
  });
});
