/**
 * `tocsin obligations evaluate` and `list` as a user or a script runs them (spawned): one JSON line per
 * applicable obligation stage on stdout, from a file or stdin; bad input is one line naming the field on
 * stderr and exit 1; an invalid catalog given with --catalog is refused with file, path and reason.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { buildOnce, CLI, childEnv, lines, ROOT, tempDir, tocsin } from './harness.js';

beforeAll(async () => {
  await buildOnce();
}, 180_000);

/** Runs `tocsin ARGS` with `input` on its stdin. */
function withStdin(args: string[], input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { cwd: ROOT, env: childEnv({}), timeout: 20_000 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err);
        resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
      },
    );
    child.stdin!.end(input);
  });
}

// The demo scenario's shape: an account takeover with customer data exposed at a CN-listed-in-the-US broker.
const FACTS = {
  firm: {
    jurisdictions: ['CN', 'US'],
    cii_operator: false,
    us_broker_dealer: true,
    listed_us: true,
    dora_entity: false,
  },
  incident: {
    grade: 'III',
    discovered_at: '2026-05-21T09:00:00+08:00',
    aware_at: '2026-05-21T09:00:00+08:00',
    materiality_determined_at: '2026-05-21T15:00:00-04:00',
    personal_info_records: 1200,
    sensitive_customer_info: true,
  },
};

test('evaluate FILE prints one JSON line per applicable obligation stage, with its deadline', async () => {
  const file = path.join(tempDir(), 'facts.json');
  fs.writeFileSync(file, JSON.stringify(FACTS));
  const r = await tocsin(['obligations', 'evaluate', file], {});
  expect(r).toMatchObject({ code: 0, stderr: '' });
  const entries = lines(r.stdout).map((l) => JSON.parse(l) as Record<string, string | null>);
  // Discovered 01:00Z: CAC + 4 h = 05:00Z; CSRC + 30 min = 01:30Z; PIPL + 24 h; the close-out has no end of handling yet.
  // Aware 2026-05-20 21:00 EDT + 30 days = 2026-06-19 -> 2026-06-20 00:00 EDT = 04:00Z.
  // 8-K: Thu 2026-05-21 before Memorial Day -> Thu 2026-05-28 ends 2026-05-29 00:00 EDT = 04:00Z.
  expect(entries.map((e) => [e.obligation, e.stage, e.due, e.applies])).toEqual([
    ['cac-closeout', 'closeout', null, 'yes'],
    ['cac-report', 'initial', '2026-05-21T05:00:00Z', 'yes'],
    ['csrc-emergency', 'initial', '2026-05-21T01:30:00Z', 'yes'],
    ['pipl-notice', 'notice', '2026-05-22T01:00:00Z', 'yes'],
    ['sec-8k-1.05', 'initial', '2026-05-29T04:00:00Z', 'yes'],
    ['sec-regsp-notice', 'notice', '2026-06-20T04:00:00Z', 'yes'],
  ]);
  expect(entries[0]!.why).toContain('which is not known (incident.handling_ended_at)');
  expect(entries[1]!.why_zh).toBe(
    '适用：公司在CN经营；定级为较大（III级），达到较大及以上。自发现事件起4小时（2026-05-21T01:00:00Z）。',
  );
});

test('evaluate - reads stdin', async () => {
  const r = await withStdin(['obligations', 'evaluate', '-'], JSON.stringify({ firm: { listed_us: true } }));
  expect(r.code).toBe(0);
  expect(lines(r.stdout).map((l) => JSON.parse(l).obligation)).toContain('sec-8k-1.05');
});

test('bad JSON or a fact of the wrong type: one line naming the field, exit 1, nothing on stdout', async () => {
  for (const [input, message] of [
    ['{"incident": {', /^tocsin: stdin: not valid JSON: .+\n$/],
    ['{"incident": {"grade": 3}}', /^tocsin: stdin: incident\.grade: Invalid option: expected one of .+\n$/],
    [
      '{"firm": {"cii_operator": "yes"}}',
      /^tocsin: stdin: firm\.cii_operator: Invalid input: expected boolean, received string\n$/,
    ],
    [
      '{"incident": {"discovered": "2026-03-02T09:00:00+08:00"}}',
      /^tocsin: stdin: incident\.discovered: unknown fact\n$/,
    ],
  ] as const) {
    const r = await withStdin(['obligations', 'evaluate', '-'], input);
    expect(r.code, input).toBe(1);
    expect(r.stdout, input).toBe('');
    expect(r.stderr, input).toMatch(message);
  }
  const missing = await tocsin(['obligations', 'evaluate', path.join(tempDir(), 'none.json')], {});
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/^tocsin: cannot read .*none\.json \(ENOENT\)\n$/);
});

test('--catalog with an invalid file: the problems with file and path, exit 1', async () => {
  const dir = tempDir();
  fs.cpSync(path.join(ROOT, 'obligations'), dir, { recursive: true });
  const f = path.join(dir, 'sfc-report.yml');
  fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('amount: 1\n', 'amount: -1\n'));
  const r = await withStdin(['obligations', 'evaluate', '-', '--catalog', dir], '{}');
  expect(r.code).toBe(1);
  expect(r.stderr).toBe(
    `${f}: stages.0.clock.amount: Too small: expected number to be >0\n` +
      'tocsin: the obligation catalog is not valid (1 problem)\n',
  );
});

test('list shows the catalog; --help explains the facts', async () => {
  const list = await tocsin(['obligations', 'list'], {});
  expect(list.code).toBe(0);
  expect(lines(list.stdout)).toHaveLength(11);
  expect(list.stdout).toMatch(/^sec-8k-1\.05 +initial +4 US business days from incident\.materiality_determined_at /m);
  expect(list.stdout).toContain('PRC holiday calendars: 2025, 2026; US federal holidays by rule');
  const help = await tocsin(['obligations', 'evaluate', '--help'], {});
  expect(help.stdout).toContain('"personal_info_records"');
  expect(help.stdout).toContain('tocsin obligations evaluate -');
});

test('compare: re-graded IV -> III starts the CAC clock at discovery; back to IV stops it, saying why', async () => {
  const dir = tempDir();
  const facts = (grade: string) => ({
    firm: { jurisdictions: ['CN'], cii_operator: false },
    incident: { grade, discovered_at: '2026-03-02T09:00:00+08:00' },
  });
  fs.writeFileSync(path.join(dir, 'iv.json'), JSON.stringify(facts('IV')));
  fs.writeFileSync(path.join(dir, 'iii.json'), JSON.stringify(facts('III')));
  const up = await tocsin(['obligations', 'compare', path.join(dir, 'iv.json'), path.join(dir, 'iii.json')], {});
  expect(up.code).toBe(0);
  // Discovered 01:00Z: the 4 hours count from there, whenever the re-grading happened -> 05:00Z.
  expect(
    lines(up.stdout)
      .map((l) => JSON.parse(l))
      .map((c) => [c.change, c.obligation, c.due]),
  ).toEqual([
    ['started', 'cac-closeout', null],
    ['started', 'cac-report', '2026-03-02T05:00:00Z'],
  ]);
  const down = await withStdin(
    ['obligations', 'compare', path.join(dir, 'iii.json'), '-'],
    JSON.stringify(facts('IV')),
  );
  expect(lines(down.stdout).map((l) => JSON.parse(l))).toEqual([
    expect.objectContaining({ change: 'stopped', obligation: 'cac-closeout' }),
    {
      change: 'stopped',
      obligation: 'cac-report',
      stage: 'initial',
      why: 'Does not apply: graded IV (一般), below III (较大).',
      why_zh: '不适用：定级为一般（IV级），低于较大。',
    },
  ]);
});
