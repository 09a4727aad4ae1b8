/**
 * The files of a payout batch (docs/compensation-claims.md, "Payout batches"): the bank's batch file and
 * the batch's ledger as CSV (CRLF lines, a header row) in UTF-8 or GBK, and the bank's return file read
 * back (UTF-8 or GBK, declared or detected; a header row naming the columns, in English or Chinese).
 * Pure: no I/O.
 */
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import type { PayoutEncoding } from '../../../shared/compensation-payout-schemas.js';

export const BANK_FILE_COLUMNS = [
  'seq',
  'claim_ref',
  'customer_no',
  'payee_name',
  'bank_account',
  'amount_yuan',
  'currency',
  'memo',
] as const;

export const LEDGER_COLUMNS = [
  'seq',
  'claim_ref',
  'customer_no',
  'amount_minor',
  'amount_yuan',
  'currency',
  'state',
  'bank_reference',
  'paid_at',
  'failure_reason',
] as const;

/** Whether `text` survives a round trip through GBK (a character outside it would be written as "?"). */
export const gbkCanWrite = (text: string): boolean => iconv.decode(iconv.encode(text, 'gbk'), 'gbk') === text;

export const encodeText = (text: string, encoding: PayoutEncoding): Buffer =>
  encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The text of an uploaded file: in the declared encoding, else UTF-8 when the bytes are valid UTF-8, else GBK. */
export function decodeText(bytes: Buffer, declared?: PayoutEncoding): { text: string; encoding: PayoutEncoding } {
  if (declared === 'gbk') return { text: iconv.decode(bytes, 'gb18030'), encoding: 'gbk' };
  const body = bytes.subarray(0, 3).equals(BOM) ? bytes.subarray(3) : bytes;
  if (declared === 'utf-8') return { text: body.toString('utf8'), encoding: 'utf-8' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(bytes, 'gb18030'), encoding: 'gbk' };
  }
}

/** One usable-looking line of a return file, before it is matched to the batch. */
export interface ReturnLine {
  line: number;
  seq: string;
  claimRef: string;
  result: string;
  reference: string;
  reason: string;
}

/** Header names a bank's return file may use for each column (lower case). */
const HEADER_ALIASES: Record<keyof Omit<ReturnLine, 'line'>, string[]> = {
  seq: ['seq', 'sequence', 'no', '序号', '流水序号'],
  claimRef: ['claim_ref', 'claim ref', 'ref', 'reference_no', '赔偿编号', '业务编号'],
  result: ['result', 'status', '结果', '处理结果', '状态'],
  reference: ['bank_reference', 'bank reference', 'bank_ref', '银行流水号', '银行参考号', '交易流水号'],
  reason: ['reason', 'failure_reason', 'message', '原因', '失败原因', '备注'],
};

export type ReturnFile =
  | { ok: true; lines: ReturnLine[]; problems: { line: number; reason: string }[] }
  | { ok: false; reason: string };

/** The lines of a return file; `ok: false` when it has no header row naming a result and a seq or claim ref. */
export function readReturnFile(text: string): ReturnFile {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: false, bom: true, info: true }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
  } catch (err) {
    return { ok: false, reason: `the CSV cannot be read: ${(err as Error).message.slice(0, 200)}` };
  }
  const rows = records.filter((r) => r.record.some((c) => c.trim() !== ''));
  const head = rows[0];
  if (!head) return { ok: false, reason: 'the file is empty' };
  const names = head.record.map((c) => c.trim().toLowerCase());
  const col = Object.fromEntries(
    Object.entries(HEADER_ALIASES).map(([k, aliases]) => [k, names.findIndex((n) => aliases.includes(n))]),
  ) as Record<keyof typeof HEADER_ALIASES, number>;
  if (col.result < 0 || (col.seq < 0 && col.claimRef < 0))
    return {
      ok: false,
      reason: 'the first line must name the columns: result, and seq or claim_ref (bank_reference, reason optional)',
    };
  const at = (r: string[], i: number) => (i < 0 ? '' : (r[i] ?? '').trim());
  const lines: ReturnLine[] = [];
  const problems: { line: number; reason: string }[] = [];
  for (const r of rows.slice(1)) {
    const line = r.info.lines;
    if (r.record.length > names.length && r.record.slice(names.length).some((c) => c.trim() !== '')) {
      problems.push({ line, reason: `more cells than the header's ${names.length} columns` });
      continue;
    }
    lines.push({
      line,
      seq: at(r.record, col.seq),
      claimRef: at(r.record, col.claimRef),
      result: at(r.record, col.result),
      reference: at(r.record, col.reference),
      reason: at(r.record, col.reason),
    });
  }
  return { ok: true, lines, problems };
}

const SUCCESS = new Set(['success', 'succeeded', 'paid', 'ok', '成功', '已支付', '支付成功']);
const FAILED = new Set(['failed', 'failure', 'fail', 'rejected', '失败', '支付失败', '退回']);

/** success | failed | null (not a result this reader knows). */
export function resultOf(v: string): 'success' | 'failed' | null {
  const s = v.trim().toLowerCase();
  return SUCCESS.has(s) ? 'success' : FAILED.has(s) ? 'failed' : null;
}
