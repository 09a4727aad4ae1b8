import { describe, expect, it } from 'vitest';
import { parseCondition } from '../src/condition.js';
import { engineOf, hits } from './helpers.js';

const sels = `  sel_a: {A: 1}\n  sel_b: {B: 1}\n  filter_x: {X: 1}\n  _hidden: {H: 1}\n`;
const engineFor = (condition: string) =>
  engineOf(`title: c\nid: c\nlogsource: {product: test}\ndetection:\n${sels}  condition: ${condition}\n`);

/** The condition over every combination of A, B, X, H (1 or absent) equals `expected`. */
function truthTable(condition: string, expected: (v: { A: boolean; B: boolean; X: boolean; H: boolean }) => boolean) {
  const e = engineFor(condition);
  expect(e.report.errors).toEqual([]);
  for (let m = 0; m < 16; m++) {
    const v = { A: !!(m & 1), B: !!(m & 2), X: !!(m & 4), H: !!(m & 8) };
    const fields = Object.fromEntries(
      Object.entries(v)
        .filter(([, on]) => on)
        .map(([k]) => [k, 1]),
    );
    expect(hits(e, fields), `${condition} with ${JSON.stringify(v)}`).toBe(expected(v));
  }
}

describe('condition grammar', () => {
  it('and, or, not with precedence or < and < not', () => {
    truthTable('sel_a or sel_b and not filter_x', (v) => v.A || (v.B && !v.X));
    truthTable('not sel_a and sel_b', (v) => !v.A && v.B);
    truthTable('not not sel_a', (v) => v.A);
  });
  it('brackets', () => {
    truthTable('(sel_a or sel_b) and not filter_x', (v) => (v.A || v.B) && !v.X);
    truthTable('not (sel_a or (sel_b and filter_x))', (v) => !(v.A || (v.B && v.X)));
  });
  it('1 of / all of patterns, them (without _ identifiers), any of, N of', () => {
    truthTable('1 of sel_*', (v) => v.A || v.B);
    truthTable('all of sel_*', (v) => v.A && v.B);
    truthTable('1 of sel_* and not 1 of filter_*', (v) => (v.A || v.B) && !v.X);
    truthTable('1 of them', (v) => v.A || v.B || v.X);
    truthTable('all of them', (v) => v.A && v.B && v.X);
    truthTable('any of sel*', (v) => v.A || v.B);
    truthTable('2 of them', (v) => Number(v.A) + Number(v.B) + Number(v.X) >= 2);
    truthTable('_hidden', (v) => v.H);
  });
  it('a list of conditions is OR', () => {
    const e = engineOf(
      `title: c\nid: c\nlogsource: {product: test}\ndetection:\n${sels}  condition:\n    - sel_a\n    - sel_b\n`,
    );
    expect(hits(e, { A: 1 })).toBe(true);
    expect(hits(e, { B: 1 })).toBe(true);
    expect(hits(e, { X: 1 })).toBe(false);
  });
  it('rejects broken conditions with a reason', () => {
    expect(() => parseCondition('sel and')).toThrow(/expected a search identifier at the end/);
    expect(() => parseCondition('(sel')).toThrow(/expected '\)'/);
    expect(() => parseCondition('sel)')).toThrow(/unexpected token/);
    expect(() => parseCondition('sel | count() > 5')).toThrow(/correlation/);
    expect(() => parseCondition('3 off sel')).toThrow(/unexpected/);
    for (const [cond, why] of [
      ['nope', /not a search identifier/],
      ['1 of nothing_*', /matches no search identifier/],
      ['sel_a near sel_b', /near/],
    ] as const) {
      expect(engineFor(cond).report.errors[0]?.reason).toMatch(why);
    }
  });
});
