/**
 * Migration 0057 (docs/kpi.md): the instants the performance figures measure from, kept on the incident by
 * database triggers. On a store written before it the migration fills them in from the rows already there;
 * afterwards every write of another table keeps them — an alert moved to another incident, a statement
 * published, withdrawn or of a kind that does not speak to the public, customer messages sent out of
 * order, services replaced — on each store. The triggers' list of public kinds is the review module's.
 */
import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { PUBLIC_KINDS } from '../../migrations/0057_incident_kpi_facts.js';
import { PUBLIC_STATEMENT_KINDS } from '../../src/server/modules/review/index.js';
import { openStore, type Store } from '../../src/server/platform/db/connect.js';
import { STORE_KINDS, testConfig } from '../helpers/store.js';

const T0 = Date.UTC(2026, 10, 1, 8, 0, 0);
const MIN = 60_000;
const names = Object.keys(migrations).sort();
const BEFORE = names[names.indexOf('0057_incident_kpi_facts') - 1] as string;

it('keeps the public statement kinds of the triggers equal to the review module’s', () => {
  expect([...PUBLIC_KINDS].sort()).toEqual([...PUBLIC_STATEMENT_KINDS].sort());
});

describe.each(STORE_KINDS)('migration 0057: the figures’ instants on the incident (%s)', (kind) => {
  const { config, drop } = testConfig(kind);
  let store: Store;
  /** A row as the tables were before the migration (kysely's types know them as they are now). */
  const raw = (table: string, row: Record<string, unknown>) =>
    sql`insert into ${sql.table(table)} (${sql.join(Object.keys(row).map((k) => sql.ref(k)))}) values (${sql.join(Object.values(row))})`.execute(
      store.db,
    );
  const incident = (id: string) =>
    raw('incidents', {
      id,
      key: `INC-${id}`,
      title: id,
      summary: '',
      category: 'other',
      grade: 'III',
      severity: 3,
      status: 'detected',
      restricted: 0,
      tags: '[]',
      trading_interrupted: 0,
      detected_at: T0,
      created_at: T0,
      updated_at: T0,
      version: 1,
      timeline_seq: 0,
      drill: 0,
    });
  const alert = (id: string, incidentId: string | null, firstSeen: number) =>
    raw('alerts', {
      id,
      rule_id: 'r',
      rule_title: 'r',
      level: 'high',
      severity: 2,
      kind: 'detection',
      tags: '[]',
      entities: '{}',
      services: '[]',
      fingerprint: `fp-${id}`,
      count: 1,
      event_count: 1,
      events_stored: 0,
      first_seen: firstSeen,
      last_seen: firstSeen,
      status: 'new',
      suggested_category: 'other',
      suggested_grade: 'IV',
      incident_id: incidentId,
      created_at: firstSeen,
      updated_at: firstSeen,
    });
  const statement = (id: string, incidentId: string, statementKind: string, publishedAt: number | null) =>
    raw('statements', {
      id,
      incident_id: incidentId,
      kind: statementKind,
      scenario: 'generic',
      state: publishedAt ? 'published' : 'draft',
      current_version: 1,
      required_reviews: '[]',
      flags: '[]',
      created_at: T0,
      updated_at: T0,
      published_at: publishedAt,
    });
  const campaign = (id: string, incidentId: string, statementId: string) =>
    raw('campaigns', {
      id,
      incident_id: incidentId,
      name: id,
      statement_id: statementId,
      audience: '{}',
      channels: '[]',
      mandatory: 1,
      urgent: 0,
      throttle: '{}',
      priority_tiers: '[]',
      state: 'sending',
      fanout_done: 1,
      message_count: 3,
      created_at: T0,
      updated_at: T0,
    });
  const message = (id: string, campaignId: string, sentAt: number | null) =>
    raw('campaign_messages', {
      id,
      campaign_id: campaignId,
      customer_id: `c-${id}`,
      channel: 'sms',
      language: 'zh',
      body: 'notice',
      idempotency_key: `k-${id}`,
      priority: 1,
      state: sentAt ? 'sent' : 'queued',
      attempts: sentAt ? 1 : 0,
      next_attempt_at: T0,
      created_at: T0,
      sent_at: sentAt,
      updated_at: T0,
    });
  const service = (id: string) =>
    raw('services', {
      id,
      key: id,
      name_zh: id,
      name_en: id,
      description: '',
      created_at: T0,
    });
  const facts = async (id: string) => {
    const r = await store.db
      .selectFrom('incidents')
      .select(['first_alert_seen_at', 'first_public_statement_at', 'first_notice_sent_at', 'service_ids'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const n = (v: unknown) => (v === null ? null : Number(v));
    return {
      alert: n(r.first_alert_seen_at),
      statement: n(r.first_public_statement_at),
      notice: n(r.first_notice_sent_at),
      services: r.service_ids ? r.service_ids.split(',').sort().join(',') : null,
    };
  };
  const migrator = () =>
    new Migrator({
      db: store.db,
      provider: { getMigrations: async () => migrations },
      ...(store.schema ? { migrationTableSchema: store.schema } : {}),
    });

  beforeAll(async () => {
    store = await openStore(config.database);
    expect((await migrator().migrateTo(BEFORE)).error).toBeUndefined();
    // Written before the migration: incident A with two services, two alerts, a public and an internal
    // statement, a campaign with one message sent; incident B with nothing.
    await incident('A');
    await incident('B');
    await service('s1');
    await service('s2');
    await raw('incident_services', { incident_id: 'A', service_id: 's1' });
    await raw('incident_services', { incident_id: 'A', service_id: 's2' });
    await alert('a1', 'A', T0 - 30 * MIN);
    await alert('a2', 'A', T0 - 10 * MIN);
    await statement('st1', 'A', 'internal_briefing', T0 + 5 * MIN);
    await statement('st2', 'A', 'holding_statement', T0 + 40 * MIN);
    await campaign('c1', 'A', 'st2');
    await message('m1', 'c1', T0 + 90 * MIN);
    await message('m2', 'c1', null);
    expect((await migrator().migrateToLatest()).error).toBeUndefined();
  });
  afterAll(async () => {
    await store?.close();
    await drop();
  });

  it('fills in what the rows already held', async () => {
    expect(await facts('A')).toEqual({
      alert: T0 - 30 * MIN,
      statement: T0 + 40 * MIN,
      notice: T0 + 90 * MIN,
      services: 's1,s2',
    });
    expect(await facts('B')).toEqual({ alert: null, statement: null, notice: null, services: null });
  });

  it('follows alerts linked, moved and changed', async () => {
    // The earliest alert moves to B: A's first evidence is its other alert now, B's the moved one.
    await store.db.updateTable('alerts').set({ incident_id: 'B' }).where('id', '=', 'a1').execute();
    expect((await facts('A')).alert).toBe(T0 - 10 * MIN);
    expect((await facts('B')).alert).toBe(T0 - 30 * MIN);
    // A new alert linked at once, earlier than B's.
    await alert('a3', 'B', T0 - 50 * MIN);
    expect((await facts('B')).alert).toBe(T0 - 50 * MIN);
    // A later one changes nothing; an alert of no incident touches none.
    await alert('a4', 'B', T0 - 5 * MIN);
    await alert('a5', null, T0 - 500 * MIN);
    expect((await facts('B')).alert).toBe(T0 - 50 * MIN);
    // Unlinked: B falls back to the moved alert.
    await store.db.updateTable('alerts').set({ incident_id: null }).where('id', '=', 'a3').execute();
    expect((await facts('B')).alert).toBe(T0 - 30 * MIN);
    // A repeat of an alert (its count and last event) changes nothing.
    await store.db.updateTable('alerts').set({ count: 2, last_seen: T0 }).where('id', '=', 'a1').execute();
    expect((await facts('B')).alert).toBe(T0 - 30 * MIN);
  });

  it('counts only statements of a public kind once they are published', async () => {
    await statement('st3', 'B', 'customer_notice', T0 + 1 * MIN);
    await statement('st4', 'B', 'status_update', null);
    expect((await facts('B')).statement).toBeNull();
    await store.db
      .updateTable('statements')
      .set({ published_at: T0 + 20 * MIN })
      .where('id', '=', 'st4')
      .execute();
    expect((await facts('B')).statement).toBe(T0 + 20 * MIN);
    // A's holding statement withdrawn (its publication undone): A has none left of a public kind.
    await store.db.updateTable('statements').set({ published_at: null }).where('id', '=', 'st2').execute();
    expect((await facts('A')).statement).toBeNull();
  });

  it('keeps the first customer message sent, whatever order they are sent in', async () => {
    await message('m3', 'c1', null);
    await store.db
      .updateTable('campaign_messages')
      .set({ sent_at: T0 + 60 * MIN })
      .where('id', '=', 'm2')
      .execute();
    expect((await facts('A')).notice).toBe(T0 + 60 * MIN);
    await store.db
      .updateTable('campaign_messages')
      .set({ sent_at: T0 + 120 * MIN })
      .where('id', '=', 'm3')
      .execute();
    expect((await facts('A')).notice).toBe(T0 + 60 * MIN);
    await campaign('c2', 'B', 'st3');
    await message('m4', 'c2', T0 + 15 * MIN);
    expect((await facts('B')).notice).toBe(T0 + 15 * MIN);
  });

  it('lists the services again when they are replaced', async () => {
    await store.db.deleteFrom('incident_services').where('incident_id', '=', 'A').execute();
    expect((await facts('A')).services).toBeNull();
    await raw('incident_services', { incident_id: 'A', service_id: 's2' });
    expect((await facts('A')).services).toBe('s2');
    await raw('incident_services', { incident_id: 'B', service_id: 's1' });
    await raw('incident_services', { incident_id: 'B', service_id: 's2' });
    expect((await facts('B')).services).toBe('s1,s2');
  });

  it('goes back down and up again', async () => {
    const m = migrator();
    expect((await m.migrateDown()).error).toBeUndefined();
    expect((await m.migrateToLatest()).error).toBeUndefined();
    expect(await facts('A')).toEqual({ alert: T0 - 10 * MIN, statement: null, notice: T0 + 60 * MIN, services: 's2' });
  });
});
