/** What an alert's events table shows of one event's fields: account, IP, host, and a message or the other fields in brief. */
import { ACCOUNT_FIELDS, fieldValue, HOST_FIELDS, IP_FIELDS, MESSAGE_FIELDS } from '../../../shared/event-fields.js';

export interface EventColumns {
  account: string;
  ip: string;
  host: string;
  /** The event's message, else its remaining plain fields as `name=value`. */
  details: string;
}

const TIME_FIELDS = new Set(['time', 'timestamp', '@timestamp', 'ts', 'TimeCreated', 'UtcTime', 'EventTime', 'date']);
const MAX_DETAILS = 160;

function scalar(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

/** The first field of `names` with a plain value, and which field it was. */
function first(fields: Record<string, unknown>, names: readonly string[]): { name: string; value: string } | null {
  for (const name of names) {
    const value = scalar(fieldValue(fields, name));
    if (value) return { name, value };
  }
  return null;
}

const clip = (s: string) => (s.length > MAX_DETAILS ? `${s.slice(0, MAX_DETAILS - 1)}…` : s);

export function eventColumns(fields: unknown): EventColumns {
  if (typeof fields === 'string') return { account: '', ip: '', host: '', details: clip(fields.replace(/\s+/g, ' ')) };
  if (!fields || typeof fields !== 'object' || Array.isArray(fields))
    return { account: '', ip: '', host: '', details: '' };
  const f = fields as Record<string, unknown>;
  const account = first(f, ACCOUNT_FIELDS);
  const ip = first(f, IP_FIELDS);
  const host = first(f, HOST_FIELDS);
  const message = first(f, MESSAGE_FIELDS);
  let details = message?.value.replace(/\s+/g, ' ') ?? '';
  if (!details) {
    const shown = new Set([account?.name, ip?.name, host?.name]);
    details = Object.entries(f)
      .filter(([k]) => !shown.has(k) && !TIME_FIELDS.has(k))
      .flatMap(([k, v]) => {
        const s = scalar(v);
        return s ? [`${k}=${s}`] : [];
      })
      .slice(0, 6)
      .join(' ');
  }
  return { account: account?.value ?? '', ip: ip?.value ?? '', host: host?.value ?? '', details: clip(details) };
}
