import { describe, expect, it } from 'vitest';
import { RecordCounter } from '../../platform/json-body.js';
import { hasUnicodeEscape, splitRecords, type JsonRecord } from './json-records.js';

const limits = { lineLimitBytes: 200, maxDepth: 5 };
const split = (body: string | Buffer) => splitRecords(Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'), limits);
const good = (rs: JsonRecord[]) => rs.filter((r) => 'value' in r).map((r) => ('value' in r ? r.value : null));
const bad = (rs: JsonRecord[]) => rs.filter((r) => 'reason' in r);

describe('splitting an ingest body into records', () => {
  it('reads NDJSON line by line, numbering lines as the sender counts them and skipping blank ones', () => {
    const rs = split('{"a":1}\r\n\n  \n{"a":2}\nnot json\n[1,2]\n"text"\nnull\n{"a":3}');
    expect(good(rs)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(bad(rs)).toEqual([
      { line: 5, reason: expect.stringMatching(/^not valid JSON/) },
      { line: 6, reason: 'not a JSON object' },
      { line: 7, reason: 'not a JSON object' },
      { line: 8, reason: 'not a JSON object' },
    ]);
    expect(rs.find((r) => 'value' in r && r.value.a === 3)!.line).toBe(9);
  });

  it('reads a JSON array element by element, so a broken element costs only itself', () => {
    const rs = split('\uFEFF [ {"a":1}, {"a": tru}, 7, {"s":"a,]}\\"{"} , {"a":2} ]  ');
    expect(good(rs)).toEqual([{ a: 1 }, { s: 'a,]}"{' }, { a: 2 }]);
    expect(bad(rs).map((r) => r.line)).toEqual([2, 3]);
  });

  it('reports an array cut short, trailing garbage and empty elements', () => {
    expect(split('[{"a":1},{"a":2}')).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 2, value: { a: 2 } },
      { line: 3, reason: 'the array is not closed: the body ends early' },
    ]);
    expect(bad(split('[{"a":1}] {"b":2}'))).toEqual([{ line: 2, reason: 'unexpected content after the closing ]' }]);
    expect(bad(split('[,{"a":1}]'))).toEqual([{ line: 1, reason: 'an empty element' }]);
    expect(split('[]')).toEqual([]);
  });

  it('refuses an empty object: an event needs at least one field', () => {
    expect(split('{}\n { }\n{"a":{}}')).toEqual([
      { line: 1, reason: 'an empty object: an event needs at least one field' },
      { line: 2, reason: 'an empty object: an event needs at least one field' },
      { line: 3, value: { a: {} } },
    ]);
    expect(bad(split('[{},{"a":1}]'))).toEqual([
      { line: 1, reason: 'an empty object: an event needs at least one field' },
    ]);
  });

  it('refuses records nested too deep, too large, not UTF-8, or with a __proto__ key', () => {
    const deep = `${'{"a":'.repeat(6)}1${'}'.repeat(6)}`;
    const ok = `${'{"a":'.repeat(5)}1${'}'.repeat(5)}`;
    expect(split(`${deep}\n${ok}`)).toEqual([
      { line: 1, reason: 'nested deeper than 5 levels' },
      { line: 2, value: expect.any(Object) },
    ]);
    expect(bad(split(`[${deep}, ${ok}]`))).toEqual([{ line: 1, reason: 'nested deeper than 5 levels' }]);
    // Brackets inside strings are not nesting.
    expect(good(split(`{"a":"${'['.repeat(50)}"}`))).toHaveLength(1);

    const huge = `{"a":"${'x'.repeat(300)}"}`;
    expect(bad(split(`${huge}\n{"b":1}`))).toEqual([
      { line: 1, reason: expect.stringMatching(/^too large: 308 bytes; the limit is 200/) },
    ]);

    const latin1 = Buffer.concat([
      Buffer.from('{"name":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}\n{"name":"café 中文"}'),
    ]);
    expect(split(latin1)).toEqual([
      { line: 1, reason: 'not valid UTF-8' },
      { line: 2, value: { name: 'café 中文' } },
    ]);

    const proto = split(
      '{"__proto__":{"admin":true}}\n{"a":{"b":[{"__proto__":1}]}}\n{"x":"__proto__"}\n' +
        // The same key with escaped characters, which JSON.parse reads as "__proto__" all the same.
        '{"\\u005f_proto__":{"admin":true}}\n{"a":{"__pr\\u006fto\\u005f\\u005f":1}}\n{"x":"caf\\u00e9"}',
    );
    expect(bad(proto)).toEqual([
      { line: 1, reason: 'the key "__proto__" is not allowed' },
      { line: 2, reason: 'the key "__proto__" is not allowed' },
      { line: 4, reason: 'the key "__proto__" is not allowed' },
      { line: 5, reason: 'the key "__proto__" is not allowed' },
    ]);
    expect(good(proto)).toEqual([{ x: '__proto__' }, { x: 'café' }]);

    // An escaped backslash before a letter u (a Windows path) is not a \u escape, and does not hide
    // a real one further on.
    const paths = split(
      String.raw`{"p":"C:\\users\\u00012","k":"\\u005f_proto__"}` +
        '\n' +
        String.raw`{"p":"C:\\users","\u005f_proto__":1}`,
    );
    expect(good(paths)).toEqual([{ p: String.raw`C:\users\u00012`, k: String.raw`\u005f_proto__` }]);
    expect(bad(paths)).toEqual([{ line: 2, reason: 'the key "__proto__" is not allowed' }]);
  });

  it('tells a \\u escape from an escaped backslash followed by u', () => {
    expect(hasUnicodeEscape(String.raw`"caf\u00e9"`)).toBe(true);
    expect(hasUnicodeEscape(String.raw`"C:\\users"`)).toBe(false);
    expect(hasUnicodeEscape(String.raw`"C:\\\u0075sers"`)).toBe(true);
    expect(hasUnicodeEscape(String.raw`"\\\\u"`)).toBe(false);
    expect(hasUnicodeEscape(String.raw`"C:\\users\\x\u005f"`)).toBe(true);
    expect(hasUnicodeEscape('"plain"')).toBe(false);
  });

  it('survives 100,000 levels of brackets without recursion', () => {
    const rs = split(`${'['.repeat(100_000)}`);
    expect(rs.length).toBeGreaterThan(0);
    expect(good(rs)).toEqual([]);
  });
});

describe('the byte counter ingest refuses too many events with (platform/json-body.ts)', () => {
  const count = (body: string, piece: number) => {
    const buf = Buffer.from(body, 'utf8');
    const c = new RecordCounter('records');
    if (piece === 0) c.push(buf);
    else for (let i = 0; i < buf.length; i += piece) c.push(buf.subarray(i, i + piece));
    return c.count;
  };
  const bodies = [
    '{"a":1}\n{"b":2}\n',
    '\n\n  \r\n{"a":1}\r\n\r\n{"b":"x\\ny"}\n   \n{}',
    '\uFEFF{"a":1}\n{"a":2}',
    'not json\n[1,2]\n{"a":[{"b":"}"}]}\n',
    '[]',
    '  [ {"a":1} , {"b":[1,2,{"c":"],["}]}, "s,t", 3 ,[4,5] ]  ',
    '[{"q":"a\\"],[\\\\"}, {"r":1}]',
    '[,]',
    '[{"a":1},]',
  ];

  it('finds as many records as the splitter will, whatever pieces the bytes come in', () => {
    for (const body of bodies) {
      const expected = split(body).length;
      for (const piece of [0, 1, 2, 3, 7])
        expect(count(body, piece), `${JSON.stringify(body)} in pieces of ${piece}`).toBe(expected);
    }
  });

  it("counts the elements of an array cut short, not the splitter's note that it was (never an event)", () => {
    expect(split('[{"a":1}, {"b": ')).toHaveLength(3);
    expect(count('[{"a":1}, {"b": ', 0)).toBe(2);
  });
});
