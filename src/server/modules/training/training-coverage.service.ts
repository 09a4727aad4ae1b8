/**
 * Required courses, coverage and the on-call gate (issue 16, docs/training.md). The required courses are a
 * list, each with its period in months (a record without an expiry expires that long after completion);
 * one of them may gate on-call: adding a person to an on-call schedule without a valid record of it is
 * refused (409, `training.oncall_course_missing`, naming the course). Off while no course gates.
 * Coverage per department reads every record: a person's department is that of their latest record.
 */
import type {
  CourseStatus,
  PhishingSummary,
  RequiredCourses,
  TrainingCoverage,
} from '../../../shared/training-schemas.js';
import type { Db } from '../../platform/db/types.js';
import { conflict, invalid } from '../../platform/errors.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import { addDays, effectiveExpiry, todayIn, validOn } from './training-days.js';
import type { TrainingDeps } from './training-records.service.js';
import { allRecords, listRequired, phishingTotals, replaceRequired, userCourseRecords } from './training.repository.js';

/** A record expiring within this many days is listed as expiring. */
export const EXPIRING_DAYS = 30;

const rate = (n: number, of: number) => (of === 0 ? null : Math.round((n / of) * 1000) / 1000);

export function createTrainingCoverage(deps: TrainingDeps) {
  const { store, audit, clock, users } = deps;
  const today = () => todayIn(clock.now(), deps.timeZone);

  const required = async (db: Db): Promise<RequiredCourses> => ({
    items: (await listRequired(db)).map((r) => ({
      courseCode: r.course_code,
      courseName: r.course_name,
      periodMonths: Number(r.period_months),
      oncall: Number(r.oncall) === 1,
    })),
  });

  return {
    async required(p: Principal): Promise<RequiredCourses> {
      assertCan(p, 'training.read');
      return required(store.db);
    },

    /** Replaces the list of required courses (at most one gates on-call). */
    async setRequired(p: Principal, body: RequiredCourses): Promise<RequiredCourses> {
      assertCan(p, 'training.manage');
      const codes = body.items.map((c) => c.courseCode);
      const dup = codes.find((c, i) => codes.indexOf(c) !== i);
      if (dup) throw invalid(`course ${dup} is listed twice`, [{ path: 'body.items', message: `${dup} twice` }]);
      if (body.items.filter((c) => c.oncall).length > 1)
        throw invalid('at most one course gates on-call', [
          { path: 'body.items', message: 'more than one oncall course' },
        ]);
      return store.transaction(async (tx) => {
        const before = await required(tx);
        await replaceRequired(
          tx,
          body.items.map((c, position) => ({
            course_code: c.courseCode,
            course_name: c.courseName,
            period_months: c.periodMonths,
            oncall: c.oncall ? 1 : 0,
            position,
          })),
        );
        const after = await required(tx);
        await audit.append(tx, actorOf(p), {
          action: 'training.required_update',
          targetType: 'training_required',
          targetId: null,
          before: before.items,
          after: after.items,
        });
        return after;
      });
    },

    async coverage(p: Principal, department?: string): Promise<TrainingCoverage> {
      assertCan(p, 'training.read');
      const courses = (await required(store.db)).items;
      const records = await allRecords(store.db);
      const day = today();
      const soon = addDays(day, EXPIRING_DAYS);
      const people = new Map<string, { name: string | null; department: string; best: Map<string, string | null> }>();
      const period = new Map(courses.map((c) => [c.courseCode, c.periodMonths]));
      for (const r of records) {
        const person = people.get(r.person_key) ?? { name: null, department: r.department, best: new Map() };
        person.department = r.department; // ordered by completion: the latest wins
        person.name = r.person_name ?? person.name;
        if (period.has(r.course_code)) {
          const exp = effectiveExpiry(r, period.get(r.course_code));
          const had = person.best.get(r.course_code);
          // null (no expiry) beats any day; a later day beats an earlier one
          if (!person.best.has(r.course_code) || (had !== null && (exp === null || exp > had!)))
            person.best.set(r.course_code, exp);
        }
        people.set(r.person_key, person);
      }
      const byDept = new Map<string, TrainingCoverage['departments'][number]>();
      const overdue: TrainingCoverage['overdue'] = [];
      for (const [key, person] of people) {
        if (department && person.department !== department) continue;
        const d = byDept.get(person.department) ?? {
          department: person.department,
          people: 0,
          courses: courses.map((c) => ({ courseCode: c.courseCode, valid: 0, rate: null })),
          covered: 0,
          rate: null,
        };
        d.people++;
        let all = true;
        courses.forEach((c, i) => {
          const has = person.best.has(c.courseCode);
          const exp = person.best.get(c.courseCode) ?? null;
          const status: CourseStatus = !has
            ? 'missing'
            : !validOn(exp, day)
              ? 'expired'
              : exp !== null && exp < soon
                ? 'expiring'
                : 'valid';
          if (status === 'valid' || status === 'expiring') d.courses[i]!.valid++;
          else all = false;
          if (status !== 'valid')
            overdue.push({
              personKey: key,
              name: person.name,
              department: person.department,
              courseCode: c.courseCode,
              courseName: c.courseName,
              status,
              expiresOn: has ? exp : null,
            });
        });
        if (all) d.covered++;
        byDept.set(person.department, d);
      }
      const departments = [...byDept.values()]
        .map((d) => ({
          ...d,
          courses: d.courses.map((c) => ({ ...c, rate: rate(c.valid, d.people) })),
          rate: courses.length ? rate(d.covered, d.people) : null,
        }))
        .sort((a, b) => a.department.localeCompare(b.department));
      const order: Record<CourseStatus, number> = { missing: 0, expired: 1, expiring: 2, valid: 3 };
      overdue.sort(
        (a, b) =>
          a.department.localeCompare(b.department) ||
          order[a.status] - order[b.status] ||
          (a.name ?? a.personKey).localeCompare(b.name ?? b.personKey),
      );
      return {
        today: day,
        courses: courses.map((c) => ({
          courseCode: c.courseCode,
          courseName: c.courseName,
          periodMonths: c.periodMonths,
        })),
        departments,
        overdue,
      };
    },

    async phishing(p: Principal): Promise<PhishingSummary> {
      assertCan(p, 'training.read');
      const totals = async (by: 'campaign' | 'department') =>
        (await phishingTotals(store.db, by)).map((r) => {
          const sent = Number(r.sent ?? 0);
          const clicked = Number(r.clicked ?? 0);
          const reported = Number(r.reported ?? 0);
          return {
            name: String(r.name),
            sent,
            clicked,
            reported,
            clickRate: rate(clicked, sent),
            reportRate: rate(reported, sent),
          };
        });
      return {
        campaigns: (await totals('campaign')).map(({ name, ...t }) => ({ campaign: name, ...t })),
        departments: (await totals('department')).map(({ name, ...t }) => ({ department: name, ...t })),
      };
    },

    /**
     * The on-call gate: refuses (409) when a course gates on-call and one of `userIds` has no valid record
     * of it today. Called by the on-call module, in its transaction, for the people a change adds.
     */
    async assertOnCallReady(db: Db, userIds: string[]): Promise<void> {
      if (userIds.length === 0) return;
      const gate = (await listRequired(db)).find((r) => Number(r.oncall) === 1);
      if (!gate) return;
      const day = today();
      for (const id of userIds) {
        const rows = await userCourseRecords(db, id, gate.course_code);
        if (rows.some((r) => validOn(effectiveExpiry(r, Number(gate.period_months)), day))) continue;
        const name = (await users.namesOf([id], db)).get(id) ?? id;
        throw conflict(
          `${name} has no valid record of the required on-call course ${gate.course_code} (${gate.course_name}): record the training before adding them to on-call`,
          {
            code: 'training.oncall_course_missing',
            params: { person: name, course: gate.course_code, courseName: gate.course_name },
          },
        );
      }
    },
  };
}
