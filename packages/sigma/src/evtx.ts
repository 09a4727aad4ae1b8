/**
 * Windows events as evtx_dump writes them in JSON (`{"Event": {"System": ..., "EventData": ...}}`),
 * flattened the way Sigma names fields: EventData (and UserData) fields at the top level, System
 * fields by name (`EventID`, `Channel`, `Computer`), attributes joined with `_` (`Provider_Name`).
 */
import type { DetectionEvent } from './event.js';
import { ShapedRecords } from './shaped-record.js';

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `{"#attributes": {...}, "#text": x}` -> x; other values unchanged. */
function textOf(v: unknown): unknown {
  if (isMap(v) && '#text' in v) return v['#text'];
  return v;
}

/** True when the value looks like an evtx_dump event. */
export const isEvtxJson = (v: unknown): boolean =>
  isMap(v) && isMap(v.Event) && isMap((v.Event as Record<string, unknown>).System);

/** `System_attribute` names (Provider_Name, TimeCreated_SystemTime ...), joined once: a property name built anew each time must be looked up anew. */
const joined = new Map<string, Map<string, string>>();
function joinedName(k: string, a: string): string {
  let inner = joined.get(k);
  if (inner === undefined) {
    if (joined.size >= 1024) return `${k}_${a}`;
    inner = new Map();
    joined.set(k, inner);
  }
  let name = inner.get(a);
  if (name === undefined) {
    name = `${k}_${a}`;
    if (inner.size < 1024) inner.set(a, name);
  }
  return name;
}

// for...in over what JSON.parse made (own data properties only): no array of keys, no [key, value]
// pair per field — garbage an engine thread would otherwise make for every event.
function flattenSystem(sys: Record<string, unknown>, out: ShapedRecords): void {
  for (const k in sys) {
    const v = sys[k];
    if (isMap(v)) {
      const attrs = v['#attributes'];
      if (isMap(attrs)) for (const name in attrs) out.put(joinedName(k, name), attrs[name]);
      if ('#text' in v) out.put(k, v['#text']);
      else if (!isMap(attrs)) out.put(k, v);
    } else out.put(k, v);
  }
}

function flattenData(data: unknown, out: ShapedRecords): void {
  if (!isMap(data)) return;
  for (const k in data) {
    const v = data[k];
    if (k === '#attributes') continue;
    if (k === 'Data') {
      // <Data Name="x">v</Data> rendered as a list or objects with attributes; unnamed data keeps "Data".
      const items = Array.isArray(v) ? v : [v];
      const unnamed: unknown[] = [];
      for (const it of items) {
        if (isMap(it) && isMap(it['#attributes']) && typeof it['#attributes'].Name === 'string')
          out.put(sigmaName(it['#attributes'].Name), it['#text'] ?? null);
        else unnamed.push(textOf(it));
      }
      if (unnamed.length) out.put('Data', unnamed.length === 1 ? unnamed[0] : unnamed);
    } else out.put(sigmaName(k), textOf(v));
  }
}

/** Sigma names Windows fields without their spaces ("Source Name" -> SourceName). */
const sigmaName = (k: string) => (k.includes(' ') ? k.replace(/ /g, '') : k);

/** Flattens one evtx_dump JSON event to Sigma's field names. */
/** One per thread: the records of this module are built one at a time. */
const shaped = new ShapedRecords();

export function flattenEvtx(raw: Record<string, unknown>): Record<string, unknown> {
  const ev = raw.Event as Record<string, unknown>;
  const out = shaped;
  flattenSystem(ev.System as Record<string, unknown>, out);
  flattenData(ev.EventData, out);
  if (isMap(ev.UserData)) {
    // <UserData><SomeEvent xmlns=...><Field>v</Field></SomeEvent></UserData>
    for (const inner of Object.values(ev.UserData)) {
      if (isMap(inner)) flattenData(inner, out);
    }
  }
  return out.build();
}

/** Event time from the evtx System time, else undefined. */
export function evtxTime(fields: Record<string, unknown>): number | undefined {
  const t = fields.TimeCreated_SystemTime;
  if (typeof t !== 'string') return undefined;
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? ms : undefined;
}

/** A DetectionEvent from an evtx_dump JSON event; its log source is resolved through the mapping. */
export function evtxToDetectionEvent(raw: Record<string, unknown>, id: string, source = 'file'): DetectionEvent {
  const fields = flattenEvtx(raw);
  return { id, time: evtxTime(fields) ?? Date.now(), source, logsource: { product: 'windows' }, fields };
}
