/**
 * PostgreSQL array literals (`{"a","b",NULL}`): the text node-postgres sends for an array parameter,
 * built with its own serialiser wherever the values are (a worker thread, say), so that the thread
 * that sends the statement has no work per element left — joined there, and read back with
 * postgres-array (what pg-types reads array columns with).
 */
import pgUtils from 'pg/lib/utils.js';
import { parse } from 'postgres-array';

/** The literal node-postgres would send for `values` (null and undefined elements: NULL). */
export function arrayLiteral(values: readonly unknown[]): string {
  return pgUtils.prepareValue(values) as string;
}

/** One literal holding the elements of each, in order. */
export function joinArrayLiterals(literals: readonly string[]): string {
  if (literals.length === 1) return literals[0]!;
  const inner: string[] = [];
  for (const l of literals) if (l.length > 2) inner.push(l.slice(1, -1));
  return `{${inner.join(',')}}`;
}

/** The elements of a one-dimensional literal (NULL: null), each through `transform` when given. */
export function parseArrayLiteral(literal: string): (string | null)[];
export function parseArrayLiteral<T>(literal: string, transform: (value: string) => T): (T | null)[];
export function parseArrayLiteral<T>(literal: string, transform?: (value: string) => T): (T | string | null)[] {
  return transform ? parse(literal, transform) : parse(literal);
}
