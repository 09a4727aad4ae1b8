import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSigmaEngine } from '../src/engine.js';
import { readRuleSources } from '../src/rule-files.js';
import { ev, rule } from './helpers.js';

const good = rule('sel:\n  A: 1').replace('id: r1', 'id: good');
const bomb = `title: bomb\nlogsource: {product: test}\na: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ndetection:\n  sel: {A: *f}\n  condition: sel\n`;

describe('rules that cannot compile', () => {
  it('are reported with file and reason, and never stop the others', () => {
    const sources = [
      { file: 'good.yml', text: good },
      { file: 'unknown-modifier.yml', text: rule('sel:\n  A|containz: x').replace('id: r1', 'id: bad1') },
      { file: 'bomb.yml', text: bomb },
      { file: 'huge.yml', text: `title: huge\n# ${'x'.repeat(10 * 1024 * 1024)}\n` },
      { file: 'regex.yml', text: rule("sel:\n  A|re: '(a+)+$'").replace('id: r1', 'id: bad2') },
      {
        file: 'missing-ref.yml',
        text: 'title: corr\nid: corr1\ncorrelation:\n  type: event_count\n  rules: [no-such-rule]\n  group-by: [User]\n  timespan: 5m\n  condition: {gte: 3}\n',
      },
      { file: 'yaml.yml', text: 'title: [unclosed\n' },
      { file: 'no-condition.yml', text: 'title: x\nid: x\nlogsource: {product: test}\ndetection:\n  sel: {A: 1}\n' },
      { file: 'legacy.yml', text: rule('sel:\n  A: 1', 'sel | count() by B > 3').replace('id: r1', 'id: bad3') },
      { file: 'placeholder.yml', text: rule('sel:\n  A|expand: "%Servers%"').replace('id: r1', 'id: bad4') },
      { file: 'bad-level.yml', text: rule('sel:\n  A: 1', 'sel', 'level: severe').replace('id: r1', 'id: bad5') },
    ];
    const e = createSigmaEngine({ rules: sources });
    const byFile = Object.fromEntries(e.report.errors.map((x) => [x.file, x.reason]));
    expect(byFile['unknown-modifier.yml']).toMatch(/unknown modifier "containz"/);
    expect(byFile['bomb.yml']).toMatch(/YAML bomb/);
    expect(byFile['huge.yml']).toMatch(/larger than the 1048576-byte limit/);
    expect(byFile['regex.yml']).toMatch(/catastrophic/);
    expect(byFile['missing-ref.yml']).toMatch(/"no-such-rule", which is not a loaded rule/);
    expect(byFile['yaml.yml']).toMatch(/YAML/);
    expect(byFile['no-condition.yml']).toMatch(/no condition/);
    expect(byFile['legacy.yml']).toMatch(/correlation rule/);
    expect(byFile['placeholder.yml']).toMatch(/%Servers% has no configured values/);
    expect(byFile['bad-level.yml']).toMatch(/unknown level/);
    expect(e.report.errors.find((x) => x.file === 'unknown-modifier.yml')?.ruleId).toBe('bad1');
    expect(e.report.compiled).toBe(1);
    expect(e.process([ev({ A: 1 })]).map((m) => m.ruleId)).toEqual(['good']);
  });

  it('a 10 MB file on disk is refused without being read; other files load', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sigma-'));
    try {
      fs.writeFileSync(path.join(dir, 'big.yml'), Buffer.alloc(10 * 1024 * 1024, 0x20));
      fs.writeFileSync(path.join(dir, 'good.yml'), good);
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a rule');
      const { sources, errors } = readRuleSources([dir]);
      expect(sources.map((s) => path.basename(s.file))).toEqual(['good.yml']);
      expect(errors[0]?.reason).toMatch(/10485760 bytes, larger than/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('multi-document files: a correlation with its rules, each document on its own', () => {
    const text = `title: two failures\nid: c1\ncorrelation:\n  type: event_count\n  rules: [failed]\n  group-by: [User]\n  timespan: 1m\n  condition: {gte: 2}\nlevel: high\n---\ntitle: failed\nid: f1\nname: failed\nlogsource: {product: test}\ndetection:\n  sel: {Outcome: fail}\n  condition: sel\n---\ntitle: broken\nid: b1\nlogsource: {product: test}\ndetection:\n  sel: {A|nope: 1}\n  condition: sel\n`;
    const e = createSigmaEngine({ rules: [{ file: 'multi.yml', text }] });
    expect(e.report.compiled).toBe(2);
    expect(e.report.errors).toEqual([
      { file: 'multi.yml', ruleId: 'b1', reason: expect.stringMatching(/^document 3: .*unknown modifier "nope"/) },
    ]);
    const m = e.process([ev({ Outcome: 'fail', User: 'u' }), ev({ Outcome: 'fail', User: 'u' })]);
    expect(m.map((x) => [x.ruleId, x.kind, x.level])).toEqual([['c1', 'correlation', 'high']]);
  });
});
