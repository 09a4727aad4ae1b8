/**
 * The per-incident instants the performance figures measure from (issue 16, docs/kpi.md), kept on the
 * incident row as they happen instead of looked up in four other tables each time the figures are read:
 *
 * - `first_alert_seen_at`: the earliest first event of the incident's alerts (MTTD);
 * - `first_public_statement_at`: when its first statement of a public kind was published;
 * - `first_notice_sent_at`: when the first message of its customer campaigns was sent;
 * - `service_ids`: the business services it names, comma-joined (null: none).
 *
 * Database triggers keep them, so every write path (the services, bulk loads, imports, restores) keeps
 * them too. An alert or statement that changes incident, instant or kind makes both incidents read their
 * minimum again (an index lookup); a sent message can only bring the first notice earlier, so it is
 * compared, not recomputed (a campaign sends thousands). The read of a year's figures is then one scan of
 * the covering index `incidents_kpi` — 100,000 incidents in well under a
 * second, where the four lookups per incident took most of it. Existing rows are filled in here.
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * The statement kinds that speak to the public: the review module's PUBLIC_STATEMENT_KINDS when this
 * migration was written (a test keeps them equal; a change there needs a migration that replaces the
 * statement triggers).
 */
export const PUBLIC_KINDS = [
  'holding_statement',
  'status_update',
  'media_statement',
  'rumor_clarification',
  'exchange_notice',
  'investigation_result',
] as const;

const isPg = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;
const kinds = sql.raw(PUBLIC_KINDS.map((k) => `'${k}'`).join(', '));

/** The recomputations, as SQL over an incident id expression (`old.x` / `new.x`). */
const services = (pg: boolean, id: string) =>
  sql.raw(
    `update incidents set service_ids = (select ${pg ? "string_agg(service_id, ',' order by service_id)" : "group_concat(service_id, ',')"} from incident_services where incident_id = ${id}) where id = ${id}`,
  );
const alertMin = (id: string) =>
  sql.raw(
    `update incidents set first_alert_seen_at = (select min(first_seen) from alerts where incident_id = ${id}) where id = ${id}`,
  );
const statementMin = (id: string) =>
  sql`update incidents set first_public_statement_at = (select min(published_at) from statements where incident_id = ${sql.raw(id)} and kind in (${kinds}) and published_at is not null) where id = ${sql.raw(id)}`;
const alertEarlier = sql.raw(
  'update incidents set first_alert_seen_at = new.first_seen where id = new.incident_id and (first_alert_seen_at is null or first_alert_seen_at > new.first_seen)',
);
const statementEarlier = sql`update incidents set first_public_statement_at = new.published_at where id = new.incident_id and new.kind in (${kinds}) and (first_public_statement_at is null or first_public_statement_at > new.published_at)`;
const noticeEarlier = sql.raw(
  'update incidents set first_notice_sent_at = new.sent_at where id = (select incident_id from campaigns where id = new.campaign_id) and (first_notice_sent_at is null or first_notice_sent_at > new.sent_at)',
);

async function sqliteTriggers(db: Kysely<unknown>) {
  const run = (q: ReturnType<typeof sql>) => q.execute(db);
  // Services: any change re-lists the incident's services.
  await run(
    sql`create trigger incident_services_kpi_ins after insert on incident_services begin ${services(false, 'new.incident_id')}; end`,
  );
  await run(
    sql`create trigger incident_services_kpi_del after delete on incident_services begin ${services(false, 'old.incident_id')}; end`,
  );
  await run(
    sql`create trigger incident_services_kpi_upd after update on incident_services begin ${services(false, 'old.incident_id')}; ${services(false, 'new.incident_id')}; end`,
  );
  // Alerts.
  await run(
    sql`create trigger alerts_kpi_ins after insert on alerts when new.incident_id is not null begin ${alertEarlier}; end`,
  );
  await run(
    sql`create trigger alerts_kpi_upd after update of incident_id, first_seen on alerts when old.incident_id is not new.incident_id or old.first_seen is not new.first_seen begin ${alertMin('old.incident_id')}; ${alertMin('new.incident_id')}; end`,
  );
  await run(
    sql`create trigger alerts_kpi_del after delete on alerts when old.incident_id is not null begin ${alertMin('old.incident_id')}; end`,
  );
  // Statements.
  await run(
    sql`create trigger statements_kpi_ins after insert on statements when new.incident_id is not null and new.published_at is not null begin ${statementEarlier}; end`,
  );
  await run(
    sql`create trigger statements_kpi_upd after update of incident_id, kind, published_at on statements when old.incident_id is not new.incident_id or old.kind is not new.kind or old.published_at is not new.published_at begin ${statementMin('old.incident_id')}; ${statementMin('new.incident_id')}; end`,
  );
  await run(
    sql`create trigger statements_kpi_del after delete on statements begin ${statementMin('old.incident_id')}; end`,
  );
  // Customer messages: the first sent.
  await run(
    sql`create trigger campaign_messages_kpi_ins after insert on campaign_messages when new.sent_at is not null begin ${noticeEarlier}; end`,
  );
  await run(
    sql`create trigger campaign_messages_kpi_upd after update of sent_at on campaign_messages when new.sent_at is not null and old.sent_at is not new.sent_at begin ${noticeEarlier}; end`,
  );
}

async function pgTriggers(db: Kysely<unknown>) {
  const run = (q: ReturnType<typeof sql>) => q.execute(db);
  const fn = (name: string, body: ReturnType<typeof sql>) =>
    run(
      sql`create or replace function ${sql.raw(name)}() returns trigger language plpgsql as $fn$ begin ${body} return null; end $fn$`,
    );
  const trigger = (name: string, when: string, table: string, fnName: string, condition?: string) =>
    run(
      sql.raw(
        `create trigger ${name} after ${when} on ${table} for each row${condition ? ` when (${condition})` : ''} execute function ${fnName}()`,
      ),
    );

  await fn(
    'incident_services_kpi',
    sql`if tg_op <> 'INSERT' then ${services(true, 'old.incident_id')}; end if; if tg_op <> 'DELETE' then ${services(true, 'new.incident_id')}; end if;`,
  );
  await trigger('incident_services_kpi', 'insert or update or delete', 'incident_services', 'incident_services_kpi');

  // An update or delete: the incident the row left takes its minimum again, and the one it joined.
  const again = (min: (id: string) => ReturnType<typeof sql>) =>
    sql`if tg_op <> 'INSERT' and old.incident_id is not null then ${min('old.incident_id')}; end if; if tg_op = 'UPDATE' and new.incident_id is distinct from old.incident_id and new.incident_id is not null then ${min('new.incident_id')}; end if;`;

  await fn('alerts_kpi_earlier', sql`${alertEarlier};`);
  await fn('alerts_kpi_again', again(alertMin));
  await trigger('alerts_kpi_ins', 'insert', 'alerts', 'alerts_kpi_earlier', 'new.incident_id is not null');
  await trigger(
    'alerts_kpi_upd',
    'update of incident_id, first_seen',
    'alerts',
    'alerts_kpi_again',
    'old.incident_id is distinct from new.incident_id or old.first_seen is distinct from new.first_seen',
  );
  await trigger('alerts_kpi_del', 'delete', 'alerts', 'alerts_kpi_again');

  await fn('statements_kpi_earlier', sql`${statementEarlier};`);
  await fn('statements_kpi_again', again(statementMin));
  await trigger(
    'statements_kpi_ins',
    'insert',
    'statements',
    'statements_kpi_earlier',
    'new.incident_id is not null and new.published_at is not null',
  );
  await trigger(
    'statements_kpi_upd',
    'update of incident_id, kind, published_at',
    'statements',
    'statements_kpi_again',
    'old.incident_id is distinct from new.incident_id or old.kind is distinct from new.kind or old.published_at is distinct from new.published_at',
  );
  await trigger('statements_kpi_del', 'delete', 'statements', 'statements_kpi_again');

  await fn('campaign_messages_kpi', sql`${noticeEarlier};`);
  await trigger(
    'campaign_messages_kpi_ins',
    'insert',
    'campaign_messages',
    'campaign_messages_kpi',
    'new.sent_at is not null',
  );
  await trigger(
    'campaign_messages_kpi_upd',
    'update of sent_at',
    'campaign_messages',
    'campaign_messages_kpi',
    'new.sent_at is not null and old.sent_at is distinct from new.sent_at',
  );
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPg(db);
  for (const c of ['first_alert_seen_at', 'first_public_statement_at', 'first_notice_sent_at'])
    await db.schema.alterTable('incidents').addColumn(c, 'bigint').execute();
  await db.schema.alterTable('incidents').addColumn('service_ids', 'text').execute();

  // What the rows already hold.
  await services(pg, 'incidents.id').execute(db);
  await alertMin('incidents.id').execute(db);
  await statementMin('incidents.id').execute(db);
  await sql`update incidents set first_notice_sent_at = (select min(m.sent_at) from campaigns c join campaign_messages m on m.campaign_id = c.id where c.incident_id = incidents.id and m.sent_at is not null)`.execute(
    db,
  );

  if (pg) await pgTriggers(db);
  else await sqliteTriggers(db);
  // The figures' scan reads this index alone (PostgreSQL: an index-only scan once vacuum has marked the
  // pages all-visible): the period's range, the filters and every column they take.
  await sql`create index incidents_kpi on incidents (detected_at, false_positive_at, drill, grade, category, acknowledged_at, contained_at, recovered_at, customers_affected, first_alert_seen_at, first_public_statement_at, first_notice_sent_at, service_ids, id)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const pg = isPg(db);
  const triggers: [string, string][] = pg
    ? [
        ['incident_services_kpi', 'incident_services'],
        ['alerts_kpi_ins', 'alerts'],
        ['alerts_kpi_upd', 'alerts'],
        ['alerts_kpi_del', 'alerts'],
        ['statements_kpi_ins', 'statements'],
        ['statements_kpi_upd', 'statements'],
        ['statements_kpi_del', 'statements'],
        ['campaign_messages_kpi_ins', 'campaign_messages'],
        ['campaign_messages_kpi_upd', 'campaign_messages'],
      ]
    : [
        ['incident_services_kpi_ins', ''],
        ['incident_services_kpi_del', ''],
        ['incident_services_kpi_upd', ''],
        ['alerts_kpi_ins', ''],
        ['alerts_kpi_upd', ''],
        ['alerts_kpi_del', ''],
        ['statements_kpi_ins', ''],
        ['statements_kpi_upd', ''],
        ['statements_kpi_del', ''],
        ['campaign_messages_kpi_ins', ''],
        ['campaign_messages_kpi_upd', ''],
      ];
  for (const [name, table] of triggers)
    await sql.raw(`drop trigger if exists ${name}${pg ? ` on ${table}` : ''}`).execute(db);
  if (pg)
    for (const f of [
      'incident_services_kpi',
      'alerts_kpi_earlier',
      'alerts_kpi_again',
      'statements_kpi_earlier',
      'statements_kpi_again',
      'campaign_messages_kpi',
    ])
      await sql.raw(`drop function if exists ${f}()`).execute(db);
  await sql`drop index if exists incidents_kpi`.execute(db);
  for (const c of ['first_alert_seen_at', 'first_public_statement_at', 'first_notice_sent_at', 'service_ids'])
    await db.schema.alterTable('incidents').dropColumn(c).execute();
}
