import { describe, expect, it } from 'vitest';
import { compileSafeRegex } from '../src/safe-regex.js';

describe('safe regular expressions', () => {
  it('refuses nested unbounded quantifiers and unsupported features at compile time', () => {
    for (const p of ['(a+)+$', '(.*a){1,}x', '(\\w+\\s?)*$', '(a|aa)*b'])
      expect(() => compileSafeRegex(p, { maxSubject: 1000 }), p).toThrow(/catastrophic/);
    expect(() => compileSafeRegex('(a)\\1', { maxSubject: 1000 })).toThrow(/back-references/);
    expect(() => compileSafeRegex('(?=a)b', { maxSubject: 1000 })).toThrow(/look-arounds/);
    expect(() => compileSafeRegex('a{2,1}', { maxSubject: 1000 })).toThrow(/out of order/);
  });

  it('accepts counted nesting (run by the linear engine)', () => {
    const r = compileSafeRegex('-(W|R)\\s?(\\s|"|\')([0-9a-fA-F]{2}\\s?){2,20}(\\s|"|\')', { maxSubject: 1000 });
    expect(r.test('pnscan -W "aa bb cc"')).toBe(true);
    expect(r.test('pnscan -W "zz"')).toBe(false);
  });

  it('the linear engine agrees with V8 on long subjects', () => {
    const cases: [string, string, { i?: boolean; m?: boolean; s?: boolean }][] = [
      ['\\s-enc\\s', `${'x'.repeat(5000)} -enc `, {}],
      ['cmd.*/c.*echo', `cmd ${'a'.repeat(5000)} /c echo`, {}],
      ['cmd.*/c.*echo', `cmd ${'a'.repeat(5000)} /c ech`, {}],
      ['^foo$', `${'x'.repeat(3000)}\nfoo\n`, { m: true }],
      ['^foo$', `${'x'.repeat(3000)}\nfoo\n`, {}],
      ['INVOKE-\\w+', `${'y'.repeat(4000)}invoke-expression`, { i: true }],
      ['a.b', `${'z'.repeat(4000)}a\nb`, { s: true }],
      ['\\bword\\b', `${'z'.repeat(4000)} word.`, {}],
      ['[^\\\\]+\\.exe$', `c:\\${'d'.repeat(4000)}.exe`, {}],
      ['(?:ab|cd){2,3}x', `${'q'.repeat(4000)}abcdx`, {}],
    ];
    for (const [p, s, f] of cases) {
      const safe = compileSafeRegex(p, { ...f, maxSubject: 100_000 });
      const v8 = new RegExp(p, `${f.i ? 'i' : ''}${f.m ? 'm' : ''}${f.s ? 's' : ''}`);
      expect(safe.test(s), `${p}`).toBe(v8.test(s));
    }
  });

  it('an adversarial subject cannot make a polynomial pattern hang', () => {
    const r = compileSafeRegex('.+:assumed-role/aws:.+x.*y.*z', { maxSubject: 32_768 });
    const t = performance.now();
    expect(r.test(':assumed-role/aws:'.repeat(1800))).toBe(false);
    expect(performance.now() - t).toBeLessThan(2000);
  });

  it('caps the subject length', () => {
    const r = compileSafeRegex('needle', { maxSubject: 100 });
    expect(r.test(`${'x'.repeat(50)}needle`)).toBe(true);
    expect(r.test(`${'x'.repeat(200)}needle`)).toBe(false);
  });
});
