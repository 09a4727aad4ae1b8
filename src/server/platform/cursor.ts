/**
 * Opaque cursors of keyset-paginated lists: the sort key of the last item handed out, as base64url
 * JSON, checked strictly on the way back in (a forged cursor must not reach the store as a float, an
 * out-of-range bigint or a NUL in text: PostgreSQL answers those with an error, not an empty page).
 */
import { invalid } from './errors.js';

/** `int`: a safe integer; `id`: a string of at most 64 characters; `text`: at most 1000. No NUL in either. */
type Part = 'int' | 'id' | 'text';
type Value<P extends Part> = P extends 'int' ? number : string;
type Values<T extends readonly Part[]> = { [K in keyof T]: Value<T[K]> };

/** The problem every list answers to a cursor it did not hand out (400, `cursor.invalid`). */
export const invalidCursor = () =>
  invalid(
    'cursor is not one this server handed out',
    [{ path: 'cursor', message: 'invalid cursor', code: 'invalid_cursor' }],
    { code: 'cursor.invalid' },
  );

const fits = (part: Part, v: unknown): boolean =>
  part === 'int'
    ? Number.isSafeInteger(v)
    : typeof v === 'string' && v.length <= (part === 'id' ? 64 : 1000) && !v.includes('\u0000');

/** A codec for cursors made of `shape`'s parts, in order. */
export function cursorCodec<const T extends readonly Part[]>(shape: T) {
  return {
    encode: (values: Values<T>): string => Buffer.from(JSON.stringify(values)).toString('base64url'),
    /** The parts of `cursor`; throws `invalidCursor()` for anything this codec did not write. */
    decode(cursor: string): Values<T> {
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString());
      } catch {
        throw invalidCursor();
      }
      if (!Array.isArray(parsed) || parsed.length !== shape.length || !shape.every((p, i) => fits(p, parsed[i])))
        throw invalidCursor();
      return parsed as Values<T>;
    },
  };
}
