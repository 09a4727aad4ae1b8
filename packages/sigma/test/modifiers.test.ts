import { describe, expect, it } from 'vitest';
import { engineOf, hits, rule } from './helpers.js';

/** One selection, checked against positive and negative field sets. */
function check(selection: string, yes: Record<string, unknown>[], no: Record<string, unknown>[], opts = {}) {
  const e = engineOf(rule(selection), opts);
  expect(e.report.errors).toEqual([]);
  for (const f of yes) expect(hits(e, f), `should match ${JSON.stringify(f)}`).toBe(true);
  for (const f of no) expect(hits(e, f), `should not match ${JSON.stringify(f)}`).toBe(false);
}

describe('value modifiers (Sigma appendix)', () => {
  it('plain values: equality, case-insensitive; lists are OR, maps are AND', () => {
    check(
      "sel:\n  Image: 'C:\\Windows\\cmd.exe'\n  User: [alice, bob]",
      [{ Image: 'c:\\windows\\CMD.exe', User: 'BOB' }],
      [{ Image: 'c:\\windows\\cmd.exe', User: 'carol' }, { Image: 'x', User: 'bob' }, { User: 'bob' }],
    );
  });
  it('contains, startswith, endswith', () => {
    check(
      'sel:\n  CommandLine|contains: " -enc "',
      [{ CommandLine: 'powershell -ENC abc' }],
      [{ CommandLine: 'powershell -encoded' }],
    );
    check("sel:\n  Image|startswith: 'C:\\Users\\'", [{ Image: 'c:\\users\\x.exe' }], [{ Image: 'D:\\c:\\users\\' }]);
    check(
      "sel:\n  Image|endswith: '\\whoami.exe'",
      [{ Image: 'C:\\Windows\\System32\\WHOAMI.EXE' }],
      [{ Image: 'whoami.exe' }, { Image: 'C:\\whoami.exe.tmp' }],
    );
  });
  it('all: every value of the list', () => {
    check(
      'sel:\n  CommandLine|contains|all: [net, user, /add]',
      [{ CommandLine: 'net user bob /add' }],
      [{ CommandLine: 'net user bob' }],
    );
  });
  it('re with i, m and s flags; regular expressions are case-sensitive by default', () => {
    check(
      "sel:\n  CommandLine|re: 'Invoke-\\w+'",
      [{ CommandLine: 'x Invoke-Mimikatz' }],
      [{ CommandLine: 'x invoke-mimikatz' }],
    );
    check(
      "sel:\n  CommandLine|re|i: 'invoke-\\w+'",
      [{ CommandLine: 'x INVOKE-Mimikatz' }],
      [{ CommandLine: 'x invoke-' }],
    );
    check("sel:\n  Text|re|m: '^second$'", [{ Text: 'first\nsecond\nthird' }], [{ Text: 'first second' }]);
    check("sel:\n  Text|re: '^second$'", [{ Text: 'second' }], [{ Text: 'first\nsecond\nthird' }]);
    check("sel:\n  Text|re|s: 'a.b'", [{ Text: 'a\nb' }], [{ Text: 'ab' }]);
    check("sel:\n  Text|re: 'a.b'", [{ Text: 'axb' }], [{ Text: 'a\nb' }]);
    check("sel:\n  Text|re: '(?i)abc'", [{ Text: 'xABCx' }], [{ Text: 'ab' }]);
  });
  it('cidr, IPv4 and IPv6 (and IPv4-mapped IPv6)', () => {
    check(
      'sel:\n  DestinationIp|cidr: [10.0.0.0/8, "192.168.1.0/24"]',
      [{ DestinationIp: '10.1.2.3' }, { DestinationIp: '192.168.1.200' }, { DestinationIp: '::ffff:10.0.0.1' }],
      [
        { DestinationIp: '11.0.0.1' },
        { DestinationIp: '192.168.2.1' },
        { DestinationIp: 'not an ip' },
        { DestinationIp: 'fe80::1' },
      ],
    );
    check(
      'sel:\n  DestinationIp|cidr: "fe80::/10"',
      [{ DestinationIp: 'fe80::1' }, { DestinationIp: 'FEBF::abcd' }],
      [{ DestinationIp: 'fec0::1' }, { DestinationIp: '10.0.0.1' }],
    );
  });
  it('base64 and base64offset (with contains)', () => {
    check('sel:\n  CommandLine|base64: "cmd"', [{ CommandLine: 'Y21k' }], [{ CommandLine: 'cmd' }]);
    const enc = (s: string) => Buffer.from(s).toString('base64');
    check(
      'sel:\n  CommandLine|base64offset|contains: "http://"',
      [
        { CommandLine: `-e ${enc('x http://evil')}` },
        { CommandLine: enc('xx http://evil') },
        { CommandLine: enc('http://evil') },
      ],
      [{ CommandLine: enc('https://good') }],
    );
  });
  it('utf16le / wide / utf16be / utf16 with base64', () => {
    const le = (s: string) => Buffer.from(s, 'utf16le').toString('base64');
    check(
      'sel:\n  CommandLine|wide|base64offset|contains: "Invoke-"',
      [{ CommandLine: `powershell -enc ${le('IEX; Invoke-Expression')}` }],
      [{ CommandLine: `-enc ${Buffer.from('Invoke-').toString('base64')}` }],
    );
    check('sel:\n  CommandLine|utf16le|base64: "cmd"', [{ CommandLine: 'YwBtAGQA' }], [{ CommandLine: 'Y21k' }]);
    check('sel:\n  CommandLine|utf16be|base64: "cmd"', [{ CommandLine: 'AGMAbQBk' }], [{ CommandLine: 'YwBtAGQA' }]);
    check('sel:\n  CommandLine|utf16|base64: "cmd"', [{ CommandLine: '//5jAG0AZAA=' }], [{ CommandLine: 'YwBtAGQA' }]);
  });
  it('windash', () => {
    check(
      'sel:\n  CommandLine|windash|contains: " -exec bypass"',
      [
        { CommandLine: 'powershell /exec bypass' },
        { CommandLine: 'powershell \u2013exec bypass' },
        { CommandLine: 'powershell -exec bypass' },
      ],
      [{ CommandLine: 'powershell +exec bypass' }],
    );
  });
  it('exists', () => {
    check('sel:\n  PasswordLastSet|exists: true', [{ PasswordLastSet: '' }, { PasswordLastSet: null }], [{ Other: 1 }]);
    check('sel:\n  PasswordLastSet|exists: false', [{ Other: 1 }], [{ PasswordLastSet: 'x' }]);
  });
  it('cased', () => {
    check(
      'sel:\n  CommandLine|cased|contains: "FromBase64"',
      [{ CommandLine: 'x FromBase64String' }],
      [{ CommandLine: 'x frombase64string' }],
    );
  });
  it('neq: the field differs from every value', () => {
    check('sel:\n  User|neq: [SYSTEM, admin]', [{ User: 'bob' }], [{ User: 'system' }, { User: 'ADMIN' }]);
    check('sel:\n  Port|neq: 443', [{ Port: 80 }], [{ Port: 443 }, { Port: '443' }]);
  });
  it('lt, lte, gt, gte on numbers and numeric strings', () => {
    check('sel:\n  Bytes|gt: 1000', [{ Bytes: 1001 }, { Bytes: '5000' }], [{ Bytes: 1000 }, { Bytes: 'many' }, {}]);
    check('sel:\n  Bytes|gte: 1000', [{ Bytes: 1000 }], [{ Bytes: 999.5 }]);
    check('sel:\n  Bytes|lt: 10', [{ Bytes: 9 }, { Bytes: -1 }], [{ Bytes: 10 }]);
    check('sel:\n  Bytes|lte: 10', [{ Bytes: 10 }], [{ Bytes: 11 }]);
  });
  it('fieldref (with neq, and with contains)', () => {
    check(
      'sel:\n  TargetFilename|fieldref: Image',
      [{ TargetFilename: 'C:\\a.exe', Image: 'c:\\A.EXE' }],
      [{ TargetFilename: 'C:\\a.exe', Image: 'C:\\b.exe' }, { TargetFilename: 'x' }],
    );
    check('sel:\n  User|fieldref|neq: ParentUser', [{ User: 'a', ParentUser: 'b' }], [{ User: 'a', ParentUser: 'A' }]);
    check(
      'sel:\n  CommandLine|fieldref|contains: Image',
      [{ CommandLine: '"c:\\x.exe" -a', Image: 'c:\\x.exe' }],
      [{ CommandLine: 'y', Image: 'c:\\x.exe' }],
    );
  });
  it('expand with configured placeholders (values may hold wildcards)', () => {
    check(
      'sel:\n  User|expand: "%Administrators%"',
      [{ User: 'root' }, { User: 'adm_bob' }],
      [{ User: 'bob' }, { User: '%Administrators%' }],
      { placeholders: { Administrators: ['root', 'adm_*'] } },
    );
    check('sel:\n  User: "%Administrators%"', [{ User: '%administrators%' }], [{ User: 'root' }], {
      placeholders: { Administrators: ['root'] },
    });
  });
  it('time modifiers: minute, hour, day, week, month, year', () => {
    const t = '2024-03-15T22:45:10Z'; // a Friday, ISO week 11
    check('sel:\n  EventTime|hour|gte: 20', [{ EventTime: t }], [{ EventTime: '2024-03-15T08:00:00Z' }]);
    check('sel:\n  EventTime|minute: 45', [{ EventTime: t }], [{ EventTime: '2024-03-15T22:44:10Z' }]);
    check('sel:\n  EventTime|day: 15', [{ EventTime: t }], [{ EventTime: '2024-03-16T00:00:00Z' }]);
    check('sel:\n  EventTime|week: 11', [{ EventTime: t }], [{ EventTime: '2024-03-25T00:00:00Z' }]);
    check('sel:\n  EventTime|month: 3', [{ EventTime: t }], [{ EventTime: '2024-04-01T00:00:00Z' }]);
    check(
      'sel:\n  EventTime|year: [2023, 2024]',
      [{ EventTime: t }, { EventTime: '2023-01-01 10:00:00.000' }],
      [{ EventTime: '2025-01-01T00:00:00Z' }, { EventTime: 'never' }],
    );
    check('sel:\n  EventTime|hour: 22', [{ EventTime: Date.parse(t) }], [{ EventTime: Date.parse(t) + 3_600_000 }]);
  });
  it('null and empty values', () => {
    check('sel:\n  CommandLine: null', [{}, { CommandLine: null }], [{ CommandLine: '' }, { CommandLine: 'x' }]);
    check("sel:\n  CommandLine: ''", [{ CommandLine: '' }], [{ CommandLine: 'x' }, {}]);
  });
  it('numbers and booleans match their text too; lists in events match when any element matches', () => {
    check('sel:\n  EventID: 4688', [{ EventID: 4688 }, { EventID: '4688' }], [{ EventID: 46880 }, { EventID: '4689' }]);
    check('sel:\n  Enabled: true', [{ Enabled: true }, { Enabled: 'True' }], [{ Enabled: false }]);
    check('sel:\n  Tags|contains: evil', [{ Tags: ['good', 'very-evil'] }], [{ Tags: ['good'] }]);
    check("sel:\n  Status: '0xC000006D'", [{ Status: '0xc000006d' }], [{ Status: 3221225581 }]);
    check('sel:\n  Status: 0xC000006D', [{ Status: '0xc000006d' }], [{ Status: '0xc000006e' }]);
  });
  it('nested fields by dotted name', () => {
    check(
      'sel:\n  http.response.status_code: 500',
      [{ http: { response: { status_code: 500 } } }, { 'http.response.status_code': 500 }],
      [{ http: { response: { status_code: 200 } } }],
    );
  });
  it('keyword searches: values without field names, substrings of any string value', () => {
    const e = engineOf(
      "title: k\nid: k\nlogsource: {product: test}\ndetection:\n  keywords:\n    - 'event::clear'\n    - 'Invoke-Mimikatz'\n  condition: keywords",
    );
    expect(hits(e, { msg: 'running EVENT::CLEAR now' })).toBe(true);
    expect(hits(e, { nested: { deep: ['x invoke-mimikatz'] } })).toBe(true);
    expect(hits(e, { msg: 'event clear' })).toBe(false);
    const all = engineOf(
      "title: k\nid: k\nlogsource: {product: test}\ndetection:\n  keywords:\n    '|all':\n      - OabVirtualDirectory\n      - ' -ExternalUrl '\n  condition: keywords",
    );
    expect(hits(all, { a: 'Set-OabVirtualDirectory -ExternalUrl http://x' })).toBe(true);
    expect(hits(all, { a: 'Set-OabVirtualDirectory' })).toBe(false);
  });
});
