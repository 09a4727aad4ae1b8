/**
 * `tocsin plans lint` and `tocsin plans import` as a user runs them: the bundled plans pass; problems are
 * FILE:LINE:COLUMN lines and exit 1; import stores versions (draft, unchanged, approved, active).
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildOnce, lines, tempDir, tocsin } from './harness.js';

beforeAll(async () => {
  await buildOnce();
}, 180_000);

test('the bundled plans are valid', async () => {
  const files = fs
    .readdirSync('plans')
    .filter((f) => f.endsWith('.yml'))
    .map((f) => path.join('plans', f));
  const r = await tocsin(['plans', 'lint', ...files], {});
  expect(r).toMatchObject({ code: 0, stderr: '', stdout: `${files.length} plan files valid\n` });
});

test('a bad plan gives one line per problem and a non-zero exit', async () => {
  const dir = tempDir();
  const bad = path.join(dir, 'bad.yml');
  fs.writeFileSync(
    bad,
    [
      'id: bad',
      'name: { zh-CN: 坏预案, en: Bad plan }',
      'scenario: { zh-CN: 场景, en: Scenario }',
      'triggers: [{ categories: [network_attack] }]',
      'roles: [{ id: ops, name: { zh-CN: 运维, en: Ops } }]',
      'phases:',
      '  contain:',
      '    - { id: a, title: { zh-CN: 甲, en: A }, owner: ops, due: +5m, depends_on: [b] }',
      '    - { id: b, title: { zh-CN: 乙, en: B }, owner: ops, due: +5m, depends_on: [a], colour: red }',
      '',
    ].join('\n'),
  );
  const broken = path.join(dir, 'broken.yml');
  fs.writeFileSync(broken, 'id: [broken\n');
  const r = await tocsin(['plans', 'lint', bad, broken], {});
  expect(r.code).toBe(1);
  expect(r.stdout.split('\n')).toEqual([
    `${bad}:9:79: phases.contain.1.depends_on.0: dependency cycle: a -> b -> a`,
    `${bad}:9:83: phases.contain.1.colour: unknown field`,
    expect.stringMatching(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:1: YAML syntax error: `)),
    '',
  ]);
  expect(r.stderr).toBe('tocsin: 3 problems in plan files\n');
});

describe('tocsin plans import', () => {
  const env = (dir: string) => ({ TOCSIN_DATA_DIR: dir, TOCSIN_LOG_LEVEL: 'silent' });

  test('imports the bundled plans as drafts, then unchanged; --activate approves and activates', async () => {
    const data = tempDir();
    const ids = fs
      .readdirSync('plans')
      .filter((f) => f.endsWith('.yml'))
      .sort()
      .map((f) => f.replace(/\.yml$/, ''));
    const first = await tocsin(['plans', 'import', 'plans'], env(data));
    expect(first, first.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(lines(first.stdout)).toEqual(ids.map((id) => `${id} v1 draft`));

    const again = await tocsin(['plans', 'import', 'plans'], env(data));
    expect(lines(again.stdout)).toEqual(ids.map((id) => `${id} v1 unchanged`));

    const active = await tocsin(['plans', 'import', 'plans', '--activate'], env(data));
    expect(active.code, active.stderr).toBe(0);
    expect(lines(active.stdout)).toEqual(ids.map((id) => `${id} v1 active`));
  });

  test('a changed file becomes v2 (approved with --approve); an invalid one is reported and not stored', async () => {
    const data = tempDir();
    const dir = tempDir();
    const source = fs.readFileSync('plans/ransomware.yml', 'utf8');
    fs.writeFileSync(path.join(dir, 'ransomware.yml'), source);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a plan');
    expect(lines((await tocsin(['plans', 'import', dir], env(data))).stdout)).toEqual(['ransomware v1 draft']);

    fs.writeFileSync(path.join(dir, 'ransomware.yml'), `${source}\n# reviewed again\n`);
    const broken = path.join(dir, 'broken.yaml');
    fs.writeFileSync(broken, 'id: broken\nname: { zh-CN: 坏, en: Broken }\ncolour: red\n');
    const r = await tocsin(['plans', 'import', dir, '--approve'], env(data));
    expect(r.code).toBe(1);
    const out = lines(r.stdout);
    expect(out.filter((l) => l.startsWith(`${broken}:`)).length).toBeGreaterThan(0);
    expect(out).toContain(`${broken}:3:1: colour: unknown field`);
    expect(out.at(-1)).toBe('ransomware v2 approved');
    expect(r.stderr).toMatch(/^tocsin: \d+ problems in 1 plan file; those were not stored\n$/);
  });

  test('an empty or missing folder is a one-line error', async () => {
    const data = tempDir();
    expect(await tocsin(['plans', 'import', tempDir()], env(data))).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^tocsin: no plan files/),
    });
    expect(await tocsin(['plans', 'import', path.join(data, 'nope')], env(data))).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^tocsin: cannot read .* \(ENOENT\)\n$/),
    });
  });

  test('--help says what import does', async () => {
    const r = await tocsin(['plans', 'import', '--help'], {});
    expect(r.stdout).toMatch(/--approve/);
    expect(r.stdout).toMatch(/--activate/);
    expect(r.stdout).toMatch(/FILE:LINE:COLUMN/);
  });
});
