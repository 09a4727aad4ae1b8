import { describe, expect, it } from 'vitest';
import {
  ANY,
  ONE,
  base64,
  base64offset,
  compileStringTest,
  parseSigmaString,
  utf16,
  windash,
  wrapWildcards,
} from '../src/sigma-string.js';

const t = (raw: string, v: string, cased = false) =>
  compileStringTest(parseSigmaString(raw), cased)(cased ? v : v.toLowerCase());

describe('Sigma strings', () => {
  it('parses wildcards and escapes as the spec says', () => {
    expect(parseSigmaString('a*b?c').parts).toEqual(['a', ANY, 'b', ONE, 'c']);
    expect(parseSigmaString('a\\*b').parts).toEqual(['a*b']);
    expect(parseSigmaString('a\\?b').parts).toEqual(['a?b']);
    // \\* : a backslash, then a wildcard
    expect(parseSigmaString('a\\\\*').parts).toEqual(['a\\', ANY]);
    // \\\* : a backslash and a plain star
    expect(parseSigmaString('a\\\\\\*').parts).toEqual(['a\\*']);
    // a plain backslash before anything else stays
    expect(parseSigmaString('C:\\Windows\\cmd.exe').parts).toEqual(['C:\\Windows\\cmd.exe']);
    expect(parseSigmaString('\\\\\\\\').parts).toEqual(['\\\\']);
  });

  it('matches wildcards, case-insensitively by default', () => {
    expect(t('*\\cmd.exe', 'C:\\Windows\\System32\\CMD.EXE')).toBe(true);
    expect(t('*\\cmd.exe', 'C:\\Windows\\System32\\cmd.exe.bak')).toBe(false);
    expect(t('prog?.exe', 'progA.exe')).toBe(true);
    expect(t('prog?.exe', 'prog.exe')).toBe(false);
    expect(t('prog?.exe', 'progAB.exe')).toBe(false);
    expect(t('a*b*c', 'aXXbYYc')).toBe(true);
    expect(t('a*b*c', 'aXXcYYb')).toBe(false);
    expect(t('*a?c*', 'zzabczz')).toBe(true);
    expect(t('*a?c*', 'zzaczz')).toBe(false);
    expect(t('ab*ba', 'aba')).toBe(false);
    expect(t('ab*ba', 'abba')).toBe(true);
    expect(t('*', '')).toBe(true);
    expect(t('', '')).toBe(true);
    expect(t('', 'x')).toBe(false);
    expect(t('a\\*b', 'a*b')).toBe(true);
    expect(t('a\\*b', 'aXb')).toBe(false);
    expect(t('What', 'what', true)).toBe(false);
    expect(t('What', 'What', true)).toBe(true);
  });

  it('windash makes every flag dash each of - / – — ―, not dashes inside words', () => {
    const vs = windash(wrapWildcards(parseSigmaString(' -enc '), true, true)).map((s) => s.parts.join('|'));
    expect(vs).toHaveLength(5);
    expect(vs).toContain('0| /enc |0');
    expect(vs).toContain('0| \u2015enc |0');
    expect(windash(parseSigmaString('a-b'))).toHaveLength(1);
    expect(windash(parseSigmaString('-a -b'))).toHaveLength(25);
  });

  it('encodes base64, base64offset and utf16 like pySigma', () => {
    expect(base64(parseSigmaString('cmd')).parts).toEqual(['Y21k']);
    // the three offsets of "http://" as pySigma documents them
    expect(base64offset(parseSigmaString('http://')).map((s) => s.parts[0])).toEqual([
      'aHR0cDovL',
      'h0dHA6Ly',
      'odHRwOi8v',
    ]);
    expect(utf16(parseSigmaString('cmd'), 'le').parts).toEqual(['c\0m\0d\0']);
    expect(utf16(parseSigmaString('cmd'), 'be').parts).toEqual(['\0c\0m\0d']);
    expect(utf16(parseSigmaString('cmd'), 'bom').parts).toEqual(['\xff\xfec\0m\0d\0']);
    expect(base64(utf16(parseSigmaString('cmd'), 'le')).parts).toEqual(['YwBtAGQA']);
    expect(() => base64(parseSigmaString('a*'))).toThrow(/wildcards/);
  });
});
