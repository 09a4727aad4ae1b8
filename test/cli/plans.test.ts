/** `tocsin plans lint` as a user runs it: the bundled plans pass; problems are FILE:LINE:COLUMN lines and exit 1. */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { buildOnce, tempDir, tocsin } from './harness.js';

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
