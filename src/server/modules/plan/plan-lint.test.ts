import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintPlanFile, lintPlanText } from './plan-lint.js';

const PLANS_DIR = path.join(import.meta.dirname, '..', '..', '..', '..', 'plans');

/** A small valid plan; each bad-input test changes one line of it. */
const VALID = `id: test-plan
name: { zh-CN: 测试预案, en: Test plan }
scenario: { zh-CN: 测试场景, en: Test scenario }
triggers:
  - rules: [tocsin_trading_login_stuffing_source]
roles:
  - id: analyst
    name: { zh-CN: 分析员, en: Analyst }
phases:
  contain:
    - id: first
      title: { zh-CN: 第一步, en: First }
      owner: analyst
      due: +15m
    - id: second
      title: { zh-CN: 第二步, en: Second }
      owner: analyst
      due: +2h
      depends_on: [first]
actions:
  - id: block
    title: { zh-CN: 封禁, en: Block }
    phase: contain
    connector: firewall
    action: block_ip
    parameters:
      ip: '{{ alert.entities.ip }}'
    approval: none
`;

const problems = (text: string) => lintPlanText(text).problems.map((p) => `${p.line}:${p.column}: ${p.reason}`);
const replace = (from: string, to: string) => {
  expect(VALID).toContain(from);
  return VALID.replace(from, to);
};

describe('plan lint', () => {
  it('finds every bundled plan valid', () => {
    const files = fs.readdirSync(PLANS_DIR).filter((f) => f.endsWith('.yml'));
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const f of files)
      expect({ f, problems: lintPlanFile(path.join(PLANS_DIR, f)).problems }).toEqual({ f, problems: [] });
  });

  it('finds the example of docs/plans.md valid', () => {
    const doc = fs.readFileSync(path.join(PLANS_DIR, '..', 'docs', 'plans.md'), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    expect(lintPlanText(example!).problems).toEqual([]);
  });

  it('accepts the small plan and fills the default review period', () => {
    const r = lintPlanText(VALID);
    expect(r.problems).toEqual([]);
    expect(r.plan?.review_period_months).toBe(12);
  });

  it('reports a YAML syntax error where it is', () => {
    expect(problems(replace('      due: +2h\n', '      due: [+2h\n'))).toEqual([
      expect.stringMatching(/^19:7: YAML syntax error: /),
    ]);
    expect(
      problems(replace('      owner: analyst\n      due: +2h', '      owner: analyst\n      owner: analyst'))[0],
    ).toMatch(/^18:7: YAML syntax error: Map keys must be unique/);
  });

  it('reports an unknown field on its key', () => {
    expect(problems(replace('      due: +15m\n', '      due: +15m\n      deadline: +1h\n'))).toEqual([
      '15:7: phases.contain.0.deadline: unknown field',
    ]);
  });

  it('reports a missing field on the object that lacks it', () => {
    expect(problems(replace('      owner: analyst\n      due: +15m\n', '      due: +15m\n'))).toEqual([
      '11:7: phases.contain.0: missing field "owner"',
    ]);
  });

  it('reports a wrong type or value on the value', () => {
    expect(problems(replace('due: +15m', 'due: 15 minutes'))).toEqual([
      '14:12: phases.contain.0.due: must be an offset such as +15m, +2h or +1d',
    ]);
    expect(problems(replace('action: block_ip', 'action: nuke'))).toEqual([
      expect.stringMatching(/^25:13: actions\.0\.action: Invalid option/),
    ]);
    expect(problems(replace('  - rules: [tocsin_trading_login_stuffing_source]', '  - min_grade: V'))).toEqual([
      expect.stringMatching(/^5:16: triggers\.0\.min_grade: Invalid option/),
    ]);
  });

  it('reports a template naming something not allowed', () => {
    expect(problems(replace('{{ alert.entities.ip }}', '{{ alert.entities.mac }}'))).toEqual([
      expect.stringMatching(
        /^27:11: actions\.0\.parameters\.ip: template names "alert\.entities\.mac", which is not one of /,
      ),
    ]);
    expect(
      problems(replace("'{{ alert.entities.ip }}'", "['{{ alert.entities.ip }}', '{{ alert.entities.ipv6 }}']")),
    ).toEqual([expect.stringMatching(/^27:39: actions\.0\.parameters\.ip\.1: template names "alert\.entities\.ipv6"/)]);
    expect(problems(replace('{{ alert.entities.ip }}', '{{ alert.entities.ip'))).toEqual([
      '27:11: actions.0.parameters.ip: a template is not closed: write {{ name }}',
    ]);
    expect(problems(replace('{{ alert.entities.ip }}', '{{alert.fields.src_ip}}/{{ incident.key }}'))).toEqual([]);
  });

  it('reports a depends_on naming an unknown step', () => {
    expect(problems(replace('depends_on: [first]', 'depends_on: [frist]'))).toEqual([
      '19:20: phases.contain.1.depends_on.0: depends on unknown step "frist"',
    ]);
  });

  it('reports a cycle in task dependencies once, where it closes', () => {
    const text = replace('      due: +15m\n', '      due: +15m\n      depends_on: [second]\n');
    expect(problems(text)).toEqual([
      '20:20: phases.contain.1.depends_on.0: dependency cycle: first -> second -> first',
    ]);
    expect(problems(replace('depends_on: [first]', 'depends_on: [second]'))).toEqual([
      '19:20: phases.contain.1.depends_on.0: dependency cycle: second -> second',
    ]);
  });

  it('reports duplicate step ids', () => {
    expect(problems(replace('    - id: second', '    - id: first'))).toEqual([
      '15:11: phases.contain.1.id: duplicate step id "first"',
    ]);
    expect(problems(replace('  - id: block', '  - id: second'))).toEqual([
      '21:9: actions.0.id: duplicate step id "second"',
    ]);
  });

  it('reports an owner that is not one of the roles', () => {
    expect(problems(replace('      owner: analyst\n      due: +2h', '      owner: ghost\n      due: +2h'))).toEqual([
      '17:14: phases.contain.1.owner: owner "ghost" is not one of the roles',
    ]);
  });

  it('accepts a from_alerts selector and reports a bad one where it is', () => {
    const select = (lines: string) => replace('    approval: none\n', `    approval: none\n    from_alerts:\n${lines}`);
    expect(problems(select('      rules: [r1]\n      min_level: high\n      events: { outcome: success }\n'))).toEqual(
      [],
    );
    expect(problems(select('      rule: [r1]\n'))).toEqual([
      '30:7: actions.0.from_alerts.rule: unknown field',
      '30:7: actions.0.from_alerts: from_alerts needs at least one condition: rules, tags, min_level or events',
    ]);
    expect(problems(select('      rules: []\n'))).toEqual([
      expect.stringMatching(/^30:14: actions\.0\.from_alerts\.rules: Too small/),
    ]);
    expect(problems(select('      min_level: severe\n'))).toEqual([
      expect.stringMatching(/^30:18: actions\.0\.from_alerts\.min_level: Invalid option/),
    ]);
    expect(problems(select('      events: { outcome: [] }\n'))).toEqual([
      '30:26: actions.0.from_alerts.events.outcome: Too small: expected array to have >=1 items',
    ]);
    expect(problems(replace('    approval: none\n', '    approval: none\n    from_alerts: {}\n'))).toEqual([
      '29:18: actions.0.from_alerts: from_alerts needs at least one condition: rules, tags, min_level or events',
    ]);
    // A selector on an action whose parameters read no alert chooses nothing: an error, on the selector.
    const noAlert = select('      rules: [r1]\n').replace('{{ alert.entities.ip }}', '{{ incident.key }}');
    expect(lintPlanText(noAlert).problems.map((p) => `${p.line}:${p.column}: ${p.reason}`)).toEqual([
      '30:7: actions.0.from_alerts: from_alerts chooses the alerts the alert.* templates read, but no parameter of this action has one',
    ]);
  });

  it('reports an unreadable file on line 1', () => {
    expect(lintPlanFile('/nonexistent/plan.yml').problems).toEqual([
      { line: 1, column: 1, reason: 'cannot be read (ENOENT)' },
    ]);
  });
});
