/**
 * One syslog message (RFC 5424 or RFC 3164) to event fields. nsyslog-parser reads the header; the
 * RFC 5424 structured data is read here by its grammar, in one pass: nsyslog's regular expression
 * for it takes quadratic time on crafted input. A message whose text is a JSON object (or `@cee:`
 * JSON) contributes its own fields.
 */
import parseSyslog from 'nsyslog-parser';
import { parseRecord, type RecordLimits } from './json-records.js';

export interface SyslogMessage {
  /** APP-NAME (RFC 5424) or TAG (RFC 3164), when the message has one. */
  app?: string;
  fields: Record<string, unknown>;
  /** The RFC 5424 header's time (epoch ms). RFC 3164 timestamps carry neither year nor zone: none. */
  time?: number;
}

// PRI VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID, each a run of non-spaces: linear to match.
const HEADER_5424 = /^<\d{1,3}>\d{1,2} \S+ \S+ \S+ \S+ \S+ /;
const VERSIONED = /^<\d{1,3}>\d{1,2} /;
const MAX_IRREGULAR = 2048;
const NIL = '-';
// Bytes that do not occur in text: the frame is binary garbage.
const BINARY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const NAME_STOP = new Set(['=', ' ', ']', '"']);

type StructuredData = Record<string, Record<string, string>>;

/** SD-ELEMENTs from `text[start]` on: `[id name="value" ...]...`; null when they break the grammar. */
export function parseStructuredData(text: string, start: number): { sd: StructuredData; end: number } | null {
  const sd: StructuredData = {};
  let i = start;
  const name = () => {
    const from = i;
    while (i < text.length && i - from < 64 && !NAME_STOP.has(text[i]!)) i++;
    return text.slice(from, i);
  };
  while (text[i] === '[') {
    i++;
    const id = name();
    if (!id) return null;
    const params: Record<string, string> = {};
    while (text[i] === ' ') {
      i++;
      const key = name();
      if (!key || text[i] !== '=' || text[i + 1] !== '"') return null;
      i += 2;
      let value = '';
      let from = i;
      for (;;) {
        if (i >= text.length) return null;
        const c = text[i];
        if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\' || text[i + 1] === ']')) {
          value += text.slice(from, i) + text[i + 1];
          i += 2;
          from = i;
        } else if (c === '"') {
          value += text.slice(from, i);
          i++;
          break;
        } else i++;
      }
      if (key !== '__proto__') params[key] = value;
    }
    if (text[i] !== ']') return null;
    i++;
    if (id !== '__proto__') sd[id] = params;
  }
  return { sd, end: i };
}

const present = (v: string | undefined) => (v && v !== NIL ? v : undefined);

/** The JSON object a message carries (`{...}` or `@cee: {...}`), or null. */
function jsonPayload(msg: string, limits: RecordLimits): Record<string, unknown> | null {
  const body = msg.startsWith('@cee:') ? msg.slice(5).trimStart() : msg;
  if (!body.startsWith('{')) return null;
  const buf = Buffer.from(body, 'utf8');
  const r = parseRecord(buf, 0, buf.length, 1, limits);
  return r && 'value' in r ? r.value : null;
}

/** Parses one frame; null when it is binary garbage rather than a message. */
export function parseSyslogMessage(frame: Buffer, limits: RecordLimits): SyslogMessage | null {
  let line = frame.toString('utf8');
  if (line.endsWith('\n')) line = line.slice(0, -1);
  if (line.endsWith('\r')) line = line.slice(0, -1);
  if (BINARY.test(line) || line.trim() === '') return null;

  let msg: string | undefined;
  let sd: StructuredData | undefined;
  let head = line;
  const h5424 = HEADER_5424.exec(line);
  if (h5424) {
    const rest = line.slice(h5424[0].length);
    const parsed = rest.startsWith('[') ? parseStructuredData(rest, 0) : null;
    const sdEnd = parsed ? parsed.end : rest.startsWith(NIL) ? 1 : 0;
    if (parsed && Object.keys(parsed.sd).length) sd = parsed.sd;
    msg = rest
      .slice(sdEnd)
      .replace(/^ /, '')
      .replace(/^\uFEFF/, '');
    head = `${h5424[0]}-`;
  } else if (VERSIONED.test(line) && line.length > MAX_IRREGULAR) {
    // A long RFC 5424 look-alike with an irregular header: kept as text, not fed to nsyslog whole.
    return { fields: { message: line, syslog_format: 'unknown' } };
  }
  const p = parseSyslog(head, { cef: false, leef: false, fields: false, generateTimestamp: false });
  const format = p.err ? 'unknown' : p.type === 'RFC5424' ? 'rfc5424' : p.type === 'BSD' ? 'rfc3164' : 'unknown';
  if (format === 'unknown') return { fields: { message: line, syslog_format: 'unknown' } };
  msg ??= p.message ?? '';

  const header: Record<string, unknown> = { message: msg, syslog_format: format };
  const host = present(p.host);
  const app = present(p.appName);
  if (host) header.hostname = host;
  if (app) header.app_name = app;
  if (present(p.pid)) header.procid = p.pid;
  if (present(p.messageid)) header.msgid = p.messageid;
  if (p.facility) header.facility = p.facility;
  if (p.level) header.severity = p.level;
  if (sd) header.sd = sd;

  const json = jsonPayload(msg, limits);
  const fields = json ?? header;
  if (json) for (const [k, v] of Object.entries(header)) if (json[k] === undefined) json[k] = v;
  const ts = p.ts?.getTime();
  return { app, fields, time: format === 'rfc5424' && ts !== undefined && Number.isFinite(ts) ? ts : undefined };
}
