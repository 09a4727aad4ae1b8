import { describe, expect, it } from 'vitest';
import { readJsonValues, toDetectionEvent } from '../src/event-files.js';
import { flattenEvtx } from '../src/evtx.js';
import { parseMappingText } from '../src/mapping.js';
import { engineOf, ev } from './helpers.js';

const MAPPING = `
logsources:
  process_creation_1:
    category: process_creation
    product: windows
    conditions: {EventID: 1}
    rewrite: {product: windows, service: sysmon}
  process_creation_2:
    category: process_creation
    product: windows
    conditions: {EventID: 4688}
    rewrite: {product: windows, service: security}
    fieldmappings: {Image: NewProcessName}
  windows-sysmon:
    product: windows
    service: sysmon
    sources: ['WinEventLog:Microsoft-Windows-Sysmon/Operational']
  windows-security:
    product: windows
    service: security
    sources: ['WinEventLog:Security']
`;
const whoami =
  "title: whoami\nid: w1\nlogsource: {category: process_creation, product: windows}\ndetection:\n  sel:\n    Image|endswith: '\\whoami.exe'\n  condition: sel\nlevel: high\ntags: [attack.discovery]\n";
const sysmonAny =
  'title: any sysmon\nid: s1\nlogsource: {product: windows, service: sysmon}\ndetection:\n  sel: {EventID: 1}\n  condition: sel\n';

describe('log sources and mapping', () => {
  const mapping = parseMappingText(MAPPING);
  const win = (fields: Record<string, unknown>) => ev(fields, { product: 'windows' });

  it('routes Windows events by Channel and EventID, with field renames per log source', () => {
    const e = engineOf([whoami, sysmonAny], { mapping });
    const sysmon = win({
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      EventID: 1,
      Image: 'C:\\Windows\\System32\\whoami.exe',
    });
    const security = win({ Channel: 'Security', EventID: 4688, NewProcessName: 'C:\\Windows\\System32\\whoami.exe' });
    const wrongChannel = win({ Channel: 'Application', EventID: 1, Image: 'C:\\Windows\\System32\\whoami.exe' });
    const wrongId = win({ Channel: 'Security', EventID: 4689, NewProcessName: 'C:\\Windows\\System32\\whoami.exe' });
    expect(
      e
        .process([sysmon])
        .map((m) => m.ruleId)
        .sort(),
    ).toEqual(['s1', 'w1']);
    const [m] = e.process([security]);
    expect(m).toMatchObject({
      ruleId: 'w1',
      ruleTitle: 'whoami',
      level: 'high',
      tags: ['attack.discovery'],
      kind: 'detection',
    });
    expect(e.process([wrongChannel, wrongId])).toEqual([]);
  });

  it('an event matches a rule when every logsource field the rule names equals the event’s own', () => {
    const r = (ls: string) =>
      `title: t\nid: '${ls}'\nlogsource: {${ls}}\ndetection:\n  sel: {A: 1}\n  condition: sel\n`;
    const e = engineOf([
      r('product: trading'),
      r('product: trading, service: gateway'),
      r('category: login'),
      r('product: crm'),
    ]);
    const ids = e
      .process([ev({ A: 1 }, { product: 'trading', service: 'gateway', category: 'login' })])
      .map((m) => m.ruleId);
    expect(ids).toEqual(['product: trading', 'product: trading, service: gateway', 'category: login']);
    expect(e.process([ev({ A: 1 }, { product: 'trading' })]).map((m) => m.ruleId)).toEqual(['product: trading']);
  });

  it('a firm’s own field names map to Sigma names through fieldmappings', () => {
    const m = parseMappingText('fieldmappings: {User: acct.login}\nlogsources: {}\n');
    const e = engineOf(
      'title: t\nid: t\nlogsource: {product: vpn}\ndetection:\n  sel: {User: alice}\n  condition: sel\n',
      { mapping: m },
    );
    expect(e.process([ev({ acct: { login: 'ALICE' } }, { product: 'vpn' })])).toHaveLength(1);
  });

  it('flattens evtx_dump JSON: EventData at top level, System fields, attributes with _, names without spaces', async () => {
    const raw = {
      Event: {
        System: {
          Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon', Guid: 'G' } },
          EventID: { '#attributes': { Qualifiers: 0 }, '#text': 1 },
          Channel: 'Microsoft-Windows-Sysmon/Operational',
          Computer: 'pc1',
          TimeCreated: { '#attributes': { SystemTime: '2025-01-02T03:04:05.000Z' } },
        },
        EventData: { Image: 'C:\\Windows\\System32\\whoami.exe', 'Source Name': 'x' },
      },
    };
    const f = flattenEvtx(raw);
    expect(f).toMatchObject({
      Provider_Name: 'Microsoft-Windows-Sysmon',
      EventID: 1,
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      Computer: 'pc1',
      Image: 'C:\\Windows\\System32\\whoami.exe',
      SourceName: 'x',
    });
    const values = [];
    for await (const v of readJsonValues([`${JSON.stringify(raw, null, 2)}\n${JSON.stringify(raw)}`])) values.push(v);
    expect(values).toHaveLength(2);
    const de = toDetectionEvent((values[0] as { value: unknown }).value, 'x', 'file')!;
    expect(de.time).toBe(Date.parse('2025-01-02T03:04:05.000Z'));
    expect(engineOf(whoami, { mapping }).process([de])).toHaveLength(1);
  });

  it('flattens every evtx_dump field: named and unnamed Data, UserData, attributes; EventData wins over System', () => {
    const raw = {
      Event: {
        '#attributes': { xmlns: 'x' },
        System: {
          Provider: { '#attributes': { Name: 'Security', Guid: 'G' } },
          EventID: 4688,
          Computer: 'from-system',
          Correlation: null,
          Execution: { '#attributes': { ProcessID: 4, ThreadID: 8 } },
          Security: {},
        },
        EventData: {
          '#attributes': { Name: 'ignored' },
          Data: [{ '#attributes': { Name: 'Target User' }, '#text': 'bob' }, 'loose', { '#text': 'two' }],
          Computer: 'from-data',
          Wrapped: { '#text': 'inner' },
        },
        UserData: { LogFileCleared: { SubjectUserName: 'alice' } },
      },
    };
    expect(flattenEvtx(raw)).toEqual({
      Provider_Name: 'Security',
      Provider_Guid: 'G',
      EventID: 4688,
      Computer: 'from-data',
      Correlation: null,
      Execution_ProcessID: 4,
      Execution_ThreadID: 8,
      Security: {},
      TargetUser: 'bob',
      Data: ['loose', 'two'],
      Wrapped: 'inner',
      SubjectUserName: 'alice',
    });
  });

  it('reads NDJSON, JSON arrays and reports bad lines without losing good ones', async () => {
    const read = async (chunks: string[]) => {
      const out = [];
      for await (const v of readJsonValues(chunks)) out.push('error' in v ? `error@${v.line}` : v.value);
      return out;
    };
    expect(await read(['{"a":1}\n{"a"', ':2}\nnot json\n{"a":3}\n'])).toEqual([
      { a: 1 },
      { a: 2 },
      'error@3',
      { a: 3 },
    ]);
    expect(await read(['[{"a":1},\n {"a":2}]\n'])).toEqual([{ a: 1 }, { a: 2 }]);
    expect(await read(['{"a":"unterminated\n{"a":4}\n'])).toEqual(['error@1', { a: 4 }]);
  });
});

describe('filters (per-site suppression)', () => {
  const rule = (id: string) =>
    `title: ${id}\nid: ${id}\nname: n_${id}\nlogsource: {category: process_creation, product: windows}\ndetection:\n  sel:\n    CommandLine|contains: rar\n  condition: sel\n`;
  const filter = (rules: string, ls = 'category: process_creation\n  product: windows') =>
    `title: admins are fine\nlogsource:\n  ${ls}\nfilter:\n  rules: ${rules}\n  selection:\n    User|startswith: adm_\n  condition: not selection\n`;
  const pc = (fields: Record<string, unknown>) => ev(fields, { product: 'windows', category: 'process_creation' });

  it('suppresses matches of the referenced rules (by id or name) only', () => {
    const e = engineOf([rule('a'), rule('b'), rule('c'), filter('[a, n_b]')]);
    expect(e.report).toMatchObject({ rules: 3, filters: 1, errors: [] });
    expect(e.process([pc({ CommandLine: 'rar a x', User: 'adm_bob' })]).map((m) => m.ruleId)).toEqual(['c']);
    expect(e.process([pc({ CommandLine: 'rar a x', User: 'bob' })]).map((m) => m.ruleId)).toEqual(['a', 'b', 'c']);
  });

  it('applies to every rule of its log source with rules: any, and never to other log sources', () => {
    const other =
      'title: o\nid: o\nlogsource: {product: linux}\ndetection:\n  sel: {CommandLine|contains: rar}\n  condition: sel\n';
    const e = engineOf([rule('a'), other, filter('any')]);
    expect(e.process([pc({ CommandLine: 'rar', User: 'adm_x' })])).toEqual([]);
    expect(e.process([ev({ CommandLine: 'rar', User: 'adm_x' }, { product: 'linux' })]).map((m) => m.ruleId)).toEqual([
      'o',
    ]);
  });

  it('reports a filter naming an unknown rule, and still applies to the rest', () => {
    const e = engineOf([rule('a'), filter('[a, nope]')]);
    expect(e.report.errors[0]?.reason).toMatch(/nope, which is not loaded/);
    expect(e.process([pc({ CommandLine: 'rar', User: 'adm_x' })])).toEqual([]);
  });
});
