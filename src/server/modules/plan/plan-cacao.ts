/**
 * Plans as OASIS CACAO v2.0 playbooks (JSON), so they move between Tocsin and other SOAR tools.
 *
 * `toCacao`: the workflow is a start step, one action step per plan step in an order that honours
 * `depends_on` (dependencies first, otherwise the plan's own order: contain, eradicate, recover,
 * communicate, each phase's tasks then its actions, communications last), chained by `on_completion`,
 * and an end step. Tasks and communications are `manual` commands (a task's checklist items are further
 * manual commands) run by the role's `individual` agent; connector actions are `http-api` commands
 * (`bash` for the generic `command` action) run by the connector's `security-category` agent. What only
 * Tocsin knows (ids, Chinese texts, triggers, roles, owners, due offsets, approvals, dependencies) is
 * kept in the Tocsin extension (`playbook_extensions` and each step's `step_extensions`), so `fromCacao`
 * gives back the same plan. Ids are UUIDv5 of the plan's and steps' ids: exporting again gives the same ids.
 *
 * `fromCacao` takes a playbook this exporter wrote (perhaps edited elsewhere: English names and
 * descriptions come from the CACAO fields) and refuses anything it cannot turn into a plan, saying why.
 */
import { v5 } from 'uuid';
import { PLAN_PHASES, Plan } from '../../../shared/plan-schemas.js';

/** UUIDv5 namespace of the ids Tocsin gives CACAO objects. */
const NAMESPACE = 'cdd0306e-824f-4d44-afa4-ddb66dd3c00b';
/** The Tocsin extension's definition id (fixed: every Tocsin exports and reads the same one). */
export const TOCSIN_EXTENSION = 'extension-definition--8aa56689-e483-4ddd-ab00-39987090ebd9';

const idOf = (type: string, key: string) => `${type}--${v5(key, NAMESPACE)}`;

type Localized = { 'zh-CN': string; en: string };
type Task = NonNullable<Plan['phases']['contain']>[number];
type Action = NonNullable<Plan['actions']>[number];
type Communication = NonNullable<Plan['communications']>[number];

/** A plan step as the extension keeps it: what CACAO has no field for, and its place in its list. */
type StepExtension =
  | {
      kind: 'task';
      phase: (typeof PLAN_PHASES)[number];
      position: number;
      step: Omit<Task, 'title'> & { title_zh: string };
    }
  | { kind: 'action'; position: number; step: Omit<Action, 'title'> & { title_zh: string } }
  | { kind: 'communication'; position: number; step: Omit<Communication, 'title'> & { title_zh: string } };

interface PlanExtension {
  id: string;
  name_zh: string;
  scenario_zh: string;
  review_period_months: number;
  triggers: Plan['triggers'];
  roles: Plan['roles'];
}

export interface CacaoMeta {
  /** When the plan version was stored and last changed (epoch ms). */
  created: number;
  modified: number;
  /** Who wrote it (a name; it becomes a stable identity id). */
  createdBy: string;
}

interface Ordered {
  ext: StepExtension;
  title: Localized;
  dependsOn: string[];
}

/** The plan's steps in its own order (phase by phase, communications last). */
function planSteps(plan: Plan): Ordered[] {
  const out: Ordered[] = [];
  const strip = <T extends { title: Localized }>(s: T) => {
    const { title, ...rest } = s;
    return { ...rest, title_zh: title['zh-CN'] };
  };
  for (const phase of PLAN_PHASES) {
    (plan.phases[phase] ?? []).forEach((t, position) => {
      out.push({
        ext: { kind: 'task', phase, position, step: strip(t) },
        title: t.title,
        dependsOn: t.depends_on ?? [],
      });
    });
    (plan.actions ?? []).forEach((a, position) => {
      if (a.phase === phase)
        out.push({ ext: { kind: 'action', position, step: strip(a) }, title: a.title, dependsOn: a.depends_on ?? [] });
    });
  }
  (plan.communications ?? []).forEach((c, position) => {
    out.push({
      ext: { kind: 'communication', position, step: strip(c) },
      title: c.title,
      dependsOn: c.depends_on ?? [],
    });
  });
  return out;
}

/** Dependencies first; among the steps ready at a time, the earliest in the plan's order (the plan has no cycles). */
function dependencyOrder(steps: Ordered[]): Ordered[] {
  const done = new Set<string>();
  const left = [...steps];
  const out: Ordered[] = [];
  while (left.length > 0) {
    const i = left.findIndex((s) => s.dependsOn.every((d) => done.has(d)));
    const next = left.splice(Math.max(i, 0), 1)[0]!;
    done.add(next.ext.step.id);
    out.push(next);
  }
  return out;
}

function commandsOf(s: Ordered, plan: Plan): Record<string, unknown>[] {
  const ext = s.ext;
  if (ext.kind === 'task')
    return [
      { type: 'manual', command: s.title.en, playbook_activity: 'identify-steps' },
      ...(ext.step.checklist ?? []).map((item) => ({ type: 'manual', command: item.en, description: item['zh-CN'] })),
    ];
  if (ext.kind === 'communication')
    return [
      {
        type: 'manual',
        command: `Draft the ${ext.step.statement.replaceAll('_', ' ')}: ${s.title.en}`,
        playbook_activity: 'compose-content',
      },
    ];
  const a = ext.step;
  if (a.action === 'command')
    return [
      {
        type: 'bash',
        command: [a.parameters?.command ?? a.connector, ...[a.parameters?.args ?? []].flat()].map(String).join(' '),
        description: `Tocsin command connector "${a.connector}" (run without a shell)`,
        playbook_activity: 'eliminate-risk',
      },
    ];
  return [
    {
      type: 'http-api',
      command: `POST /${a.connector}/${a.action} HTTP/1.1`,
      headers: { 'Content-Type': ['application/json'] },
      content: JSON.stringify({ plan: plan.id, step: a.id, parameters: a.parameters ?? {} }),
      description: `Tocsin connector "${a.connector}", action ${a.action}, approval ${a.approval}`,
      playbook_activity: a.action === 'http' ? 'execute-operation' : 'restrict-access',
    },
  ];
}

/** The plan as a CACAO 2.0 playbook. */
export function toCacao(plan: Plan, meta: CacaoMeta): Record<string, unknown> {
  const key = (k: string) => `${plan.id}/${k}`;
  const identity = idOf('identity', `tocsin/${meta.createdBy}`);
  const start = idOf('start', key('start'));
  const end = idOf('end', key('end'));
  const steps = dependencyOrder(planSteps(plan));
  const stepIds = steps.map((s) => idOf('action', key(`step/${s.ext.step.id}`)));
  const roleAgent = (role: string) => idOf('individual', key(`role/${role}`));
  const connectorAgent = (c: string) => idOf('security-category', key(`connector/${c}`));

  const agents: Record<string, unknown> = {};
  for (const r of plan.roles)
    agents[roleAgent(r.id)] = { type: 'individual', name: r.name.en, description: r.name['zh-CN'] };
  for (const a of plan.actions ?? [])
    agents[connectorAgent(a.connector)] = {
      type: 'security-category',
      name: `Tocsin connector ${a.connector}`,
      category: ['orchestrator'],
    };

  const workflow: Record<string, unknown> = {
    [start]: { type: 'start', name: 'Start', on_completion: stepIds[0] ?? end },
  };
  steps.forEach((s, i) => {
    const ext = s.ext;
    const agent = ext.kind === 'action' ? connectorAgent(ext.step.connector) : roleAgent(ext.step.owner);
    const due = ext.kind === 'action' ? '' : ` Due ${ext.step.due} after activation.`;
    workflow[stepIds[i]!] = {
      type: 'action',
      name: s.title.en,
      description: `${s.title['zh-CN']}${due}`,
      commands: commandsOf(s, plan),
      agent,
      on_completion: stepIds[i + 1] ?? end,
      step_extensions: { [TOCSIN_EXTENSION]: ext },
    };
  });
  workflow[end] = { type: 'end', name: 'End' };

  const types = new Set(['mitigation']);
  if ((plan.phases.eradicate ?? []).length > 0 || (plan.phases.recover ?? []).length > 0) types.add('remediation');
  if ((plan.phases.communicate ?? []).length > 0 || (plan.communications ?? []).length > 0) types.add('notification');
  const extension: PlanExtension = {
    id: plan.id,
    name_zh: plan.name['zh-CN'],
    scenario_zh: plan.scenario['zh-CN'],
    review_period_months: plan.review_period_months,
    triggers: plan.triggers,
    roles: plan.roles,
  };
  return {
    type: 'playbook',
    spec_version: 'cacao-2.0',
    id: idOf('playbook', plan.id),
    name: plan.name.en,
    description: plan.scenario.en,
    playbook_types: [...types],
    created_by: identity,
    created: new Date(meta.created).toISOString(),
    modified: new Date(Math.max(meta.created, meta.modified)).toISOString(),
    labels: ['tocsin', `tocsin-plan:${plan.id}`],
    workflow_start: start,
    workflow,
    agent_definitions: agents,
    extension_definitions: {
      [TOCSIN_EXTENSION]: {
        type: 'extension-definition',
        name: 'Tocsin emergency plan',
        description:
          'What a Tocsin emergency plan (应急预案) holds that CACAO has no field for: ids, Chinese texts, triggers, roles, owners, due offsets, approvals, dependencies.',
        created_by: identity,
        schema: 'https://tocsin.invalid/schemas/plan.schema.json',
        version: '1.0.0',
      },
    },
    playbook_extensions: { [TOCSIN_EXTENSION]: extension },
  };
}

/** A playbook that cannot become a plan; the message says why. */
export class CacaoError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The plan a CACAO 2.0 playbook holds; throws `CacaoError` naming what is not convertible. */
export function fromCacao(json: unknown): Plan {
  const fail = (why: string): never => {
    throw new CacaoError(why);
  };
  if (!isObject(json)) fail('a playbook is a JSON object');
  const pb = json as Record<string, unknown>;
  if (pb.type !== 'playbook') fail('"type" is not "playbook"');
  if (pb.spec_version !== 'cacao-2.0') fail(`"spec_version" is ${JSON.stringify(pb.spec_version)}, not "cacao-2.0"`);
  const ext = isObject(pb.playbook_extensions) ? pb.playbook_extensions[TOCSIN_EXTENSION] : undefined;
  if (!isObject(ext))
    fail(
      `the playbook has no Tocsin extension (${TOCSIN_EXTENSION}): a plan's triggers, roles and owners cannot be derived from CACAO alone`,
    );
  const planExt = ext as unknown as PlanExtension;
  if (typeof pb.name !== 'string') fail('"name" is missing');
  if (!isObject(pb.workflow)) fail('"workflow" is missing');
  const workflow = pb.workflow as Record<string, unknown>;

  // Walk the chain from the start step to an end step: Tocsin plans have no branches, loops or sub-playbooks.
  const steps: { name: string; ext: StepExtension }[] = [];
  const seen = new Set<string>();
  let at = pb.workflow_start;
  let first = true;
  for (;;) {
    if (typeof at !== 'string' || !isObject(workflow[at]))
      fail(`workflow step ${JSON.stringify(at)} is not in the workflow`);
    const id = at as string;
    if (seen.has(id)) fail(`workflow step ${id} is reached twice: the workflow loops`);
    seen.add(id);
    const step = workflow[id] as Record<string, unknown>;
    if (first && step.type !== 'start') fail(`"workflow_start" (${id}) is not a start step`);
    if (step.type === 'end') break;
    if (!first) {
      if (step.type !== 'action')
        fail(`workflow step ${id} is of type "${String(step.type)}": a Tocsin plan is a sequence of action steps`);
      const se = isObject(step.step_extensions) ? step.step_extensions[TOCSIN_EXTENSION] : undefined;
      if (!isObject(se) || !isObject(se.step)) fail(`action step ${id} has no Tocsin step extension`);
      if (typeof step.name !== 'string') fail(`action step ${id} has no name`);
      steps.push({ name: step.name as string, ext: se as unknown as StepExtension });
    }
    if (step.on_failure !== undefined || step.on_success !== undefined)
      fail(`workflow step ${id} branches on success or failure; a Tocsin plan runs its steps in one sequence`);
    at = step.on_completion;
    first = false;
  }
  const unreached = Object.keys(workflow).filter((k) => !seen.has(k));
  if (unreached.length > 0) fail(`workflow steps not reached from the start: ${unreached.slice(0, 5).join(', ')}`);

  const phases: Record<string, { position: number; task: unknown }[]> = {};
  const actions: { position: number; action: unknown }[] = [];
  const communications: { position: number; communication: unknown }[] = [];
  for (const { name, ext: se } of steps) {
    const { title_zh, ...rest } = se.step;
    const step = { ...rest, title: { 'zh-CN': title_zh, en: name } };
    if (se.kind === 'task') {
      phases[se.phase] = [...(phases[se.phase] ?? []), { position: se.position, task: step }];
    } else if (se.kind === 'action') actions.push({ position: se.position, action: step });
    else if (se.kind === 'communication') communications.push({ position: se.position, communication: step });
    else fail(`a step extension has the unknown kind ${JSON.stringify((se as { kind: unknown }).kind)}`);
  }
  const byPosition = (a: { position: number }, b: { position: number }) => a.position - b.position;
  const doc: Record<string, unknown> = {
    id: planExt.id,
    name: { 'zh-CN': planExt.name_zh, en: pb.name },
    scenario: { 'zh-CN': planExt.scenario_zh, en: typeof pb.description === 'string' ? pb.description : '' },
    review_period_months: planExt.review_period_months,
    triggers: planExt.triggers,
    roles: planExt.roles,
    phases: Object.fromEntries(
      Object.entries(phases).map(([phase, list]) => [phase, list.sort(byPosition).map((t) => t.task)]),
    ),
  };
  if (actions.length > 0) doc.actions = actions.sort(byPosition).map((a) => a.action);
  if (communications.length > 0) doc.communications = communications.sort(byPosition).map((c) => c.communication);
  const parsed = Plan.safeParse(doc);
  if (!parsed.success)
    fail(
      `the playbook does not give a valid plan: ${parsed.error.issues
        .slice(0, 10)
        .map((i) => `${i.path.join('.') || '(plan)'}: ${i.message}`)
        .join('; ')}`,
    );
  return parsed.data!;
}
