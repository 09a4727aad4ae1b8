/**
 * Exact numbers of the assessment engine: decimal strings read as integers at a fixed scale, ISO-8601
 * times read as microseconds since the epoch, and amounts in fen written as yuan with two places.
 * Nothing here uses floating point for a fraction: every number is an integer, and a JavaScript number
 * only while it is a safe integer (callers switch to BigInt beyond that; see `totals.ts`).
 */

/** Read failures of `parseScaled`, as negative numbers (a value read is never negative). */
export const BAD_NUMBER = -1;
export const NEGATIVE = -2;
export const TOO_MANY_DECIMALS = -3;
export const TOO_LARGE = -4;

const MAX = Number.MAX_SAFE_INTEGER;

/** Scratch bytes for the string forms of the readers (numbers and times are short). */
const scratch = Buffer.alloc(256);

/**
 * `s` (digits, optionally `.` and digits; a leading `-` is read to say "negative") as an integer at
 * `10^scale`: `parseScaled('12.5', 2)` is 1250. A negative result is one of the failures above.
 */
export function parseScaled(s: string, scale: number): number {
  if (s.length > 48) return BAD_NUMBER;
  return parseScaledBytes(scratch, 0, scratch.write(s, 0, 'utf8'), scale);
}

/** `parseScaled` of the bytes b[start, end) (ASCII; any other byte makes it not a number). */
export function parseScaledBytes(b: Uint8Array, start: number, end: number, scale: number): number {
  let i = start;
  let negative = false;
  if (end > start && b[start] === 45 /* - */) {
    negative = true;
    i++;
  }
  if (i >= end) return BAD_NUMBER;
  let v = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = b[i]! - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
    digits++;
  }
  if (digits === 0) return BAD_NUMBER;
  let decimals = 0;
  if (i < end) {
    if (b[i] !== 46 /* . */ || i === end - 1) return BAD_NUMBER;
    for (i++; i < end; i++) {
      const c = b[i]! - 48;
      if (c < 0 || c > 9) return BAD_NUMBER;
      if (++decimals > scale) {
        // Trailing zeros beyond the scale change nothing.
        if (c !== 0) return negative ? NEGATIVE : TOO_MANY_DECIMALS;
        continue;
      }
      v = v * 10 + c;
    }
  }
  if (negative) return v === 0 ? 0 : NEGATIVE;
  for (let d = Math.min(decimals, scale); d < scale; d++) v *= 10;
  // A number past 2^53 was no longer exact while it was read.
  return v > MAX ? TOO_LARGE : v;
}

/** Why `parseScaled` failed, for a bad-row message about `what` (a column). */
export function numberProblem(code: number, what: string, scale: number): string {
  switch (code) {
    case NEGATIVE:
      return `${what} must not be negative`;
    case TOO_MANY_DECIMALS:
      return `${what} has more than ${scale} decimal places`;
    case TOO_LARGE:
      return `${what} is too large`;
    default:
      return `${what} is not a number`;
  }
}

/** Read failures of `parseInstant`. */
export const NO_OFFSET = Number.NEGATIVE_INFINITY;

const two = (s: Uint8Array, i: number): number => {
  const a = s[i]! - 48;
  const b = s[i + 1]! - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
};

/** Days from 1970-01-01 to the civil date (proleptic Gregorian; H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const monthDays = (y: number, m: number) =>
  m === 2
    ? y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)
      ? 29
      : 28
    : m === 4 || m === 6 || m === 9 || m === 11
      ? 30
      : 31;

/**
 * An ISO-8601 time with its offset — `YYYY-MM-DDTHH:MM[:SS[.ffffff]](Z|±HH:MM|±HHMM|±HH)`, `T` or a
 * space — as microseconds since the epoch; `NO_OFFSET` when the offset is missing, NaN when it is not
 * such a time (bad field, impossible date, more than 6 decimals of a second).
 */
export function parseInstant(s: string): number {
  if (s.length > 48) return Number.NaN;
  return parseInstantBytes(scratch, 0, scratch.write(s, 0, 'utf8'));
}

/** `parseInstant` of the bytes s[from, n). */
export function parseInstantBytes(s: Uint8Array, from: number, n: number): number {
  const o = from;
  if (n - o < 16 || s[o + 4] !== 45 || s[o + 7] !== 45 || s[o + 13] !== 58) return Number.NaN;
  const t = s[o + 10];
  if (t !== 84 && t !== 32 && t !== 116) return Number.NaN;
  const yHi = two(s, o);
  const yLo = two(s, o + 2);
  const y = yHi < 0 || yLo < 0 ? -1 : yHi * 100 + yLo;
  const mo = two(s, o + 5);
  const d = two(s, o + 8);
  const h = two(s, o + 11);
  const mi = two(s, o + 14);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59) return Number.NaN;
  if (d > monthDays(y, mo)) return Number.NaN;
  let i = o + 16;
  let sec = 0;
  let micros = 0;
  if (i < n && s[i] === 58) {
    if (n - i < 3) return Number.NaN;
    sec = two(s, i + 1);
    if (sec < 0 || sec > 59) return Number.NaN;
    i += 3;
    if (i < n && (s[i] === 46 || s[i] === 44)) {
      i++;
      let digits = 0;
      for (; i < n; i++) {
        const c = s[i]! - 48;
        if (c < 0 || c > 9) break;
        if (++digits > 6) return Number.NaN;
        micros = micros * 10 + c;
      }
      if (digits === 0) return Number.NaN;
      for (; digits < 6; digits++) micros *= 10;
    }
  }
  if (i === n) return NO_OFFSET;
  let offsetMin = 0;
  const z = s[i];
  if (z === 90 || z === 122) {
    if (i + 1 !== n) return Number.NaN;
  } else if (z === 43 || z === 45) {
    if (n - i < 3) return Number.NaN;
    const oh = two(s, i + 1);
    let om = 0;
    const rest = n - (i + 3);
    if (rest === 3 && s[i + 3] === 58) om = two(s, i + 4);
    else if (rest === 2) om = two(s, i + 3);
    else if (rest !== 0) return Number.NaN;
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return Number.NaN;
    offsetMin = (z === 43 ? 1 : -1) * (oh * 60 + om);
  } else return Number.NaN;
  const minutes = daysFromCivil(y, mo, d) * 1440 + h * 60 + mi - offsetMin;
  return (minutes * 60 + sec) * 1_000_000 + micros;
}

/** `parseInstant` for options and typed rows: the microseconds, or a reason. */
export function instantOrReason(s: string): number | string {
  const t = parseInstant(s);
  if (t === NO_OFFSET) return 'time without offset (ISO-8601 with Z or ±HH:MM)';
  if (Number.isNaN(t)) return 'not an ISO-8601 time';
  return t;
}

/** Rounds `units` (an integer, >= 0, at `10^k` per fen, `divisor` = 10^k) half-up to fen, exactly. */
export function roundHalfUpToFen(units: number | bigint, divisor: number): number | bigint {
  if (typeof units === 'bigint') {
    const d = BigInt(divisor);
    const q = units / d;
    return (units % d) * 2n >= d ? q + 1n : q;
  }
  const r = units % divisor;
  const q = (units - r) / divisor;
  return r * 2 >= divisor ? q + 1 : q;
}

/** `yuan` of a safe integer >= 0, without BigInt. */
export function yuanOfSafe(fen: number): string {
  const cents = fen % 100;
  return `${(fen - cents) / 100}.${cents < 10 ? '0' : ''}${cents}`;
}

/** Fen as yuan with two places: 123456 -> "1234.56". */
export function yuan(fen: number | bigint): string {
  if (typeof fen === 'number' && fen >= 0 && fen <= Number.MAX_SAFE_INTEGER) return yuanOfSafe(fen);
  const f = typeof fen === 'bigint' ? fen : BigInt(fen);
  if (f >= 0n && f <= BigInt(Number.MAX_SAFE_INTEGER)) return yuanOfSafe(Number(f));
  const neg = f < 0n;
  const a = neg ? -f : f;
  const s = `${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
  return neg ? `-${s}` : s;
}

/** Yuan (a decimal string with at most 2 places, >= 0) as fen, or null when it is not one. */
export function fenOf(s: string): bigint | null {
  const v = parseScaled(s.trim(), 2);
  return v < 0 ? null : BigInt(v);
}
