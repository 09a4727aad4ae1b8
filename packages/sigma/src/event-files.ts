/**
 * Reading event files for the CLI and regression runs: NDJSON, a JSON array, or JSON values one
 * after another (evtx_dump's output), streamed; and turning each value into a DetectionEvent.
 */
import fs from 'node:fs';
import type { DetectionEvent, LogSource } from './event.js';
import { evtxToDetectionEvent, isEvtxJson } from './evtx.js';

export type EventValue = { value: unknown; line: number } | { error: string; line: number };

/** Largest single JSON value read from an event file (characters). */
export const MAX_EVENT_CHARS = 16 * 1024 * 1024;

/** Splits a stream of text into top-level JSON values (inside a top-level array: its elements). */
export async function* readJsonValues(
  chunks: AsyncIterable<string | Buffer> | Iterable<string | Buffer>,
): AsyncGenerator<EventValue> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let arrayMode: boolean | null = null;
  let buf = '';
  let line = 1;
  let startLine = 1;
  let tooBig = false;
  const finish = function* (): Generator<EventValue> {
    const text = buf.trim();
    buf = '';
    if (tooBig) {
      tooBig = false;
      yield { error: `value larger than ${MAX_EVENT_CHARS} characters`, line: startLine };
      return;
    }
    if (!text) return;
    try {
      yield { value: JSON.parse(text), line: startLine };
    } catch (e) {
      yield { error: `not JSON: ${(e as Error).message}`, line: startLine };
    }
  };
  for await (const chunk of chunks) {
    const s = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let from = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s[i]!;
      if (c === '\n') line++;
      if (inString) {
        if (c === '\n') {
          // JSON strings hold no raw newline: this value is broken; resynchronise at the next line.
          inString = false;
          escaped = false;
          depth = arrayMode ? 1 : 0;
          buf = '';
          tooBig = false;
          from = i + 1;
          yield { error: 'not JSON: line break inside a string', line: startLine };
          continue;
        }
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (arrayMode === null) {
        if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\ufeff') {
          from = i + 1;
          continue;
        }
        arrayMode = c === '[';
        if (arrayMode) {
          depth = 1;
          from = i + 1;
          continue;
        }
      }
      const base = arrayMode ? 1 : 0;
      if (c === '"') inString = true;
      else if (c === '{' || c === '[') {
        if (depth === base) startLine = line;
        depth++;
      } else if (c === '}' || c === ']') {
        depth--;
        if (arrayMode && depth === 0) {
          // End of the top-level array.
          buf += s.slice(from, i);
          yield* finish();
          from = i + 1;
          arrayMode = null;
          continue;
        }
        if (depth === base) {
          buf += s.slice(from, i + 1);
          yield* finish();
          from = i + 1;
        }
      } else if (depth === base && (c === '\n' || c === ',')) {
        // A line (or element) that is not an object: a scalar or garbage.
        buf += s.slice(from, i);
        if (buf.trim()) {
          startLine = c === '\n' ? line - 1 : line;
          yield* finish();
        }
        buf = '';
        from = i + 1;
      }
    }
    if (buf.length + (s.length - from) > MAX_EVENT_CHARS) {
      tooBig = true;
      buf = '';
    } else buf += s.slice(from);
  }
  if (inString || depth > (arrayMode ? 1 : 0)) yield { error: 'file ends inside a JSON value', line: startLine };
  else yield* finish();
}

/** The JSON values of an event file. */
export function readEventFile(file: string): AsyncGenerator<EventValue> {
  return readJsonValues(fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }));
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function timeOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}

/**
 * A DetectionEvent from a JSON value: an evtx_dump event; a DetectionEvent as such (`fields` and
 * `logsource`); or any object, whose own `logsource` names its log source and whose
 * `@timestamp`, `timestamp` or `time` its time.
 */
export function toDetectionEvent(
  value: unknown,
  id: string,
  source: string,
  logsource: LogSource = {},
): DetectionEvent | undefined {
  if (!isMap(value)) return undefined;
  if (isEvtxJson(value)) return evtxToDetectionEvent(value, id, source);
  if (isMap(value.fields) && (isMap(value.logsource) || typeof value.time === 'number')) {
    return {
      id: typeof value.id === 'string' ? value.id : id,
      time: timeOf(value.time) ?? Date.now(),
      source: typeof value.source === 'string' ? value.source : source,
      logsource: isMap(value.logsource) ? (value.logsource as LogSource) : logsource,
      fields: value.fields,
    };
  }
  const { logsource: ls, ...fields } = value;
  return {
    id: typeof value.id === 'string' ? value.id : id,
    time: timeOf(value['@timestamp']) ?? timeOf(value.timestamp) ?? timeOf(value.time) ?? Date.now(),
    source,
    logsource: isMap(ls) ? (ls as LogSource) : logsource,
    fields,
  };
}
