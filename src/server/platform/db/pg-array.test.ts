import { describe, expect, it } from 'vitest';
import { arrayLiteral, joinArrayLiterals, parseArrayLiteral } from './pg-array.js';

describe('PostgreSQL array literals', () => {
  it('carry quotes, backslashes, commas, braces, NULL and the word NULL through a round trip', () => {
    const values = ['a"b', 'c\\d', null, 'NULL', '', ' x ', '中文,{}', undefined];
    const literal = arrayLiteral(values);
    expect(literal).toBe('{"a\\"b","c\\\\d",NULL,"NULL",""," x ","中文,{}",NULL}');
    expect(parseArrayLiteral(literal)).toEqual(['a"b', 'c\\d', null, 'NULL', '', ' x ', '中文,{}', null]);
    expect(parseArrayLiteral(arrayLiteral([1733500000123, null]), Number)).toEqual([1733500000123, null]);
  });

  it('join in order, empty ones adding nothing', () => {
    const a = arrayLiteral(['a', null]);
    const b = arrayLiteral(['b,c']);
    expect(joinArrayLiterals([a])).toBe(a);
    expect(parseArrayLiteral(joinArrayLiterals([a, arrayLiteral([]), b]))).toEqual(['a', null, 'b,c']);
    expect(joinArrayLiterals([arrayLiteral([]), arrayLiteral([])])).toBe('{}');
  });
});
