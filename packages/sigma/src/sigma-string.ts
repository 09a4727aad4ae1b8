/**
 * Sigma string values: wildcards (`*`, `?`), escapes (`\*`, `\?`, `\\`), placeholders for
 * `|expand`, and the value-transforming modifiers (contains, windash, base64, utf16 ...).
 */
import { SigmaError, type AtomKind } from './types.js';

/** `*`: any number of characters. */
export const ANY = 0;
/** `?`: exactly one character. */
export const ONE = 1;
export interface Placeholder {
  placeholder: string;
}
export type Part = string | typeof ANY | typeof ONE | Placeholder;

/** A Sigma string: parts, and whether its literal parts are bytes (after utf16 encoding). */
export interface SigmaStr {
  parts: Part[];
  binary: boolean;
}

const isPlaceholder = (p: Part): p is Placeholder => typeof p === 'object';

/**
 * Parses a rule value. A backslash escapes `*`, `?`, `\` (and `%` when placeholders are on);
 * before any other character it is a plain backslash.
 */
export function parseSigmaString(raw: string, placeholders = false): SigmaStr {
  const parts: Part[] = [];
  let lit = '';
  const flush = () => {
    if (lit) parts.push(lit);
    lit = '';
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\') {
      const n = raw[i + 1];
      if (n === '*' || n === '?' || n === '\\' || (placeholders && n === '%')) {
        lit += n;
        i++;
      } else lit += c;
    } else if (c === '*') {
      flush();
      if (parts[parts.length - 1] !== ANY) parts.push(ANY);
    } else if (c === '?') {
      flush();
      parts.push(ONE);
    } else if (placeholders && c === '%') {
      const m = /^%([\w.-]+)%/.exec(raw.slice(i));
      if (m) {
        flush();
        parts.push({ placeholder: m[1]! });
        i += m[0].length - 1;
      } else lit += c;
    } else lit += c;
  }
  flush();
  return { parts, binary: false };
}

export const plain = (s: SigmaStr): boolean => s.parts.every((p) => typeof p === 'string');
const text = (s: SigmaStr): string => s.parts.join('');

/** contains / startswith / endswith: wildcards around the value. */
export function wrapWildcards(s: SigmaStr, before: boolean, after: boolean): SigmaStr {
  const parts = [...s.parts];
  if (before && parts[0] !== ANY) parts.unshift(ANY);
  if (after && parts[parts.length - 1] !== ANY) parts.push(ANY);
  return { parts, binary: s.binary };
}

const DASHES = ['-', '/', '\u2013', '\u2014', '\u2015'];
const MAX_WINDASH_VARIANTS = 3125;

/**
 * windash: every `-` or `/` that starts a word after a non-word character (a command-line flag)
 * becomes each of - / – — ―, in all combinations (as pySigma does).
 */
export function windash(s: SigmaStr): SigmaStr[] {
  // Split every literal part at the flag characters, remembering which are variable.
  const slots: (Part | { dash: true })[] = [];
  for (let pi = 0; pi < s.parts.length; pi++) {
    const p = s.parts[pi]!;
    if (typeof p !== 'string') {
      slots.push(p);
      continue;
    }
    let cur = '';
    for (let i = 0; i < p.length; i++) {
      const c = p[i]!;
      const prev = i > 0 ? p[i - 1]! : '';
      const next = p[i + 1] ?? '';
      if ((c === '-' || c === '/') && !/\w/.test(prev) && /\w/.test(next)) {
        if (cur) slots.push(cur);
        cur = '';
        slots.push({ dash: true });
      } else cur += c;
    }
    if (cur) slots.push(cur);
  }
  const count = slots.filter((x) => typeof x === 'object' && 'dash' in x).length;
  if (DASHES.length ** count > MAX_WINDASH_VARIANTS)
    throw new SigmaError(`windash on a value with ${count} flags expands to too many variants`);
  let out: Part[][] = [[]];
  for (const slot of slots) {
    if (typeof slot === 'object' && 'dash' in slot) out = out.flatMap((prefix) => DASHES.map((d) => [...prefix, d]));
    else out = out.map((prefix) => [...prefix, slot]);
  }
  return out.map((parts) => ({ parts: mergeLiterals(parts), binary: s.binary }));
}

function mergeLiterals(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (typeof p === 'string' && typeof last === 'string') out[out.length - 1] = last + p;
    else out.push(p);
  }
  return out;
}

function toBytes(s: SigmaStr): Buffer {
  return Buffer.from(text(s), s.binary ? 'latin1' : 'utf8');
}

function requirePlain(s: SigmaStr, modifier: string): void {
  if (!plain(s)) throw new SigmaError(`${modifier} cannot encode a value with wildcards or placeholders`);
}

/** base64: the value's bytes, base64-encoded. */
export function base64(s: SigmaStr): SigmaStr {
  requirePlain(s, 'base64');
  return { parts: [toBytes(s).toString('base64')], binary: false };
}

/**
 * base64offset: the three encodings of the value at byte offsets 0, 1 and 2 of a longer
 * base64 text, each cut to the characters that do not depend on the neighbouring bytes.
 */
export function base64offset(s: SigmaStr): SigmaStr[] {
  requirePlain(s, 'base64offset');
  const data = toBytes(s);
  const start = [0, 2, 3];
  const end = [undefined, -3, -2];
  const out: SigmaStr[] = [];
  for (let i = 0; i < 3; i++) {
    const enc = Buffer.concat([Buffer.alloc(i, 0x20), data]).toString('base64');
    const cut = end[(data.length + i) % 3];
    const v = enc.slice(start[i], cut);
    if (v) out.push({ parts: [v], binary: false });
  }
  return out;
}

/** utf16le / utf16be / utf16 (with byte order mark) / wide: literal parts become bytes. */
export function utf16(s: SigmaStr, variant: 'le' | 'be' | 'bom'): SigmaStr {
  const enc = (p: string) => {
    const b = Buffer.from(p, 'utf16le');
    if (variant === 'be') b.swap16();
    return b.toString('latin1');
  };
  const parts: Part[] = s.parts.map((p) => (typeof p === 'string' ? enc(p) : p));
  if (variant === 'bom') parts.unshift('\xff\xfe');
  return { parts: mergeLiterals(parts), binary: true };
}

/** Replaces placeholders with their configured values (each may hold wildcards); all combinations. */
export function expandPlaceholders(s: SigmaStr, values: Record<string, string[]>): SigmaStr[] {
  let out: Part[][] = [[]];
  for (const p of s.parts) {
    if (!isPlaceholder(p)) {
      out = out.map((prefix) => [...prefix, p]);
      continue;
    }
    const vals = values[p.placeholder];
    if (!vals || vals.length === 0) throw new SigmaError(`placeholder %${p.placeholder}% has no configured values`);
    const alts = vals.map((v) => parseSigmaString(v).parts);
    out = out.flatMap((prefix) => alts.map((a) => [...prefix, ...a]));
    if (out.length > 10_000) throw new SigmaError('placeholder expansion yields too many values');
  }
  return out.map((parts) => ({
    parts: mergeLiterals(parts).filter((x, i, a) => !(x === ANY && a[i - 1] === ANY)),
    binary: s.binary,
  }));
}

export const hasPlaceholders = (s: SigmaStr): boolean => s.parts.some(isPlaceholder);

/** A compiled test of a (lower-cased unless cased) string. */
export type StringTest = (v: string) => boolean;

/**
 * Compiles a Sigma string to a test. The common shapes (equal, prefix, suffix, contains) use
 * native string methods; anything else runs a linear-time wildcard matcher (no regex, no
 * backtracking blow-up).
 */
export function compileStringTest(s: SigmaStr, cased: boolean): StringTest {
  const parts = s.parts.map((p) => (typeof p === 'string' && !cased ? p.toLowerCase() : p));
  if (parts.some(isPlaceholder)) throw new SigmaError('placeholder without the expand modifier');
  const n = parts.length;
  if (n === 0) return (v) => v === '';
  if (n === 1) {
    const p = parts[0]!;
    if (p === ANY) return () => true;
    if (p === ONE) return (v) => v.length === 1;
    const lit = p as string;
    return (v) => v === lit;
  }
  if (n === 2 && typeof parts[1] === 'string' && parts[0] === ANY) {
    const lit = parts[1];
    return (v) => v.endsWith(lit);
  }
  if (n === 2 && typeof parts[0] === 'string' && parts[1] === ANY) {
    const lit = parts[0];
    return (v) => v.startsWith(lit);
  }
  if (n === 3 && parts[0] === ANY && parts[2] === ANY && typeof parts[1] === 'string') {
    const lit = parts[1];
    return (v) => v.includes(lit);
  }
  return compileGlob(parts as (string | typeof ANY | typeof ONE)[]);
}

/**
 * Wildcard matching: segments between `*` have a fixed length, so taking the leftmost
 * occurrence of each middle segment is correct, and the whole match is O(value × pattern).
 */
function compileGlob(parts: (string | typeof ANY | typeof ONE)[]): StringTest {
  // Segments between ANYs, each a list of literal strings and ONEs.
  const segs: (string | typeof ONE)[][] = [[]];
  for (const p of parts) {
    if (p === ANY) segs.push([]);
    else segs[segs.length - 1]!.push(p);
  }
  const anchoredStart = parts[0] !== ANY;
  const anchoredEnd = parts[parts.length - 1] !== ANY;
  const segLen = segs.map((seg) => seg.reduce<number>((a, x) => a + (x === ONE ? 1 : x.length), 0));
  const matchAt = (v: string, pos: number, seg: (string | typeof ONE)[]): boolean => {
    for (const x of seg) {
      if (x === ONE) {
        if (pos >= v.length) return false;
        pos++;
      } else {
        if (!v.startsWith(x, pos)) return false;
        pos += x.length;
      }
    }
    return true;
  };
  const last = segs.length - 1;
  return (v) => {
    let pos = 0;
    let endLimit = v.length;
    if (last === 0) return segLen[0] === v.length && matchAt(v, 0, segs[0]!);
    if (anchoredStart) {
      if (!matchAt(v, 0, segs[0]!)) return false;
      pos = segLen[0]!;
    }
    if (anchoredEnd) {
      const start = v.length - segLen[last]!;
      if (start < pos || !matchAt(v, start, segs[last]!)) return false;
      endLimit = start;
    }
    const from = anchoredStart ? 1 : 0;
    const to = anchoredEnd ? last - 1 : last;
    for (let i = from; i <= to; i++) {
      const seg = segs[i]!;
      const len = segLen[i]!;
      if (len === 0) continue;
      const first = seg[0];
      let found = -1;
      for (let p = pos; p + len <= endLimit; p++) {
        if (typeof first === 'string') {
          p = v.indexOf(first, p);
          if (p < 0 || p + len > endLimit) break;
        }
        if (matchAt(v, p, seg)) {
          found = p;
          break;
        }
      }
      if (found < 0) return false;
      pos = found + len;
    }
    return pos <= endLimit;
  };
}

/**
 * The longest literal run of a Sigma string, lower-cased: it must occur in any value the string
 * matches (the prefilter's atom). Empty when the string has no literal.
 */
export function requiredLiteral(s: SigmaStr): string {
  let best = '';
  for (const p of s.parts) if (typeof p === 'string' && p.length > best.length) best = p;
  return best.toLowerCase();
}

/**
 * The prefilter's literal of a Sigma string with where it must stand: the whole value (no
 * wildcard), its end or start (a literal anchored there, when at least as useful as the longest
 * literal run), else anywhere. Empty literal when the string has none.
 */
export function requiredAtom(s: SigmaStr): { literal: string; kind: AtomKind } {
  const parts = s.parts;
  const longest = requiredLiteral(s);
  if (parts.length === 1 && typeof parts[0] === 'string') return { literal: longest, kind: 'exact' };
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (typeof last === 'string' && (last.length >= 4 || last.length >= longest.length))
    return { literal: last.toLowerCase(), kind: 'suffix' };
  if (typeof first === 'string' && (first.length >= 4 || first.length >= longest.length))
    return { literal: first.toLowerCase(), kind: 'prefix' };
  return { literal: longest, kind: 'contains' };
}
