/**
 * An uploaded customer file read into rows: CSV (UTF-8 with or without BOM, else GB18030 — decided by
 * whether the bytes are valid UTF-8) or XLSX (exceljs, first worksheet). Lines are numbered as a
 * spreadsheet shows them (the header is line 1); empty rows are skipped but keep their numbers.
 */
import { excelJs } from '../../platform/heavy-libs.js';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { invalid, tooLarge } from '../../platform/errors.js';

export type FileEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030' | 'xlsx';

export interface FileRow {
  line: number;
  cells: string[];
}

export interface ParsedFile {
  encoding: FileEncoding;
  header: string[];
  rows: FileRow[];
}

export const IMPORT_LIMITS = { maxBytes: 50 * 1024 * 1024, maxRows: 100_000, maxColumns: 200 };

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The text of CSV bytes and the encoding it was read in. */
export function decodeCsv(bytes: Buffer): { text: string; encoding: FileEncoding } {
  if (bytes.subarray(0, 3).equals(BOM)) return { text: bytes.subarray(3).toString('utf8'), encoding: 'utf-8-bom' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(bytes, 'gb18030'), encoding: 'gb18030' };
  }
}

const notAFile = (detail: string) =>
  invalid(detail, [{ path: 'body', message: detail, code: 'invalid_format', params: { format: 'csv|xlsx' } }]);

function finish(encoding: FileEncoding, records: FileRow[]): ParsedFile {
  const nonEmpty = records.filter((r) => r.cells.some((c) => c.trim() !== ''));
  const [head, ...rows] = nonEmpty;
  if (!head) throw notAFile('the file has no header row');
  if (head.cells.length > IMPORT_LIMITS.maxColumns)
    throw notAFile(`the file has ${head.cells.length} columns; at most ${IMPORT_LIMITS.maxColumns} are read`);
  if (rows.length > IMPORT_LIMITS.maxRows)
    throw tooLarge(`the file has ${rows.length} rows; at most ${IMPORT_LIMITS.maxRows} are imported at once: split it`);
  return { encoding, header: head.cells.map((c) => c.trim()), rows };
}

function readCsv(bytes: Buffer): ParsedFile {
  const { text, encoding } = decodeCsv(bytes);
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: false, bom: true }) as string[][];
  } catch (err) {
    throw notAFile(`the CSV file cannot be read: ${(err as Error).message.slice(0, 200)}`);
  }
  return finish(
    encoding,
    records.map((cells, i) => ({ line: i + 1, cells })),
  );
}

async function readXlsx(bytes: Buffer): Promise<ParsedFile> {
  const wb = new (await excelJs()).Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw notAFile('the file is not an XLSX workbook (it does not open as one)');
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw notAFile('the XLSX workbook has no worksheet');
  const records: FileRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cell.text ?? '';
    });
    records.push({ line, cells: Array.from(cells, (c) => c ?? '') });
  });
  return finish('xlsx', records);
}

/** Reads an upload by its content (an XLSX is a ZIP); a file named .xlsx that is not one is refused (422). */
export async function readCustomerFile(fileName: string, bytes: Buffer): Promise<ParsedFile> {
  if (bytes.length === 0) throw notAFile('the file is empty');
  if (bytes.length > IMPORT_LIMITS.maxBytes)
    throw tooLarge(`the file is larger than ${IMPORT_LIMITS.maxBytes / 1024 / 1024} MB`);
  const zip = bytes.subarray(0, 4).equals(ZIP_MAGIC);
  if (zip) return readXlsx(bytes);
  if (/\.xlsx?$/i.test(fileName)) throw notAFile('the file is named as an Excel workbook but is not an XLSX file');
  return readCsv(bytes);
}
