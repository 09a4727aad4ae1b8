/**
 * Splits an ingest body (a JSON array, or NDJSON: one JSON object a line) into records, checking each
 * on its own — size, UTF-8, nesting depth, JSON, a non-empty object — so a bad record never costs the good ones.
 * Works on bytes: JSON's structural characters are ASCII and never occur inside a UTF-8 sequence.
 */
import { isAscii, isUtf8 } from 'node:buffer';

export interface RecordLimits {
  /** Bytes of one line or array element. */
  lineLimitBytes: number;
  /** Levels of objects and arrays, the record itself being level 1. */
  maxDepth: number;
}

/** One record: its position (NDJSON line, or array element, 1-based) and the object or why it was refused. */
export type JsonRecord = { line: number; value: Record<string, unknown> } | { line: number; reason: string };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const isSpace = (c: number | undefined) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isOpen = (c: number | undefined) => c === 0x7b || c === 0x5b;
const isClose = (c: number | undefined) => c === 0x7d || c === 0x5d;

/** The deepest nesting in buf[start, end), or max+1 as soon as it goes deeper than `max`. */
export function nestingDepth(buf: Uint8Array, start: number, end: number, max: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (isOpen(c)) {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > max) return deepest;
      }
    } else if (isClose(c)) depth--;
  }
  return deepest;
}

/**
 * True when `bytes` hold at most `max` bytes `{` and `[` in all (strings included), so they cannot
 * nest deeper than `max`: a native search per bracket instead of a walk over every byte (most
 * records have far fewer brackets than the limit).
 */
function fewBrackets(bytes: Buffer, max: number): boolean {
  let n = 0;
  for (let i = bytes.indexOf(0x7b); i !== -1; i = bytes.indexOf(0x7b, i + 1)) if (++n > max) return false;
  for (let i = bytes.indexOf(0x5b); i !== -1; i = bytes.indexOf(0x5b, i + 1)) if (++n > max) return false;
  return true;
}

// Walks JSON.parse's output only (own, enumerable data properties): for...in allocates no entry pairs.
function hasProtoKey(v: unknown): boolean {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (hasProtoKey(v[i])) return true;
  } else if (v && typeof v === 'object') {
    for (const k in v) if (k === '__proto__' || hasProtoKey((v as Record<string, unknown>)[k])) return true;
  }
  return false;
}

/**
 * True when JSON text holds a `\u` escape: a `u` after an odd run of backslashes. An even run is
 * escaped backslashes followed by a letter u — a Windows path such as `C:\\users` — which spells
 * nothing.
 */
export function hasUnicodeEscape(text: string): boolean {
  for (let i = text.indexOf('\\u'); i !== -1; i = text.indexOf('\\u', i + 2)) {
    let run = 1;
    while (i - run >= 0 && text.charCodeAt(i - run) === BACKSLASH) run++;
    if (run % 2 === 1) return true;
  }
  return false;
}

function isEmpty(v: object): boolean {
  for (const _ in v) return false;
  return true;
}

/** Checks and parses one record in buf[start, end); null when it is blank. */
export function parseRecord(
  buf: Buffer,
  start: number,
  end: number,
  line: number,
  limits: RecordLimits,
  depth?: number,
): JsonRecord | null {
  while (start < end && isSpace(buf[start])) start++;
  while (end > start && isSpace(buf[end - 1])) end--;
  if (start === end) return null;
  const size = end - start;
  if (size > limits.lineLimitBytes)
    return { line, reason: `too large: ${size} bytes; the limit is ${limits.lineLimitBytes}` };
  const bytes = buf.subarray(start, end);
  // Most records are ASCII: then they are UTF-8 too, and read byte for byte (latin1) without decoding.
  const ascii = isAscii(bytes);
  if (!ascii && !isUtf8(bytes)) return { line, reason: 'not valid UTF-8' };
  const tooDeep =
    depth !== undefined
      ? depth > limits.maxDepth
      : !fewBrackets(bytes, limits.maxDepth) && nestingDepth(buf, start, end, limits.maxDepth) > limits.maxDepth;
  if (tooDeep) {
    return { line, reason: `nested deeper than ${limits.maxDepth} levels` };
  }
  const text = bytes.toString(ascii ? 'latin1' : 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { line, reason: `not valid JSON: ${(err as Error).message.slice(0, 200)}` };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { line, reason: 'not a JSON object' };
  if (isEmpty(value)) return { line, reason: 'an empty object: an event needs at least one field' };
  // Own "__proto__" keys are harmless until someone copies them onto a plain object. A record can only
  // hold the key when its text spells it out, or spells some character as a \u escape ("\u005f_proto__"):
  // native searches rule out the rest before the walk.
  if (((bytes.indexOf(0x5f) !== -1 && text.includes('"__proto__"')) || hasUnicodeEscape(text)) && hasProtoKey(value))
    return { line, reason: 'the key "__proto__" is not allowed' };
  return { line, value: value as Record<string, unknown> };
}

function* ndjsonRecords(buf: Buffer, from: number, limits: RecordLimits): Generator<JsonRecord> {
  let line = 0;
  let start = from;
  while (start < buf.length) {
    let end = buf.indexOf(0x0a, start);
    if (end === -1) end = buf.length;
    line++;
    const r = parseRecord(buf, start, end, line, limits);
    if (r) yield r;
    start = end + 1;
  }
}

/** Elements of a top-level array, found by scanning (not parsing) it: a broken element stays one rejection. */
function* arrayRecords(buf: Buffer, open: number, limits: RecordLimits): Generator<JsonRecord> {
  let i = open + 1;
  let index = 0;
  for (;;) {
    while (i < buf.length && isSpace(buf[i])) i++;
    if (i >= buf.length) {
      yield { line: index + 1, reason: 'the array is not closed: the body ends early' };
      return;
    }
    if (buf[i] === 0x5d) {
      i++;
      while (i < buf.length && isSpace(buf[i])) i++;
      if (i < buf.length) yield { line: index + 1, reason: 'unexpected content after the closing ]' };
      return;
    }
    const start = i;
    let depth = 0;
    let deepest = 0;
    let inString = false;
    for (; i < buf.length; i++) {
      const c = buf[i];
      if (inString) {
        if (c === BACKSLASH) i++;
        else if (c === QUOTE) inString = false;
      } else if (c === QUOTE) inString = true;
      else if (isOpen(c)) deepest = Math.max(deepest, ++depth);
      else if (isClose(c)) {
        if (depth > 0) depth--;
        else if (c === 0x5d) break; // the array's own closing bracket
      } else if (c === 0x2c && depth === 0) break;
    }
    index++;
    const r = parseRecord(buf, start, Math.min(i, buf.length), index, limits, deepest);
    yield r ?? { line: index, reason: 'an empty element' };
    if (buf[i] === 0x2c) i++;
  }
}

/**
 * The records of a body, one at a time (each parsed only when it is asked for): a JSON array when it
 * starts with `[`, else NDJSON. A UTF-8 BOM is skipped.
 */
export function recordsOf(buf: Buffer, limits: RecordLimits): Generator<JsonRecord> {
  let i = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  const from = i;
  while (i < buf.length && isSpace(buf[i])) i++;
  return buf[i] === 0x5b ? arrayRecords(buf, i, limits) : ndjsonRecords(buf, from, limits);
}

/** All the records of a body at once (small bodies, tests, benchmarks). */
export const splitRecords = (buf: Buffer, limits: RecordLimits): JsonRecord[] => [...recordsOf(buf, limits)];
