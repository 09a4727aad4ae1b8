/**
 * CACAO 2.0 export and import: every bundled plan round-trips (fromCacao(toCacao(plan)) is the plan), the
 * export validates against the official CACAO 2.0 JSON schemas (vendored under test/fixtures/cacao/ with
 * their licence), and playbooks that cannot become plans are refused with the reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import draft7 from 'ajv/dist/refs/json-schema-draft-07.json' with { type: 'json' };
import { beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../../shared/plan-schemas.js';
import { CacaoError, fromCacao, TOCSIN_EXTENSION, toCacao } from './plan-cacao.js';
import { lintPlanFile } from './plan-lint.js';

const SCHEMAS = path.resolve('test/fixtures/cacao/schemas');
const BASE = 'https://raw.githubusercontent.com/oasis-open/cacao-json-schemas/main/schemas/';
const META = { created: Date.UTC(2026, 11, 1, 8), modified: Date.UTC(2026, 11, 3, 9, 30), createdBy: 'Wang Fang' };
const bundled = fs
  .readdirSync('plans')
  .filter((f) => f.endsWith('.yml'))
  .map((f) => [f, lintPlanFile(path.join('plans', f)).plan!] as const);

const files = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));

let ajv: Ajv2019;
beforeAll(() => {
  // The schemas name draft-07 but use 2019-09 keywords (unevaluatedProperties, $defs): validated as 2019-09.
  ajv = new Ajv2019({ strict: false, allErrors: true });
  ajv.addMetaSchema(draft7);
  for (const file of files(SCHEMAS)) {
    const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
    // command-data.json closes itself with unevaluatedProperties: false, so under 2019-09 rules a command's
    // own fields ("command", "content", ...), declared beside it in manual.json or http-api.json, are
    // refused through the $ref: no valid command could pass. Every command is checked below against
    // its own type's schema instead, which keeps unevaluatedProperties: false over both parts.
    if (file.endsWith('command-data.json')) delete schema.unevaluatedProperties;
    ajv.addSchema(schema);
  }
});

const validate = (name: string, value: unknown) => {
  const v = ajv.getSchema(`${BASE}${name}`)!;
  expect(v, name).toBeDefined();
  const ok = v(value);
  return ok ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
};

it('has the seven bundled plans', () => {
  expect(bundled).toHaveLength(7);
  for (const [f, plan] of bundled) expect(plan, f).not.toBeNull();
});

describe.each(bundled)('%s', (_file, plan) => {
  const playbook = toCacao(plan, META);

  it('is a valid CACAO 2.0 playbook', () => {
    expect(validate('playbook.json', playbook)).toEqual([]);
    const workflow = playbook.workflow as Record<string, { type: string; commands?: { type: string }[] }>;
    const schemaOf: Record<string, string> = {
      manual: 'commands/manual.json',
      'http-api': 'commands/http-api.json',
      bash: 'commands/bash.json',
    };
    for (const step of Object.values(workflow))
      for (const command of step.commands ?? []) {
        expect(schemaOf[command.type], command.type).toBeDefined();
        expect(validate(schemaOf[command.type]!, command)).toEqual([]);
      }
  });

  it('round-trips to the same plan', () => {
    expect(fromCacao(JSON.parse(JSON.stringify(playbook)))).toEqual(plan);
  });

  it('has a start, one action step per plan step, and an end, chained in dependency order', () => {
    const workflow = playbook.workflow as Record<
      string,
      {
        type: string;
        on_completion?: string;
        step_extensions?: Record<string, { step: { id: string; depends_on?: string[] } }>;
      }
    >;
    const order: string[] = [];
    let at = playbook.workflow_start as string;
    expect(workflow[at]!.type).toBe('start');
    for (;;) {
      const step = workflow[at]!;
      if (step.type === 'end') break;
      if (step.type === 'action') {
        const s = step.step_extensions![TOCSIN_EXTENSION]!.step;
        for (const dep of s.depends_on ?? []) expect(order, `${s.id} after ${dep}`).toContain(dep);
        order.push(s.id);
      }
      at = step.on_completion!;
    }
    const count =
      Object.values(plan.phases).reduce((n, tasks) => n + (tasks?.length ?? 0), 0) +
      (plan.actions?.length ?? 0) +
      (plan.communications?.length ?? 0);
    expect(order).toHaveLength(count);
    expect(Object.keys(workflow)).toHaveLength(count + 2);
  });

  it('gives the same ids on every export', () => {
    const again = toCacao(plan, { ...META, modified: META.modified + 1000 });
    expect(again.id).toBe(playbook.id);
    expect(Object.keys(again.workflow as object)).toEqual(Object.keys(playbook.workflow as object));
  });
});

describe('connector actions', () => {
  const plan = bundled.find(([f]) => f === 'account-takeover.yml')![1];
  const playbook = toCacao(plan, META);
  const steps = Object.values(playbook.workflow as Record<string, { commands?: { type: string; command: string }[] }>);
  it('are http-api commands; tasks and communications are manual', () => {
    const types = new Set(steps.flatMap((s) => (s.commands ?? []).map((c) => c.type)));
    expect(types).toEqual(new Set(['manual', 'http-api']));
    expect(steps.flatMap((s) => s.commands ?? []).find((c) => c.type === 'http-api')!.command).toMatch(
      /^POST \/[a-z0-9_-]+\/[a-z_]+ HTTP\/1\.1$/,
    );
  });

  it('a generic command action is a bash command', () => {
    const withCommand: Plan = {
      ...plan,
      actions: [
        ...(plan.actions ?? []),
        {
          id: 'run-ipset',
          title: { 'zh-CN': '加入封禁集合', en: 'Add to the block set' },
          phase: 'contain',
          connector: 'edge-ipset',
          action: 'command',
          parameters: { args: ['add', 'blocked', '{{ alert.entities.ip }}'] },
          approval: 'one_person',
        },
      ],
    };
    const pb = toCacao(withCommand, META);
    expect(validate('playbook.json', pb)).toEqual([]);
    const cmd = Object.values(pb.workflow as Record<string, { commands?: { type: string }[] }>)
      .flatMap((s) => s.commands ?? [])
      .find((c) => c.type === 'bash')!;
    expect(validate('commands/bash.json', cmd)).toEqual([]);
    expect(fromCacao(pb)).toEqual(withCommand);
  });
});

describe('playbooks that are not convertible', () => {
  const plan = bundled[0]![1];
  interface WStep {
    type: string;
    on_completion?: string;
    step_extensions?: Record<string, { kind: string; step: { owner?: string } }>;
  }
  type Playbook = Record<string, unknown> & { workflow: Record<string, WStep>; playbook_extensions?: unknown };
  const good = () => JSON.parse(JSON.stringify(toCacao(plan, META))) as Playbook;
  const refused = (pb: unknown) => {
    try {
      fromCacao(pb);
    } catch (err) {
      expect(err).toBeInstanceOf(CacaoError);
      return (err as Error).message;
    }
    throw new Error('accepted');
  };

  it('not an object, not a playbook, another spec version', () => {
    expect(refused([])).toMatch(/JSON object/);
    expect(refused({ ...good(), type: 'attack-pattern' })).toMatch(/"type" is not "playbook"/);
    expect(refused({ ...good(), spec_version: 'cacao-1.0' })).toMatch(/spec_version/);
  });

  it('without the Tocsin extension', () => {
    const pb = good();
    delete pb.playbook_extensions;
    expect(refused(pb)).toMatch(/no Tocsin extension .*triggers, roles and owners/);
  });

  it('with a branch', () => {
    const pb = good();
    const [id, step] = Object.entries(pb.workflow).find(([, s]) => s.type === 'action')!;
    pb.workflow[id] = { ...step, type: 'if-condition' };
    expect(refused(pb)).toMatch(/of type "if-condition": a Tocsin plan is a sequence of action steps/);
  });

  it('with a loop, a missing step or steps not reached', () => {
    const loop = good();
    const actions = Object.entries(loop.workflow).filter(([, s]) => s.type === 'action');
    loop.workflow[actions[1]![0]]!.on_completion = actions[0]![0];
    expect(refused(loop)).toMatch(/reached twice/);

    const missing = good();
    missing.workflow[actions[0]![0]]!.on_completion = 'action--00000000-0000-4000-8000-000000000000';
    expect(refused(missing)).toMatch(/is not in the workflow/);

    const stray = good();
    stray.workflow['action--00000000-0000-4000-8000-000000000001'] = actions[0]![1];
    expect(refused(stray)).toMatch(/not reached from the start/);
  });

  it('an action step without its Tocsin step extension', () => {
    const pb = good();
    const [id] = Object.entries(pb.workflow).find(([, s]) => s.type === 'action')!;
    delete pb.workflow[id]!.step_extensions;
    expect(refused(pb)).toMatch(/has no Tocsin step extension/);
  });

  it('an edit that breaks the plan (an owner that is not a role)', () => {
    const pb = good();
    const [id] = Object.entries(pb.workflow).find(
      ([, s]) => s.type === 'action' && s.step_extensions?.[TOCSIN_EXTENSION]?.kind === 'task',
    )!;
    pb.workflow[id]!.step_extensions![TOCSIN_EXTENSION]!.step.owner = 'nobody';
    expect(refused(pb)).toMatch(/does not give a valid plan: .*owner "nobody" is not one of the roles/);
  });

  it('takes English names edited in another tool', () => {
    const pb = good();
    pb.name = 'Renamed elsewhere';
    expect(fromCacao(pb).name).toEqual({ 'zh-CN': plan.name['zh-CN'], en: 'Renamed elsewhere' });
  });
});

it('the schema check is not vacuous: a playbook missing required parts fails it', () => {
  const pb = toCacao(bundled[0]![1], META);
  const { workflow_start: _, ...noStart } = pb;
  expect(validate('playbook.json', noStart).join('\n')).toMatch(/workflow_start/);
  expect(validate('commands/manual.json', { type: 'manual', command: 'x', colour: 'red' })).not.toEqual([]);
});
