/**
 * Training CSV files read into rows by their header (docs/training.md "CSV columns"): UTF-8 with or
 * without BOM, else GBK/GB18030 (decided by whether the bytes are valid UTF-8). Headers are matched in
 * English or Chinese, any case; lines are numbered as a spreadsheet shows them (the header is line 1).
 */
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { invalid, tooLarge } from '../../platform/errors.js';

export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030';
export const TRAINING_CSV_LIMITS = { maxBytes: 10 * 1024 * 1024, maxRows: 20_000 };

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export function decodeCsv(bytes: Buffer): { text: string; encoding: CsvEncoding } {
  if (bytes.subarray(0, 3).equals(BOM)) return { text: bytes.subarray(3).toString('utf8'), encoding: 'utf-8-bom' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(bytes, 'gb18030'), encoding: 'gb18030' };
  }
}

/** Column -> the header names it is known by (lower case). */
export const RECORD_COLUMNS = {
  email: ['email', 'e-mail', '邮箱', '电子邮箱'],
  employeeId: ['employee_id', 'employee id', '工号', '员工编号'],
  name: ['name', '姓名'],
  department: ['department', '部门'],
  courseCode: ['course_code', 'course code', '课程编号', '课程代码'],
  courseName: ['course_name', 'course name', 'course', '课程名称', '课程'],
  completedOn: ['completed_on', 'completed', 'completed on', '完成日期'],
  score: ['score', '成绩', '分数'],
  expiresOn: ['expires_on', 'expires', 'expiry', 'expires on', '到期日期', '有效期至'],
} as const;

export const PHISHING_COLUMNS = {
  campaign: ['campaign', '活动', '演练活动'],
  email: RECORD_COLUMNS.email,
  employeeId: RECORD_COLUMNS.employeeId,
  name: RECORD_COLUMNS.name,
  department: RECORD_COLUMNS.department,
  sent: ['sent', '已发送', '发送'],
  clicked: ['clicked', '已点击', '点击'],
  reported: ['reported', '已举报', '举报'],
} as const;

export interface CsvRow<K extends string> {
  line: number;
  get(column: K): string;
}

/** The rows of a CSV file, each read by column name; `required` columns must be in the header. */
export function readCsv<K extends string>(
  bytes: Buffer,
  columns: Record<K, readonly string[]>,
  required: NoInfer<K>[],
): { encoding: CsvEncoding; rows: CsvRow<K>[] } {
  if (bytes.length > TRAINING_CSV_LIMITS.maxBytes)
    throw tooLarge(`the file has ${bytes.length} bytes; at most ${TRAINING_CSV_LIMITS.maxBytes} are read`);
  const { text, encoding } = decodeCsv(bytes);
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: false, bom: true }) as string[][];
  } catch (err) {
    throw invalid(`the CSV file cannot be read: ${(err as Error).message.slice(0, 200)}`, [
      { path: 'body', message: 'not a CSV file', code: 'invalid_format', params: { format: 'csv' } },
    ]);
  }
  const [head, ...rest] = records;
  if (!head) throw invalid('the file has no header row', [{ path: 'body', message: 'no header row' }]);
  const names = head.map((h) => h.trim().toLowerCase());
  const index = {} as Record<K, number>;
  for (const k of Object.keys(columns) as K[]) index[k] = names.findIndex((n) => columns[k].includes(n));
  const missing = required.filter((k) => index[k] < 0);
  if (missing.length > 0)
    throw invalid(`the header lacks the columns ${missing.join(', ')} (see docs/training.md)`, [
      { path: 'body', message: `missing columns: ${missing.join(', ')}` },
    ]);
  const rows = rest
    .map((cells, i) => ({ line: i + 2, cells }))
    .filter((r) => r.cells.some((c) => c.trim() !== ''))
    .map((r) => ({ line: r.line, get: (k: K) => (index[k] >= 0 ? (r.cells[index[k]] ?? '').trim() : '') }));
  if (rows.length > TRAINING_CSV_LIMITS.maxRows)
    throw tooLarge(
      `the file has ${rows.length} rows; at most ${TRAINING_CSV_LIMITS.maxRows} are imported at once: split it`,
    );
  return { encoding, rows };
}

/** A day as YYYY-MM-DD from 2026-12-05, 2026/12/5 or 2026.12.05; null if it is not a real day. */
export function parseDay(text: string): string | null {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text.trim());
  if (!m) return null;
  const day = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const d = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day ? null : day;
}

const YES = new Set(['1', 'y', 'yes', 'true', '是', 'x']);
const NO = new Set(['', '0', 'n', 'no', 'false', '否']);
/** A yes/no cell; null when it is neither. */
export function parseFlag(text: string): boolean | null {
  const v = text.trim().toLowerCase();
  if (YES.has(v)) return true;
  if (NO.has(v)) return false;
  return null;
}
