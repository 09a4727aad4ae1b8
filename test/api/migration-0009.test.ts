/**
 * Migration 0009 on a store written before it: the audit chain still verifies, entries about a
 * restricted incident written before it are tied to it (an auditor no longer sees them), and a person
 * listed twice on an incident is listed once.
 */
import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { compose, type Services } from '../../src/server/compose.js';
import { GENESIS_HASH, hashRow } from '../../src/server/modules/audit/index.js';
import { canonicalJson } from '../../src/server/platform/canonical-json.js';
import { openStore } from '../../src/server/platform/db/connect.js';
import type { AuditLogTable, IncidentsTable, UsersTable } from '../../src/server/platform/db/types.js';
import { STORE_KINDS, testConfig } from '../helpers/store.js';

const T0 = Date.UTC(2026, 10, 1, 8, 0, 0);
const names = Object.keys(migrations).sort();
const BEFORE = names[names.indexOf('0009_need_to_know') - 1]!;

describe.each(STORE_KINDS)('migration 0009 (%s)', (kind) => {
  const { config, drop } = testConfig(kind);
  let s: Services;
  const ids = {
    commander: 'u-commander',
    lead: 'u-lead',
    auditor: 'u-auditor',
    hidden: 'i-hidden',
    open: 'i-open',
    task: 't-1',
    alert: 'a-1',
  };

  beforeAll(async () => {
    const store = await openStore(config.database);
    const migrator = new Migrator({
      db: store.db,
      provider: { getMigrations: async () => migrations },
      ...(store.schema ? { migrationTableSchema: store.schema } : {}),
    });
    const to = await migrator.migrateTo(BEFORE);
    expect(to.error).toBeUndefined();
    const db = store.db;
    const user = (id: string, role: string) =>
      ({
        id,
        email: `${id}@test.example`,
        name: id,
        role,
        locale: 'en',
        password_hash: 'x',
        mfa_secret: null,
        mfa_enabled: 0,
        mfa_last_step: null,
        disabled: 0,
        must_change_password: 0,
        created_at: T0,
        updated_at: T0,
        // Columns of later migrations (0054) do not exist yet at 0009.
      }) as unknown as UsersTable;
    await db
      .insertInto('users')
      .values([user(ids.commander, 'incident_commander'), user(ids.lead, 'responder'), user(ids.auditor, 'auditor')])
      .execute();
    const incident = (id: string, key: string, restricted: number) =>
      ({
        id,
        key,
        title: `Title of ${key}`,
        summary: '',
        category: 'other',
        grade: 'III',
        severity: 3,
        status: 'detected',
        restricted,
        tags: '[]',
        commander_id: ids.commander,
        customers_affected: null,
        funds_at_risk_minor: null,
        funds_currency: null,
        records_exposed: null,
        trading_interrupted: 0,
        detected_at: T0,
        acknowledged_at: null,
        contained_at: null,
        eradicated_at: null,
        recovered_at: null,
        closed_at: null,
        false_positive_at: null,
        reopened_at: null,
        created_by: ids.commander,
        created_at: T0,
        updated_at: T0,
        version: 1,
        timeline_seq: 0,
        // Columns of later migrations (drill, 0015) do not exist yet at 0009.
      }) as unknown as IncidentsTable;
    await db
      .insertInto('incidents')
      .values([incident(ids.hidden, 'INC-2026-0001', 1), incident(ids.open, 'INC-2026-0002', 0)])
      .execute();
    // The bug: the declarer of a restricted incident kept as observer when made commander, and a lead listed twice.
    await db
      .insertInto('incident_participants')
      .values([
        { incident_id: ids.hidden, user_id: ids.commander, role: 'observer', added_at: T0 },
        { incident_id: ids.hidden, user_id: ids.commander, role: 'incident_commander', added_at: T0 + 1 },
        { incident_id: ids.hidden, user_id: ids.lead, role: 'observer', added_at: T0 + 2 },
        { incident_id: ids.hidden, user_id: ids.lead, role: 'technical_lead', added_at: T0 + 3 },
        { incident_id: ids.open, user_id: ids.commander, role: 'incident_commander', added_at: T0 },
      ])
      .execute();
    await db
      .insertInto('tasks')
      .values({
        id: ids.task,
        incident_id: ids.hidden,
        title: 'Secret task',
        owner_user_id: null,
        owner_role: null,
        due_at: null,
        status: 'open',
        created_by: ids.commander,
        created_at: T0,
        updated_at: T0,
        completed_at: null,
      })
      .execute();

    // The chain as the old code wrote it.
    const records: [string, string, string, unknown][] = [
      ['incident.create', 'incident', 'INC-2026-0001', { title: 'Title of INC-2026-0001' }],
      ['timeline.append', 'incident', 'INC-2026-0001', { text: 'secret note' }],
      ['task.create', 'task', ids.task, { incident: 'INC-2026-0001', title: 'Secret task' }],
      ['incident.create', 'incident', 'INC-2026-0002', { title: 'Title of INC-2026-0002' }],
      ['alert.link', 'alert', ids.alert, { incident: 'INC-2026-0001' }],
      ['alert.link', 'alert', ids.alert, { incident: 'INC-2026-0002' }],
    ];
    let prev = GENESIS_HASH;
    const rows: AuditLogTable[] = records.map(([action, target_type, target_id, after], i) => {
      const row = {
        seq: i + 1,
        id: `e-${i + 1}`,
        at: T0 + i,
        actor_id: ids.commander,
        actor_label: 'commander',
        action,
        target_type,
        target_id,
        before_json: null,
        after_json: canonicalJson(after),
        prev_hash: prev,
      };
      prev = hashRow(row);
      return { ...row, hash: prev };
    });
    await db.insertInto('audit_log').values(rows).execute();
    await store.close();

    s = await compose(config);
  });
  afterAll(async () => {
    await s?.close();
    await drop();
  });

  it('keeps the chain verifiable', async () => {
    expect(await s.audit.verify()).toMatchObject({ ok: true, checked: 6 });
  });

  it('ties the entries written before it to their incidents: an auditor sees only the public one', async () => {
    const seen = (await s.audit.list({}, 50, ids.auditor)).items.map((e) => [e.seq, e.action, e.targetId]);
    // seq 6 names only the public incident; seq 5 named the restricted one (the alert has since moved on).
    expect(seen).toEqual([
      [6, 'alert.link', ids.alert],
      [4, 'incident.create', 'INC-2026-0002'],
    ]);
    expect((await s.audit.list({}, 50)).items).toHaveLength(6);
    expect((await s.audit.list({}, 50, ids.commander)).items).toHaveLength(6);
  });

  it('lists a person once on an incident, keeping the role that matters', async () => {
    const rows = await s.store.db
      .selectFrom('incident_participants')
      .select(['user_id', 'role', 'added_at'])
      .where('incident_id', '=', ids.hidden)
      .orderBy('user_id')
      .execute();
    expect(rows).toEqual([
      { user_id: ids.commander, role: 'incident_commander', added_at: T0 },
      { user_id: ids.lead, role: 'technical_lead', added_at: T0 + 2 },
    ]);
  });
});
