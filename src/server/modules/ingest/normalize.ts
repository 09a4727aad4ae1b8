/** A received record to a DetectionEvent: id, event time, Sigma log source, fields in Sigma's names. */
import type { IngestSourceConfig } from '../../platform/ingest-sources.js';
import { newId } from '../../platform/ids.js';
import type { DetectionEvent, LogSource } from '../detection/index.js';
import { parseTime, TIME_FIELDS } from './event-time.js';
import { fieldValue } from '../../../shared/event-fields.js';
import { isObject, takePath } from './field-paths.js';
import { FORMATS } from './network-formats.js';

export type Normalized = { event: DetectionEvent; hasSourceId: boolean } | { reason: string };

const MAX_ID = 200;
const LOGSOURCE_KEYS = ['product', 'category', 'service'] as const;

function ownLogsource(v: unknown): LogSource | null {
  if (!isObject(v)) return null;
  const out: LogSource = {};
  for (const k of LOGSOURCE_KEYS) {
    const s = v[k];
    if (typeof s === 'string' && s !== '' && s.length <= 64) out[k] = s;
  }
  return out;
}

function mergeLogsource(...layers: (LogSource | null | undefined)[]): LogSource {
  const out: LogSource = {};
  for (const l of layers) for (const k of LOGSOURCE_KEYS) if (l?.[k]) out[k] = l[k];
  return out;
}

/**
 * Normalizes `obj` (which it takes over and changes) as source `src` says. The log source is the
 * format's, overridden by the source's configuration, overridden by the event's own `logsource` object.
 * The time is the source's `timeField`, else the format's own, else `@timestamp`, `timestamp` or
 * `time`; when none can be read, `fallbackTime` (the arrival time, unless a syslog header gave one).
 */
export function normalizeEvent(
  obj: Record<string, unknown>,
  src: IngestSourceConfig,
  fallbackTime: number,
): Normalized {
  const format = FORMATS[src.format];
  let id: string | undefined;
  if (format.idField) {
    const raw = format.idField === 'id' ? takePath(obj, 'id') : obj[format.idField];
    // No NUL: PostgreSQL's text cannot hold one (the event's id is claimed and indexed there).
    if (typeof raw === 'string' && raw.length > 0 && raw.length <= MAX_ID && !raw.includes('\u0000')) id = raw;
    else if (typeof raw === 'number' && Number.isSafeInteger(raw)) id = String(raw);
    else if (raw !== undefined && raw !== null && format.idField === 'id') {
      return { reason: `"id" must be a string of 1–${MAX_ID} characters (no NUL) or an integer` };
    }
  }
  const own = ownLogsource(obj.logsource);
  if (own) delete obj.logsource;

  // The configured time field names the source's own field, so it is read before any mapping.
  let time = src.timeField ? parseTime(fieldValue(obj, src.timeField), src.timeFormat) : null;
  const mapped = format.map(obj);
  if (!src.timeField) {
    time = mapped.time ?? null;
    if (time === null) {
      const name = TIME_FIELDS.find((f) => obj[f] !== undefined && obj[f] !== null);
      if (name) time = parseTime(obj[name], src.timeFormat);
    }
  }

  const fields = mapped.fields;
  for (const [from, to] of Object.entries(src.fieldMap)) {
    if (from === to) continue;
    const v = takePath(fields, from);
    if (v !== undefined) fields[to] = v;
  }
  return {
    event: {
      id: id ?? newId(),
      time: time ?? fallbackTime,
      source: src.name,
      logsource: mergeLogsource(mapped.logsource, src.logsource, own),
      fields,
    },
    hasSourceId: id !== undefined,
  };
}
