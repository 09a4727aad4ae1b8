/**
 * Need-to-know for the audit log and one role per person on an incident.
 * - `audit_incidents`: which incidents an audit entry is about (outside the hash chain, so existing
 *   entries keep their hashes), backfilled from the entries already written; indexes for the audit
 *   page's filters (time, actor, action).
 * - `incident_participants`: a person listed twice on one incident (e.g. as observer and as commander)
 *   keeps one role, then a unique index keeps it that way.
 */
import { sql, type Kysely } from 'kysely';

const BATCH = 1000;

interface EntryRow {
  seq: number | string;
  target_type: string;
  target_id: string | null;
  before_json: string | null;
  after_json: string | null;
}

/** Incident keys an entry's before/after name (`incident` on alert and task entries). */
function namedKeys(json: string | null): string[] {
  if (!json) return [];
  try {
    const v = JSON.parse(json) as unknown;
    if (v && typeof v === 'object' && typeof (v as { incident?: unknown }).incident === 'string')
      return [(v as { incident: string }).incident];
  } catch {
    // not JSON: names nothing
  }
  return [];
}

async function backfillAuditIncidents(db: Kysely<unknown>): Promise<void> {
  const incidents = await sql<{ id: string; key: string }>`select id, key from incidents`.execute(db);
  const idOfKey = new Map(incidents.rows.map((r) => [r.key, r.id]));
  let after = 0;
  for (;;) {
    const { rows } =
      await sql<EntryRow>`select seq, target_type, target_id, before_json, after_json from audit_log where seq > ${after} order by seq limit ${BATCH}`.execute(
        db,
      );
    if (rows.length === 0) break;
    const taskIds = rows.filter((r) => r.target_type === 'task' && r.target_id).map((r) => r.target_id!);
    const taskIncident = new Map<string, string>();
    if (taskIds.length) {
      const tasks = await sql<{
        id: string;
        incident_id: string;
      }>`select id, incident_id from tasks where id in (${sql.join(taskIds)})`.execute(db);
      for (const t of tasks.rows) taskIncident.set(t.id, t.incident_id);
    }
    const ties: { seq: number; incident_id: string }[] = [];
    for (const r of rows) {
      const ids = new Set<string>();
      if (r.target_type === 'incident' && r.target_id && idOfKey.has(r.target_id)) ids.add(idOfKey.get(r.target_id)!);
      if (r.target_type === 'task' && r.target_id && taskIncident.has(r.target_id))
        ids.add(taskIncident.get(r.target_id)!);
      for (const key of [...namedKeys(r.before_json), ...namedKeys(r.after_json)])
        if (idOfKey.has(key)) ids.add(idOfKey.get(key)!);
      for (const id of ids) ties.push({ seq: Number(r.seq), incident_id: id });
    }
    for (let i = 0; i < ties.length; i += 400) {
      const chunk = ties.slice(i, i + 400);
      await sql`insert into audit_incidents (seq, incident_id) values ${sql.join(chunk.map((t) => sql`(${t.seq}, ${t.incident_id})`))}`.execute(
        db,
      );
    }
    after = Number(rows[rows.length - 1]!.seq);
  }
}

/** Keeps one row per (incident, person): the commander's role for the commander, else the first role that is not observer, else the first. */
async function mergeDuplicateParticipants(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{
    incident_id: string;
    user_id: string;
    role: string;
    added_at: number | string;
    commander_id: string | null;
  }>`
    select p.incident_id, p.user_id, p.role, p.added_at, i.commander_id
    from incident_participants p join incidents i on i.id = p.incident_id
    where exists (select 1 from incident_participants q where q.incident_id = p.incident_id and q.user_id = p.user_id and q.role <> p.role)
    order by p.added_at`.execute(db);
  const groups = new Map<string, typeof rows>();
  for (const r of rows)
    groups.set(`${r.incident_id}\n${r.user_id}`, [...(groups.get(`${r.incident_id}\n${r.user_id}`) ?? []), r]);
  for (const group of groups.values()) {
    const first = group[0]!;
    const keep =
      (first.commander_id === first.user_id ? group.find((r) => r.role === 'incident_commander') : undefined) ??
      group.find((r) => r.role !== 'observer' && r.role !== 'incident_commander') ??
      group.find((r) => r.role !== 'incident_commander') ??
      first;
    // The person joined when their first role was given.
    const joined = Math.min(...group.map((r) => Number(r.added_at)));
    for (const r of group) {
      if (r === keep) continue;
      await sql`delete from incident_participants where incident_id = ${r.incident_id} and user_id = ${r.user_id} and role = ${r.role}`.execute(
        db,
      );
    }
    await sql`update incident_participants set added_at = ${joined} where incident_id = ${keep.incident_id} and user_id = ${keep.user_id} and role = ${keep.role}`.execute(
      db,
    );
  }
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_incidents')
    .addColumn('seq', 'bigint', (c) => c.notNull().references('audit_log.seq'))
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addPrimaryKeyConstraint('audit_incidents_pk', ['seq', 'incident_id'])
    .execute();
  await db.schema.createIndex('audit_incidents_incident').on('audit_incidents').column('incident_id').execute();
  await backfillAuditIncidents(db);

  await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at', 'seq']).execute();
  await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_id', 'seq']).execute();
  await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'seq']).execute();

  await mergeDuplicateParticipants(db);
  await db.schema
    .createIndex('incident_participants_person')
    .on('incident_participants')
    .columns(['incident_id', 'user_id'])
    .unique()
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('incident_participants_person').ifExists().execute();
  for (const i of ['audit_log_action', 'audit_log_actor', 'audit_log_at', 'audit_incidents_incident'])
    await db.schema.dropIndex(i).ifExists().execute();
  await db.schema.dropTable('audit_incidents').ifExists().execute();
}
