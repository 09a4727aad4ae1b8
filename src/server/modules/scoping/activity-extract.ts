/**
 * Extracts of account activity (a trading core's login log, an order log): CSV with a header row or
 * NDJSON, columns / keys `time, account, customer, ip, device, action, outcome`. Each line becomes a
 * row of the index or a rejection naming its line and why.
 */
import { parse } from 'csv-parse/sync';
import type { ActivityRow } from './activity-fields.js';
import { normalizeAction, normalizeOutcome } from './activity-fields.js';
import { ipKey } from '../../platform/ip-key.js';

export interface ExtractResult {
  rows: ActivityRow[];
  rejected: { line: number; reason: string }[];
  rejectedCount: number;
}

const MAX_REJECTIONS = 1000;
const COLUMNS = ['time', 'account', 'customer', 'ip', 'device', 'action', 'outcome'] as const;

function timeOf(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v !== 'string' || !v.trim()) return null;
  const s = v.trim();
  if (/^\d{10,16}$/.test(s)) return Number(s);
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}

const text = (v: unknown, max = 200): string | null => {
  const s = typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';
  return s ? s.slice(0, max) : null;
};

/** Parses an extract; `format` from the media type (csv unless it is JSON lines). */
export function parseExtract(body: string, format: 'csv' | 'ndjson', source: string): ExtractResult {
  const rows: ActivityRow[] = [];
  const rejected: { line: number; reason: string }[] = [];
  let rejectedCount = 0;
  const reject = (line: number, reason: string) => {
    rejectedCount++;
    if (rejected.length < MAX_REJECTIONS) rejected.push({ line, reason });
  };
  const take = (line: number, r: Record<string, unknown>) => {
    const at = timeOf(r.time);
    if (at === null) return reject(line, 'time is missing or not a date (ISO-8601 or epoch ms)');
    const account = text(r.account);
    if (!account) return reject(line, 'account is missing');
    const ip = text(r.ip, 64);
    const key = ip ? ipKey(ip) : null;
    if (ip && !key) return reject(line, `ip "${ip}" is not an IP address`);
    rows.push({
      at,
      account_no: account,
      customer_no: text(r.customer),
      ip,
      ip_key: key,
      device: text(r.device),
      action: normalizeAction(text(r.action)),
      outcome: normalizeOutcome(text(r.outcome)),
      source,
      event_ref: `line ${line}`,
    });
  };

  if (format === 'ndjson') {
    const lines = body.split(/\r?\n/);
    for (const [i, l] of lines.entries()) {
      if (!l.trim()) continue;
      let v: unknown;
      try {
        v = JSON.parse(l);
      } catch {
        v = null;
      }
      if (!v || typeof v !== 'object' || Array.isArray(v)) reject(i + 1, 'not a JSON object');
      else take(i + 1, v as Record<string, unknown>);
    }
    return { rows, rejected, rejectedCount };
  }

  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(body.replace(/^\uFEFF/, ''), {
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    reject((err as { lines?: number }).lines ?? 1, `not CSV: ${(err as Error).message}`);
    return { rows, rejected, rejectedCount };
  }
  const header = records.shift();
  const cols = (header?.record ?? []).map((h) => h.toLowerCase());
  const missing = ['time', 'account'].filter((c) => !cols.includes(c));
  if (missing.length) {
    reject(1, `the header row lacks ${missing.join(' and ')} (columns: ${COLUMNS.join(', ')})`);
    return { rows, rejected, rejectedCount };
  }
  for (const { record, info } of records) {
    const r: Record<string, unknown> = {};
    cols.forEach((c, i) => {
      r[c] = record[i];
    });
    take(info.lines, r);
  }
  return { rows, rejected, rejectedCount };
}
