import { describe, expect, it } from 'vitest';
import { flattenEvtx } from '../src/evtx.js';
import { ShapedRecords } from '../src/shaped-record.js';

/** What `out[k] = v` in order gives: the reference the shaped records must equal. */
function plain(pairs: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of pairs) out[k] = v;
  return out;
}

function built(r: ShapedRecords, pairs: [string, unknown][]): Record<string, unknown> {
  for (const [k, v] of pairs) r.put(k, v);
  return r.build();
}

describe('shaped records', () => {
  it('give the same keys, order and values as assigning them one by one, for every record of a shape', () => {
    const r = new ShapedRecords();
    const shapes: [string, unknown][][] = [
      [
        ['EventID', 1],
        ['Computer', 'WS-1'],
        ['Image', 'C:\\a.exe'],
        ['CommandLine', 'a -x'],
      ],
      [
        ['EventID', 4],
        ['Computer', 'WS-2'],
        ['Image', 'C:\\b.exe'],
        ['CommandLine', 'b'],
      ],
      [
        ['b', 1],
        ['a', 2],
        ['b', 3],
        ['10', 'ten'],
        ['2', 'two'],
      ],
      [
        ['Data', ['x', 'y']],
        ['Data', null],
      ],
      [],
    ];
    for (let round = 0; round < 3; round++)
      for (const pairs of shapes) {
        const got = built(r, pairs);
        expect(Object.entries(got)).toEqual(Object.entries(plain(pairs)));
      }
  });

  it('builds a new object every time, and keeps no reference to the values it was given', () => {
    const r = new ShapedRecords();
    const a = built(r, [['k', { big: 1 }]]);
    const b = built(r, [['k', 2]]);
    expect(a).not.toBe(b);
    expect(a).toEqual({ k: { big: 1 } });
    expect((r as unknown as { values: unknown[] }).values.every((v) => v === undefined)).toBe(true);
  });

  it('never turns "__proto__" into a prototype and keeps building past the remembered shapes', () => {
    const r = new ShapedRecords();
    const p = built(r, [
      ['__proto__', { polluted: true }],
      ['a', 1],
    ]);
    expect(Object.getPrototypeOf(p)).toBe(Object.prototype);
    expect(Object.keys(p)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (let i = 0; i < 600; i++) expect(built(r, [[`k${i}`, i]])).toEqual({ [`k${i}`]: i });
  });

  it('flattens evtx_dump events the same whichever record of their shape they are', () => {
    const event = (n: number) => ({
      Event: {
        System: { Provider: { '#attributes': { Name: 'Sysmon' } }, EventID: 1, Computer: `WS-${n}` },
        EventData: {
          Image: `C:\\p${n}.exe`,
          'Parent Image': 'x',
          Data: [{ '#attributes': { Name: 'Extra' }, '#text': n }],
        },
      },
    });
    for (let n = 0; n < 3; n++)
      expect(Object.entries(flattenEvtx(event(n)))).toEqual(
        Object.entries({
          Provider_Name: 'Sysmon',
          EventID: 1,
          Computer: `WS-${n}`,
          Image: `C:\\p${n}.exe`,
          ParentImage: 'x',
          Extra: n,
        }),
      );
  });
});
