import { describe, expect, it } from 'vitest';
import { ACCOUNT_FIELDS, fieldPicker, fieldValue, IP_FIELDS } from './event-fields.js';

/** What the picker must answer: each list's first name, in list order, whose value `convert` takes. */
function reference<T>(lists: readonly (readonly string[])[], convert: (v: unknown) => T | null) {
  return (fields: Record<string, unknown>) =>
    lists.map((names) => {
      for (const n of names) {
        const c = convert(fieldValue(fields, n));
        if (c !== null) return c;
      }
      return null;
    });
}

const text = (v: unknown) => {
  const s = typeof v === 'string' ? v.trim() : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
  return s || null;
};

const LISTS = [ACCOUNT_FIELDS, IP_FIELDS, ['event.action', 'action', 'event'], ['event.outcome', 'result']];

const EVENTS: Record<string, unknown>[] = [
  { user: 'A1', src_ip: '10.0.0.1', action: 'login' },
  // Several names of a list: the earlier in the list wins, whatever the key order of the event.
  { username: 'late', User: 'early', ip: '10.0.0.9', SourceIp: '10.0.0.2' },
  // ECS nested and dotted: the nested path is walked…
  { user: { name: 'nested' }, source: { ip: '10.0.0.3' }, event: { action: 'logon', outcome: 'success' } },
  // …but a key named like the whole path is read as that name, and an empty one is not walked past.
  { 'user.name': '  ', user: { name: 'hidden' }, 'event.action': 'flat', event: { action: 'nested' } },
  { 'user.name': 'flat', user: { name: 'nested' } },
  // Values that are not text: objects, arrays, null; numbers and booleans are written out.
  { User: { first: 'x' }, user: ['a', 'b'], username: null, account: 12345, src_ip: '', dst_ip: '10.0.0.4' },
  { event: 'login', result: true },
  { event: { action: ['x'] }, action: 'order' },
  { 'id.orig_h': '10.0.0.5', id: { resp_h: '10.0.0.6' } },
  // Nothing of any list.
  { message: 'hello', host: 'web-1' },
  {},
];

describe('fieldPicker', () => {
  const pick = fieldPicker(LISTS, text);
  const ref = reference(LISTS, text);

  it('answers what reading every name of every list in order (fieldValue) answers', () => {
    for (const e of EVENTS) expect(pick(e), JSON.stringify(e)).toEqual(ref(e));
  });

  it('reads the earlier name of a list even when the event holds a later one first', () => {
    expect(pick({ username: 'late', User: 'early' })[0]).toBe('early');
    expect(pick({ 'user.name': '  ', user: { name: 'hidden' } })[0]).toBeNull();
    expect(pick({ user: { name: 'nested' }, event: { action: 'logon' } })).toEqual(['nested', null, 'logon', null]);
  });

  it('reads own keys only, as fieldValue does', () => {
    const inherited = Object.create({ user: 'from-prototype' }) as Record<string, unknown>;
    inherited.src_ip = '10.0.0.7';
    expect(pick(inherited)).toEqual(ref(inherited));
    expect(pick(inherited)[0]).toBeNull();
    const parsed = JSON.parse('{"__proto__": {"user": "x"}, "account": "A2"}') as Record<string, unknown>;
    expect(pick(parsed)).toEqual(ref(parsed));
  });
});
