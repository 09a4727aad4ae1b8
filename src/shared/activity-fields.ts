/**
 * From an ingested event to a row of the account-activity index: the account (ACCOUNT_FIELDS), the
 * address (IP_FIELDS), the device, and the action and outcome normalised from the common fields
 * (`event.action`/`event.outcome` of ECS, `action`, `result`, `status`, Windows EventID 4624/4625 ...).
 * Events that name no account give no row. Pure and isomorphic: it runs where the events are parsed —
 * ingest's process in the embedded mode, the detection engine thread of stage one at scale — and the
 * scoping module's indexer adds the address key (`ip_key`) and the customer numbers it knows.
 */
import { ACCOUNT_FIELDS, IP_FIELDS, fieldPicker } from './event-fields.js';
import type { ActivityAction } from './scoping-schemas.js';

/** An event's row of the account-activity index, but its address key (`ip_key`, added by the indexer). */
export interface EventActivity {
  at: number;
  account_no: string;
  customer_no: string | null;
  ip: string | null;
  device: string | null;
  action: string;
  outcome: string | null;
  source: string;
  event_ref: string | null;
}

/** The columns of an index row, in the order the index's bulk insert takes them. */
export const ACTIVITY_COLUMNS = [
  'at',
  'account_no',
  'customer_no',
  'ip',
  'ip_key',
  'device',
  'action',
  'outcome',
  'source',
  'event_ref',
] as const;
export type ActivityColumn = (typeof ACTIVITY_COLUMNS)[number];

/**
 * Rows of the index as one PostgreSQL array literal per column (`{"a",NULL}`), built where the events
 * were parsed (stage one's engine thread at scale): handed to the thread that writes them as ten strings,
 * not as an object per row, and sent to PostgreSQL as they are.
 */
export interface ActivityArrays {
  rows: number;
  columns: Record<ActivityColumn, string>;
}

// `event` last: a plain word there (`"event": "login"`, as the trading front end of the demo scenario
// writes) names the action; an ECS `event` object is not a string and is read through `event.action`.
export const ACTION_FIELDS = [
  'event.action',
  'action',
  'Action',
  'activity',
  'event_type',
  'eventType',
  'operation',
  'type',
  'event',
];
const OUTCOME_FIELDS = ['event.outcome', 'outcome', 'result', 'Result', 'status', 'Status', 'success'];
export const DEVICE_FIELDS = [
  'device',
  'device_id',
  'deviceId',
  'device.id',
  'user_agent.original',
  'user_agent',
  'UserAgent',
];
const CUSTOMER_FIELDS = ['customer_no', 'customerNo', 'customer', 'client_no'];
const EVENT_ID_FIELDS = ['EventID', 'event.code', 'event_id'];

/**
 * Text the index can hold everywhere: without NUL characters, which PostgreSQL's text refuses (a row
 * carrying one would fail its whole batch, and stage one would hand that batch back again and again).
 */
const storable = (s: string) => (s.includes('\u0000') ? s.replaceAll('\u0000', '') : s);

/** A field's text as the index keeps it: a string trimmed, a number or boolean written out; 200 characters at most. */
function text(v: unknown): string | null {
  const s =
    typeof v === 'string' ? storable(v).trim() : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
  return s ? s.slice(0, 200) : null;
}

/** Each list's first field with text: account, address, Windows event id, action, outcome, customer, device. */
const pick = fieldPicker(
  [ACCOUNT_FIELDS, IP_FIELDS, EVENT_ID_FIELDS, ACTION_FIELDS, OUTCOME_FIELDS, CUSTOMER_FIELDS, DEVICE_FIELDS],
  text,
);

/** login | order | transfer | other, from the words a source uses. */
export function normalizeAction(raw: string | null): ActivityAction {
  const s = (raw ?? '').toLowerCase();
  if (/log(i|o)n|sign-?in|auth|登录/.test(s)) return 'login';
  if (/order|trade|entrust|委托|下单|成交/.test(s)) return 'order';
  if (/transfer|withdraw|deposit|bank|转账|转出|银证/.test(s)) return 'transfer';
  return 'other';
}

/** success | failure | rejected, or the source's own word (lower case, 32 characters at most); null: not said. */
export function normalizeOutcome(raw: string | null): string | null {
  if (raw === null) return null;
  const s = raw.trim().toLowerCase();
  if (!s) return null;
  if (/^(success|succeeded|successful|ok|true|passed|allowed?|200|成功)$/.test(s)) return 'success';
  if (/^(fail|failed|failure|error|denied|invalid|false|bad_password|wrong_password|401|403|失败)$/.test(s))
    return 'failure';
  if (/^(reject|rejected|blocked|refused|declined|拒绝)$/.test(s)) return 'rejected';
  return s.slice(0, 32);
}

/** The row an ingested event gives (customer_no from the event only; the indexer resolves the rest). */
export function eventActivity(e: {
  id: string;
  time: number;
  source: string;
  fields: Record<string, unknown>;
}): EventActivity | null {
  const [account, ip, eventId, rawAction, rawOutcome, customer, device] = pick(e.fields);
  if (!account) return null;
  let action: ActivityAction = normalizeAction(rawAction ?? null);
  let outcome = normalizeOutcome(rawOutcome ?? null);
  // Windows logons: 4624 succeeded, 4625 failed, 4771/4776 Kerberos/NTLM checks.
  if (eventId === '4624' || eventId === '4625' || eventId === '4771' || eventId === '4776') {
    action = 'login';
    if (eventId === '4624') outcome = 'success';
    else if (eventId !== '4776' && (eventId === '4625' || outcome === null)) outcome = 'failure';
  }
  return {
    at: e.time,
    account_no: account,
    customer_no: customer ?? null,
    ip: ip ?? null,
    device: device ?? null,
    action,
    outcome,
    source: storable(e.source).slice(0, 200),
    event_ref: storable(e.id).slice(0, 200),
  };
}
