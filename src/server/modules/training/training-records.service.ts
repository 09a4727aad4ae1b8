/**
 * Training records (issue 16, docs/training.md): entered one by one or imported from CSV (per-row errors
 * reported, good rows kept; a record is one per person, course and completion day, so importing the same
 * file again updates instead of duplicating); phishing-simulation results imported likewise (one per
 * campaign and person). A person is a Tocsin user (by id, or by an e-mail that is an account's), else
 * their e-mail or employee id. Every change is audited; an import once, with its counts (no names).
 */
import type {
  ImportKind,
  RowProblem,
  TrainingImportResult,
  TrainingRecord,
  TrainingRecordInput,
} from '../../../shared/training-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { invalid, notFound } from '../../platform/errors.js';
import { type Clock, iso, newId } from '../../platform/ids.js';
import type { Actor, AuditService } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { UserService } from '../user/index.js';
import { PHISHING_COLUMNS, parseDay, parseFlag, RECORD_COLUMNS, readCsv } from './training-csv.js';
import { effectiveExpiry, todayIn, validOn } from './training-days.js';
import {
  deleteRecord,
  findRecord,
  insertPhishing,
  insertRecord,
  listRecords,
  listRequired,
  phishingOnce,
  recordOnce,
  type TrainingRecordRow,
  updatePhishing,
  updateRecord,
} from './training.repository.js';

export interface TrainingDeps {
  store: Store;
  audit: AuditService;
  clock: Clock;
  users: UserService;
  /** The firm's time zone: the day records expire on. */
  timeZone: string;
}

interface Person {
  key: string;
  user_id: string | null;
  email: string | null;
  employee_id: string | null;
  person_name: string | null;
}

const COURSE_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A CSV row's problems: the messages (joined into the row's error) and their codes (worded by the console in zh/en). */
function rowProblems() {
  const problems: string[] = [];
  const codes: RowProblem[] = [];
  const add = (code: RowProblem['code'], params: RowProblem['params'], message: string) => {
    problems.push(message);
    codes.push({ code, params });
  };
  return { problems, codes, add };
}

export function createTrainingRecords(deps: TrainingDeps) {
  const { store, audit, clock, users } = deps;

  /** The person named by user id, e-mail or employee id; a string says why not. */
  async function personOf(
    db: Db,
    who: { userId?: string; email?: string; employeeId?: string; name?: string },
  ): Promise<Person | string> {
    const email = who.email ? who.email.trim().toLowerCase() : null;
    const employeeId = who.employeeId?.trim() || null;
    const user = who.userId
      ? await users.activeById(who.userId, db)
      : email
        ? await users.activeByEmail(email, db)
        : null;
    if (who.userId && !user) return `no active user ${who.userId}`;
    if (user)
      return {
        key: `user:${user.id}`,
        user_id: user.id,
        email: user.email,
        employee_id: employeeId,
        person_name: who.name || user.name,
      };
    if (email)
      return { key: `email:${email}`, user_id: null, email, employee_id: employeeId, person_name: who.name || null };
    if (employeeId)
      return {
        key: `emp:${employeeId}`,
        user_id: null,
        email: null,
        employee_id: employeeId,
        person_name: who.name || null,
      };
    return 'name the person: an e-mail or an employee id';
  }

  async function views(db: Db, rows: TrainingRecordRow[]): Promise<TrainingRecord[]> {
    const periods = new Map((await listRequired(db)).map((r) => [r.course_code, Number(r.period_months)]));
    const today = todayIn(clock.now(), deps.timeZone);
    return rows.map((r) => {
      const expiresOn = effectiveExpiry(r, periods.get(r.course_code));
      return {
        id: r.id,
        person: {
          key: r.person_key,
          userId: r.user_id,
          email: r.email,
          employeeId: r.employee_id,
          name: r.person_name,
        },
        department: r.department,
        courseCode: r.course_code,
        courseName: r.course_name,
        completedOn: r.completed_on,
        score: r.score === null ? null : Number(r.score),
        expiresOn,
        expired: !validOn(expiresOn, today),
        source: r.source as TrainingRecord['source'],
        createdAt: iso(Number(r.created_at)),
      };
    });
  }

  /** Inserts the record, or updates the one of the same person, course and day; whether it was new. */
  async function upsert(
    tx: Db,
    person: Person,
    r: Omit<TrainingRecordRow, keyof Person | 'person_key' | 'id' | 'created_at' | 'updated_at'>,
  ) {
    const now = clock.now();
    const found = await recordOnce(tx, person.key, r.course_code, r.completed_on);
    const fields = {
      user_id: person.user_id,
      email: person.email,
      employee_id: person.employee_id,
      person_name: person.person_name,
      ...r,
    };
    if (found) {
      await updateRecord(tx, found.id, { ...fields, updated_at: now });
      return { id: found.id, added: false };
    }
    const id = newId();
    await insertRecord(tx, { id, person_key: person.key, ...fields, created_at: now, updated_at: now });
    return { id, added: true };
  }

  async function importRecords(tx: Db, bytes: Buffer) {
    const { encoding, rows } = readCsv(bytes, RECORD_COLUMNS, [
      'department',
      'courseCode',
      'courseName',
      'completedOn',
    ]);
    const errors: TrainingImportResult['errors'] = [];
    let added = 0;
    let updated = 0;
    for (const row of rows) {
      const { problems, codes, add } = rowProblems();
      const email = row.get('email');
      if (email && !EMAIL.test(email))
        add('bad_email', { value: email.slice(0, 100) }, `email "${email.slice(0, 100)}" is not an e-mail address`);
      const person = problems.length
        ? null
        : await personOf(tx, { email, employeeId: row.get('employeeId'), name: row.get('name') });
      if (typeof person === 'string')
        add(person.startsWith('no active user') ? 'unknown_user' : 'no_person', {}, person);
      const department = row.get('department');
      if (!department) add('no_department', {}, 'department is empty');
      const code = row.get('courseCode');
      if (!COURSE_CODE.test(code))
        add('bad_course_code', { value: code.slice(0, 40) }, `course_code "${code.slice(0, 40)}" is not a course code`);
      const courseName = row.get('courseName');
      if (!courseName) add('no_course_name', {}, 'course_name is empty');
      const completed = parseDay(row.get('completedOn'));
      if (!completed)
        add(
          'bad_date',
          { column: 'completed_on', value: row.get('completedOn').slice(0, 40) },
          `completed_on "${row.get('completedOn').slice(0, 40)}" is not a date (YYYY-MM-DD)`,
        );
      const expiresText = row.get('expiresOn');
      const expires = expiresText ? parseDay(expiresText) : null;
      if (expiresText && !expires)
        add(
          'bad_date',
          { column: 'expires_on', value: expiresText.slice(0, 40) },
          `expires_on "${expiresText.slice(0, 40)}" is not a date (YYYY-MM-DD)`,
        );
      const scoreText = row.get('score');
      const score = scoreText === '' ? null : Number(scoreText);
      if (score !== null && !(Number.isFinite(score) && score >= 0 && score <= 1000))
        add(
          'bad_score',
          { value: scoreText.slice(0, 40) },
          `score "${scoreText.slice(0, 40)}" is not a number from 0 to 1000`,
        );
      if (problems.length > 0 || !person || typeof person === 'string') {
        errors.push({ line: row.line, message: problems.join('; '), problems: codes });
        continue;
      }
      const done = await upsert(tx, person, {
        department: department.slice(0, 100),
        course_code: code,
        course_name: courseName.slice(0, 200),
        completed_on: completed!,
        score,
        expires_on: expires,
        source: 'import',
      });
      if (done.added) added++;
      else updated++;
    }
    return { encoding, rows: rows.length, added, updated, errors };
  }

  async function importPhishing(tx: Db, bytes: Buffer) {
    const { encoding, rows } = readCsv(bytes, PHISHING_COLUMNS, [
      'campaign',
      'department',
      'sent',
      'clicked',
      'reported',
    ]);
    const errors: TrainingImportResult['errors'] = [];
    let added = 0;
    let updated = 0;
    for (const row of rows) {
      const { problems, codes, add } = rowProblems();
      const campaign = row.get('campaign');
      if (!campaign) add('no_campaign', {}, 'campaign is empty');
      const email = row.get('email');
      if (email && !EMAIL.test(email))
        add('bad_email', { value: email.slice(0, 100) }, `email "${email.slice(0, 100)}" is not an e-mail address`);
      const person = problems.length
        ? null
        : await personOf(tx, { email, employeeId: row.get('employeeId'), name: row.get('name') });
      if (typeof person === 'string')
        add(person.startsWith('no active user') ? 'unknown_user' : 'no_person', {}, person);
      const department = row.get('department');
      if (!department) add('no_department', {}, 'department is empty');
      const flags = (['sent', 'clicked', 'reported'] as const).map((k) => {
        const v = parseFlag(row.get(k));
        if (v === null)
          add(
            'bad_flag',
            { column: k, value: row.get(k).slice(0, 20) },
            `${k} "${row.get(k).slice(0, 20)}" is not yes/no (1/0)`,
          );
        return v ? 1 : 0;
      });
      if (problems.length > 0 || !person || typeof person === 'string') {
        errors.push({ line: row.line, message: problems.join('; '), problems: codes });
        continue;
      }
      const [sent, clicked, reported] = flags as [number, number, number];
      const fields = {
        person_name: person.person_name,
        department: department.slice(0, 100),
        sent,
        clicked,
        reported,
        imported_at: clock.now(),
      };
      const found = await phishingOnce(tx, campaign.slice(0, 200), person.key);
      if (found) {
        await updatePhishing(tx, found.id, fields);
        updated++;
      } else {
        await insertPhishing(tx, { id: newId(), campaign: campaign.slice(0, 200), person_key: person.key, ...fields });
        added++;
      }
    }
    return { encoding, rows: rows.length, added, updated, errors };
  }

  return {
    async list(p: Principal, f: { department?: string; courseCode?: string; q?: string; limit: number }) {
      assertCan(p, 'training.read');
      return { items: await views(store.db, await listRecords(store.db, f, f.limit)) };
    },

    async create(p: Principal, input: TrainingRecordInput): Promise<TrainingRecord> {
      assertCan(p, 'training.manage');
      return store.transaction(async (tx) => {
        const person = await personOf(tx, input);
        if (typeof person === 'string')
          throw invalid(person, [
            { path: 'body.userId', message: person, ...(input.userId ? { code: 'unknown_user' as const } : {}) },
          ]);
        const { id } = await upsert(tx, person, {
          department: input.department,
          course_code: input.courseCode,
          course_name: input.courseName,
          completed_on: input.completedOn,
          score: input.score,
          expires_on: input.expiresOn,
          source: 'api',
        });
        const [view] = await views(tx, [(await findRecord(tx, id))!]);
        await audit.append(tx, actorOf(p), {
          action: 'training.record_create',
          targetType: 'training_record',
          targetId: id,
          after: { person: person.key, course: input.courseCode, completedOn: input.completedOn, score: input.score },
        });
        return view!;
      });
    },

    async remove(p: Principal, id: string): Promise<void> {
      assertCan(p, 'training.manage');
      await store.transaction(async (tx) => {
        const row = await findRecord(tx, id);
        if (!row) throw notFound(`training record ${id}`);
        await deleteRecord(tx, id);
        await audit.append(tx, actorOf(p), {
          action: 'training.record_delete',
          targetType: 'training_record',
          targetId: id,
          before: { person: row.person_key, course: row.course_code, completedOn: row.completed_on },
        });
      });
    },

    /** A CSV file of records or phishing results: good rows kept, bad rows reported by line. */
    import(p: Principal, kind: ImportKind, bytes: Buffer): Promise<TrainingImportResult> {
      assertCan(p, 'training.manage');
      return importFile(actorOf(p), kind, bytes);
    },
    /** As `import`, by an actor that is no signed-in person (the CLI on the store: the operating-system account). */
    importAs: (actor: Actor, kind: ImportKind, bytes: Buffer) => importFile(actor, kind, bytes),
  };

  async function importFile(actor: Actor, kind: ImportKind, bytes: Buffer): Promise<TrainingImportResult> {
    return store.transaction(async (tx) => {
      const result = kind === 'records' ? await importRecords(tx, bytes) : await importPhishing(tx, bytes);
      await audit.append(tx, actor, {
        action: 'training.import',
        targetType: 'training_import',
        targetId: null,
        after: {
          kind,
          bytes: bytes.length,
          rows: result.rows,
          added: result.added,
          updated: result.updated,
          errors: result.errors.length,
        },
      });
      return { kind, ...result };
    });
  }
}
