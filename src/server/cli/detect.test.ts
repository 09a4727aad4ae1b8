/** `tocsin detect` and `tocsin sigma regress`, run in-process on small files. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from './main.js';

let dir: string;
let stdout: string[];
let stderr: string[];

async function run(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  stdout = [];
  stderr = [];
  process.exitCode = 0;
  await main(['node', 'tocsin', ...args]);
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, out: stdout.join('').split('\n').filter(Boolean), err: stderr.join('').split('\n').filter(Boolean) };
}

const sysmonEvent = (image: string, user: string, time: string) => ({
  Event: {
    System: {
      Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } },
      EventID: 1,
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      Computer: 'pc1',
      TimeCreated: { '#attributes': { SystemTime: time } },
    },
    EventData: { Image: image, User: user, CommandLine: image },
  },
});

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-detect-'));
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout.push(String(s));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr.push(String(s));
    return true;
  });
  fs.mkdirSync(path.join(dir, 'rules/sub'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'rules/whoami.yml'),
    "title: Whoami\nid: w1\nname: whoami\nlogsource: {category: process_creation, product: windows}\ndetection:\n  sel:\n    Image|endswith: '\\whoami.exe'\n  condition: sel\nlevel: high\n",
  );
  fs.writeFileSync(
    path.join(dir, 'rules/sub/corr.yml'),
    'title: Recon burst\nid: c1\ncorrelation:\n  type: event_count\n  rules: [whoami]\n  group-by: [Computer]\n  timespan: 5m\n  condition: {gte: 2}\n  generate: true\nlevel: critical\n',
  );
  fs.writeFileSync(
    path.join(dir, 'rules/sub/broken.yml'),
    'title: x\nid: b1\nlogsource: {product: windows}\ndetection:\n  sel: {A|bogus: 1}\n  condition: sel\n',
  );
  const evs = [
    sysmonEvent('C:\\Windows\\System32\\whoami.exe', 'u', '2025-01-01T00:00:00Z'),
    sysmonEvent('C:\\Windows\\notepad.exe', 'u', '2025-01-01T00:00:10Z'),
    sysmonEvent('C:\\Windows\\System32\\whoami.exe', 'u', '2025-01-01T00:01:00Z'),
  ];
  fs.writeFileSync(path.join(dir, 'events.json'), evs.map((e) => JSON.stringify(e, null, 2)).join('\n'));
  fs.writeFileSync(
    path.join(dir, 'events.ndjson'),
    `${JSON.stringify({ logsource: { product: 'windows', category: 'process_creation' }, Image: 'c:\\x\\whoami.exe', Computer: 'pc9', '@timestamp': '2025-01-01T00:00:00Z' })}\nnot json\n`,
  );
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('tocsin detect', () => {
  it('prints one JSON line per match, correlations with their group; reports rules that did not compile on stderr', async () => {
    const r = await run(
      'detect',
      '--rules',
      path.join(dir, 'rules'),
      '--events',
      path.join(dir, 'events.json'),
      path.join(dir, 'events.ndjson'),
    );
    expect(r.code).toBe(0);
    const lines = r.out.map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.rule_id, l.kind])).toEqual([
      ['w1', 'detection'],
      ['w1', 'detection'],
      ['c1', 'correlation'],
      ['w1', 'detection'],
    ]);
    expect(lines[0]).toMatchObject({
      rule_title: 'Whoami',
      level: 'high',
      events: [{ fields: { Image: 'C:\\Windows\\System32\\whoami.exe', Computer: 'pc1' } }],
    });
    expect(lines[2]).toMatchObject({ level: 'critical', group: { Computer: 'pc1' } });
    expect(lines[2].events).toHaveLength(2);
    expect(r.err.join('\n')).toMatch(/1 rule\(s\) did not compile.*broken\.yml.*unknown modifier "bogus"/);
    expect(r.err.join('\n')).toMatch(/1 event\(s\) skipped/);
  });

  it('without --rules uses the rules the server loads by default: the bundled rules/tocsin', async () => {
    const note = {
      logsource: { category: 'file_event', product: 'windows' },
      TargetFilename: 'D:\\share\\README_DECRYPT.txt',
      Computer: 'fs01',
      '@timestamp': '2026-11-28T02:00:00Z',
    };
    fs.writeFileSync(path.join(dir, 'note.ndjson'), `${JSON.stringify(note)}\n`);
    const saved = process.env.TOCSIN_RULES_DIRS;
    delete process.env.TOCSIN_RULES_DIRS;
    try {
      const r = await run('detect', '--events', path.join(dir, 'note.ndjson'));
      expect(r.code, r.err.join('\n')).toBe(0);
      expect(r.out.map((l) => JSON.parse(l).rule_title)).toEqual(['Ransom Note File Created']);
      // TOCSIN_RULES_DIRS, as for the server, replaces them.
      process.env.TOCSIN_RULES_DIRS = path.join(dir, 'rules');
      const own = await run('detect', '--events', path.join(dir, 'note.ndjson'));
      expect(own.out).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TOCSIN_RULES_DIRS;
      else process.env.TOCSIN_RULES_DIRS = saved;
    }
  });

  it('fails in one line for a missing events file or rules that do not exist', async () => {
    let r = await run('detect', '--rules', path.join(dir, 'rules'), '--events', path.join(dir, 'nope.json'));
    expect(r.code).not.toBe(0);
    expect(r.err).toEqual([expect.stringMatching(/^tocsin: no such events file/)]);
    r = await run('detect', '--rules', path.join(dir, 'missing'), '--events', path.join(dir, 'events.json'));
    expect(r.code).not.toBe(0);
    expect(r.err).toHaveLength(1);
  });
});

describe('tocsin sigma regress', () => {
  it('scores folders it has never seen from info.yml and the rules', async () => {
    const data = path.join(dir, 'regression_data');
    const mk = (name: string, id: string, count: number | null, events: unknown[]) => {
      const f = path.join(data, name);
      fs.mkdirSync(f, { recursive: true });
      fs.writeFileSync(
        path.join(f, 'info.yml'),
        `id: x\nrule_metadata:\n  - id: ${id}\n    title: t\nregression_tests_info:\n  - name: Positive Detection Test\n    type: evtx\n${count === null ? '' : `    match_count: ${count}\n`}    path: regression_data/${name}/${id}.evtx\n`,
      );
      fs.writeFileSync(path.join(f, `${id}.json`), events.map((e) => JSON.stringify(e, null, 2)).join('\n'));
    };
    const hit = sysmonEvent('C:\\whoami.exe', 'u', '2025-01-01T00:00:00Z');
    mk('a/pass', 'w1', 2, [hit, hit]);
    mk('b/pass-no-count', 'w1', null, [hit]);
    mk('c/fail-count', 'w1', 1, [hit, hit]);
    mk('d/broken-rule', 'b1', 1, [hit]);
    const r = await run('sigma', 'regress', '--rules', path.join(dir, 'rules'), '--data', data);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out[0]!)).toEqual({ folders: 4, passed: 2, failed: 2 });
    const failures = r.out.slice(1).map((l) => JSON.parse(l));
    expect(failures).toEqual([
      expect.objectContaining({ folder: path.join('c', 'fail-count'), rule_id: 'w1', expected: 1, matched: 2 }),
      expect.objectContaining({
        folder: path.join('d', 'broken-rule'),
        rule_id: 'b1',
        reason: expect.stringMatching(/did not compile: .*bogus/),
      }),
    ]);
  });
});
