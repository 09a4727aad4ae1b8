/**
 * Training records (issue 16, docs/training.md): courses people completed (by Tocsin user, or by e-mail or
 * employee id for staff without an account) with their department, score and expiry; imports from CSV;
 * phishing-simulation results; the required courses (a period in months each, one may gate on-call);
 * coverage and the overdue list per department.
 */
import { z } from 'zod';
import { isoTime } from './api-schemas.js';
import { label } from './text.js';

const Day = z.iso.date();
const CourseCode = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash, underscore');

export const TrainingRecordInput = z
  .strictObject({
    userId: z.string().min(1).max(64).optional(),
    email: z.email().max(200).optional(),
    employeeId: z.string().trim().min(1).max(64).optional(),
    name: label(100).optional(),
    department: label(100),
    courseCode: CourseCode,
    courseName: label(200),
    completedOn: Day,
    score: z.number().min(0).max(1000).nullable().default(null),
    expiresOn: Day.nullable().default(null),
  })
  .refine((r) => r.userId || r.email || r.employeeId, {
    message: 'name the person: userId, email or employeeId',
    path: ['userId'],
  });
export type TrainingRecordInput = z.infer<typeof TrainingRecordInput>;

export const TrainingRecord = z.object({
  id: z.string(),
  person: z.object({
    key: z.string(),
    userId: z.string().nullable(),
    email: z.string().nullable(),
    employeeId: z.string().nullable(),
    name: z.string().nullable(),
  }),
  department: z.string(),
  courseCode: z.string(),
  courseName: z.string(),
  completedOn: z.string(),
  score: z.number().nullable(),
  /** As recorded, else completed + the required course's period, else null (does not expire). */
  expiresOn: z.string().nullable(),
  expired: z.boolean(),
  source: z.enum(['api', 'import']),
  createdAt: isoTime,
});
export type TrainingRecord = z.infer<typeof TrainingRecord>;

export const TrainingRecordQuery = z.strictObject({
  department: z.string().max(100).optional(),
  courseCode: z.string().max(40).optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

export const ROW_PROBLEMS = [
  'bad_email',
  'unknown_user',
  'no_person',
  'no_department',
  'bad_course_code',
  'no_course_name',
  'bad_date',
  'bad_score',
  'no_campaign',
  'bad_flag',
] as const;
function RowProblemSchema() {
  return z.object({ code: z.enum(ROW_PROBLEMS), params: z.record(z.string(), z.string()) });
}
export type RowProblem = z.infer<ReturnType<typeof RowProblemSchema>>;

export const ImportKind = z.enum(['records', 'phishing']);
export type ImportKind = z.infer<typeof ImportKind>;
export const TrainingImportQuery = z.strictObject({ kind: ImportKind.default('records') });

export const TrainingImportResult = z.object({
  kind: ImportKind,
  encoding: z.enum(['utf-8', 'utf-8-bom', 'gb18030']),
  rows: z.number(),
  added: z.number(),
  updated: z.number(),
  /** Rows refused: the line, the reasons in English, and each reason's code and values for the console to word. */
  errors: z.array(
    z.object({
      line: z.number(),
      message: z.string(),
      problems: z.array(RowProblemSchema()),
    }),
  ),
});
export type TrainingImportResult = z.infer<typeof TrainingImportResult>;

export const RequiredCourse = z.strictObject({
  courseCode: CourseCode,
  courseName: label(200),
  periodMonths: z.number().int().min(1).max(120),
  /** This course gates on-call scheduling (at most one course). */
  oncall: z.boolean().default(false),
});
export type RequiredCourse = z.infer<typeof RequiredCourse>;
export const RequiredCourses = z.strictObject({ items: z.array(RequiredCourse).max(100) });
export type RequiredCourses = z.infer<typeof RequiredCourses>;

const Rate = z.number().nullable();
const PhishingTotals = z.object({
  sent: z.number(),
  clicked: z.number(),
  reported: z.number(),
  clickRate: Rate,
  reportRate: Rate,
});
export const PhishingSummary = z.object({
  campaigns: z.array(PhishingTotals.extend({ campaign: z.string() })),
  departments: z.array(PhishingTotals.extend({ department: z.string() })),
});
export type PhishingSummary = z.infer<typeof PhishingSummary>;

export const CourseStatus = z.enum(['valid', 'expiring', 'expired', 'missing']);
export type CourseStatus = z.infer<typeof CourseStatus>;

export const TrainingCoverage = z.object({
  today: z.string(),
  courses: z.array(z.object({ courseCode: z.string(), courseName: z.string(), periodMonths: z.number() })),
  departments: z.array(
    z.object({
      department: z.string(),
      people: z.number(),
      /** Per required course: people with a valid record (expiring ones count as valid). */
      courses: z.array(z.object({ courseCode: z.string(), valid: z.number(), rate: Rate })),
      /** People who have every required course valid. */
      covered: z.number(),
      rate: Rate,
    }),
  ),
  /** Who lacks a required course or has it expired, or expiring within 30 days. */
  overdue: z.array(
    z.object({
      personKey: z.string(),
      name: z.string().nullable(),
      department: z.string(),
      courseCode: z.string(),
      courseName: z.string(),
      status: CourseStatus,
      expiresOn: z.string().nullable(),
    }),
  ),
});
export type TrainingCoverage = z.infer<typeof TrainingCoverage>;
