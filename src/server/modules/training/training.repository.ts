/** SQL of training: records, phishing results and the required courses. */
import type {
  Db,
  TrainingPhishingTable,
  TrainingRecordsTable,
  TrainingRequiredTable,
} from '../../platform/db/types.js';

export type TrainingRecordRow = TrainingRecordsTable;
export type PhishingRow = TrainingPhishingTable;
export type RequiredRow = TrainingRequiredTable;

export async function listRecords(
  db: Db,
  f: { department?: string; courseCode?: string; q?: string },
  limit: number,
): Promise<TrainingRecordRow[]> {
  let q = db.selectFrom('training_records').selectAll();
  if (f.department) q = q.where('department', '=', f.department);
  if (f.courseCode) q = q.where('course_code', '=', f.courseCode);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb('person_name', 'like', like),
        eb('email', 'like', like),
        eb('employee_id', 'like', like),
        eb('course_name', 'like', like),
      ]),
    );
  }
  return q.orderBy('completed_on', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Every record (coverage reads them all; a firm's staff is thousands, not millions). */
export const allRecords = (db: Db) =>
  db
    .selectFrom('training_records')
    .select(['person_key', 'user_id', 'person_name', 'department', 'course_code', 'completed_on', 'expires_on'])
    .orderBy('completed_on', 'asc')
    .execute();

export const findRecord = (db: Db, id: string) =>
  db.selectFrom('training_records').selectAll().where('id', '=', id).executeTakeFirst();

export const recordOnce = (db: Db, personKey: string, courseCode: string, completedOn: string) =>
  db
    .selectFrom('training_records')
    .selectAll()
    .where('person_key', '=', personKey)
    .where('course_code', '=', courseCode)
    .where('completed_on', '=', completedOn)
    .executeTakeFirst();

export async function insertRecord(db: Db, row: TrainingRecordRow): Promise<void> {
  await db.insertInto('training_records').values(row).execute();
}

export async function updateRecord(db: Db, id: string, set: Partial<Omit<TrainingRecordRow, 'id'>>): Promise<void> {
  await db.updateTable('training_records').set(set).where('id', '=', id).execute();
}

export async function deleteRecord(db: Db, id: string): Promise<void> {
  await db.deleteFrom('training_records').where('id', '=', id).execute();
}

/** The records of one user's course (the on-call gate). */
export const userCourseRecords = (db: Db, userId: string, courseCode: string) =>
  db
    .selectFrom('training_records')
    .select(['completed_on', 'expires_on'])
    .where('user_id', '=', userId)
    .where('course_code', '=', courseCode)
    .execute();

export const phishingOnce = (db: Db, campaign: string, personKey: string) =>
  db
    .selectFrom('training_phishing')
    .select('id')
    .where('campaign', '=', campaign)
    .where('person_key', '=', personKey)
    .executeTakeFirst();

export async function insertPhishing(db: Db, row: PhishingRow): Promise<void> {
  await db.insertInto('training_phishing').values(row).execute();
}

export async function updatePhishing(db: Db, id: string, set: Partial<Omit<PhishingRow, 'id'>>): Promise<void> {
  await db.updateTable('training_phishing').set(set).where('id', '=', id).execute();
}

/** Sent, clicked and reported per campaign or per department. */
export async function phishingTotals(db: Db, by: 'campaign' | 'department') {
  return db
    .selectFrom('training_phishing')
    .select([`${by} as name`])
    .select((eb) => [
      eb.fn.sum<number>('sent').as('sent'),
      eb.fn.sum<number>(eb.case().when('sent', '=', 1).then(eb.ref('clicked')).else(0).end()).as('clicked'),
      eb.fn.sum<number>(eb.case().when('sent', '=', 1).then(eb.ref('reported')).else(0).end()).as('reported'),
    ])
    .groupBy(by)
    .orderBy(by)
    .execute();
}

export const listRequired = (db: Db) => db.selectFrom('training_required').selectAll().orderBy('position').execute();

export async function replaceRequired(db: Db, rows: RequiredRow[]): Promise<void> {
  await db.deleteFrom('training_required').execute();
  if (rows.length > 0) await db.insertInto('training_required').values(rows).execute();
}
