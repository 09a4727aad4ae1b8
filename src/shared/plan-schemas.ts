/**
 * The emergency plan (应急预案) document: what `plans/*.yml`, `tocsin plans lint` and the console's
 * editor validate against (docs/plans.md). Every object is strict: an unknown field is an error, so a
 * misspelt field is never silently ignored. `schemas/plan.schema.json` is generated from `Plan`
 * (`npm run schemas`); a test fails when the committed file is stale.
 */
import { z } from 'zod';
import { ALERT_LEVELS, CATEGORIES, GRADES, PARTICIPANT_ROLES } from './enums.js';

/** The phases of a plan, in the order they run (the lifecycle's contain, eradicate, recover, plus communicate). */
export const PLAN_PHASES = ['contain', 'eradicate', 'recover', 'communicate'] as const;

/** Containment actions a plan may ask a connector for; `http` and `command` are the generic ones. */
export const PLAN_ACTIONS = [
  'block_ip',
  'isolate_host',
  'disable_account',
  'revoke_sessions',
  'force_password_reset',
  'freeze_transfers',
  'halt_channel',
  'http',
  'command',
] as const;

/** Who must agree before an automatic action runs: nobody, one person, or two (the requester cannot approve). */
export const APPROVALS = ['none', 'one_person', 'two_person'] as const;

/**
 * Statements a communication step drafts (the statement module drafts it from its template on
 * activation, and the step's task tells a person to finish it). The last four came with issue 11;
 * holding statements, status updates and investigation results publish to the public status site.
 */
export const STATEMENT_KINDS = [
  'internal_briefing',
  'customer_notice',
  'regulator_report',
  'media_statement',
  'rumor_clarification',
  'exchange_notice',
  'holding_statement',
  'status_update',
  'investigation_result',
  'qa_pack',
] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];

/**
 * The names a template (`{{ name }}`) may use in an action's parameters. Entities expand to the values of
 * that kind found in the alerts of the incident; `alert.fields.<field>` to a field of the alert's events.
 */
export const TEMPLATE_NAMES = [
  'incident.key',
  'incident.title',
  'incident.category',
  'incident.grade',
  'incident.url',
  'alert.id',
  'alert.rule_id',
  'alert.title',
  'alert.level',
  'alert.entities.ip',
  'alert.entities.account',
  'alert.entities.host',
  'plan.id',
] as const;
/** Prefix of the names that reach an event field of the alert: `alert.fields.<field>`. */
export const TEMPLATE_FIELD_PREFIX = 'alert.fields.';
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const TEMPLATE = /\{\{([^{}]*)\}\}/g;

/** The names used by the templates of `text` that are not allowed (empty when all are). */
export function unknownTemplateNames(text: string): string[] {
  const unknown: string[] = [];
  for (const m of text.matchAll(TEMPLATE)) {
    const name = m[1]!.trim();
    const allowed =
      (TEMPLATE_NAMES as readonly string[]).includes(name) ||
      (name.startsWith(TEMPLATE_FIELD_PREFIX) && FIELD_NAME.test(name.slice(TEMPLATE_FIELD_PREFIX.length)));
    if (!allowed) unknown.push(name);
  }
  return unknown;
}

const Slug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lowercase letters, digits, "-" or "_"');
const Localized = z.strictObject({ 'zh-CN': z.string().trim().min(1), en: z.string().trim().min(1) });
/** A due offset from activation: `+15m`, `+2h`, `+1d`. */
const DueOffset = z.string().regex(/^\+[1-9][0-9]{0,3}[mhd]$/, 'must be an offset such as +15m, +2h or +1d');

const TemplateText = z.string().superRefine((text, ctx) => {
  if (/\{\{|\}\}/.test(text.replace(TEMPLATE, '')))
    ctx.addIssue({ code: 'custom', message: 'a template is not closed: write {{ name }}' });
  for (const name of unknownTemplateNames(text)) {
    ctx.addIssue({
      code: 'custom',
      message: `template names "${name}", which is not one of ${TEMPLATE_NAMES.join(', ')}, ${TEMPLATE_FIELD_PREFIX}<field>`,
    });
  }
});

const Trigger = z
  .strictObject({
    rules: z.array(z.string().min(1)).min(1).optional(),
    tags: z.array(z.string().min(1)).min(1).optional(),
    categories: z.array(z.enum(CATEGORIES)).min(1).optional(),
    min_grade: z.enum(GRADES).optional(),
    services: z.array(Slug).min(1).optional(),
    min_level: z.enum(ALERT_LEVELS).optional(),
  })
  .refine((t) => Object.keys(t).length > 0, 'a trigger needs at least one condition');

const Role = z.strictObject({
  id: Slug,
  name: Localized,
  /** The incident participant role the person takes. */
  participant_role: z.enum(PARTICIPANT_ROLES).optional(),
  /** Who fills the role: the person on call on `schedule` when the plan starts, paged up `escalation`'s levels. */
  oncall: z.strictObject({ schedule: Slug, escalation: Slug.optional() }).optional(),
});

const Step = {
  id: Slug,
  title: Localized,
  owner: Slug,
  due: DueOffset,
  depends_on: z.array(Slug).optional(),
};

const Task = z.strictObject({ ...Step, checklist: z.array(Localized).max(50).optional() });
/** Steps in one list at most (a plan is read by people; it also bounds the dependency search). */
const MAX_STEPS = 200;
const Tasks = z.array(Task).max(MAX_STEPS).optional();

/**
 * Which alerts of the incident an action's `alert.*` templates read (docs/plans.md, "Choosing the alerts"):
 * an alert is selected when every condition given holds — its rule is one of `rules`, it has one of
 * `tags`, its level is at least `min_level`. Without `from_alerts` an action reads every alert.
 */
export const AlertSelector = z
  .strictObject({
    rules: z.array(z.string().min(1)).min(1).optional(),
    tags: z.array(z.string().min(1)).min(1).optional(),
    min_level: z.enum(ALERT_LEVELS).optional(),
    /**
     * Take the entities only from the chosen alerts' events whose fields have these values (one value or
     * any of a list): `outcome: success` keeps the account logged into, not the ones merely tried.
     */
    events: z
      .record(
        z.string().regex(FIELD_NAME, 'must be an event field name'),
        z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
      )
      .refine((m) => Object.keys(m).length > 0, 'events needs at least one field')
      .optional(),
  })
  .refine(
    (t) => Object.keys(t).length > 0,
    'from_alerts needs at least one condition: rules, tags, min_level or events',
  );
export type AlertSelector = z.infer<typeof AlertSelector>;

const Action = z.strictObject({
  id: Slug,
  title: Localized,
  phase: z.enum(PLAN_PHASES),
  /** The name of a configured connector. */
  connector: Slug,
  action: z.enum(PLAN_ACTIONS),
  parameters: z.record(z.string(), z.union([TemplateText, z.number(), z.boolean(), z.array(TemplateText)])).optional(),
  approval: z.enum(APPROVALS),
  depends_on: z.array(Slug).optional(),
  /** The alerts the parameters' `alert.*` templates read; asked again as new matching alerts join. */
  from_alerts: AlertSelector.optional(),
});

const Communication = z.strictObject({ ...Step, statement: z.enum(STATEMENT_KINDS) });

const PlanShape = z.strictObject({
  id: Slug,
  name: Localized,
  scenario: Localized,
  /** Months after approval before the plan must be reviewed again. */
  review_period_months: z.int().min(1).max(36).default(12),
  triggers: z.array(Trigger).min(1),
  roles: z.array(Role).min(1),
  phases: z
    .strictObject({
      contain: Tasks,
      eradicate: Tasks,
      recover: Tasks,
      communicate: Tasks,
    })
    .refine((p) => Object.values(p).some((tasks) => tasks && tasks.length > 0), 'a plan needs at least one task'),
  actions: z.array(Action).max(MAX_STEPS).optional(),
  communications: z.array(Communication).max(MAX_STEPS).optional(),
});
type PlanShape = z.infer<typeof PlanShape>;

/** Whether some parameter's template reads an alert (`{{ alert.… }}`). */
function readsAlerts(parameters: Record<string, string | number | boolean | string[]> | undefined): boolean {
  const texts = Object.values(parameters ?? {}).flatMap((p) =>
    typeof p === 'string' ? [p] : Array.isArray(p) ? p : [],
  );
  return texts.some((t) => [...t.matchAll(TEMPLATE)].some((m) => m[1]!.trim().startsWith('alert.')));
}

/** Cross-references: unique step ids, owners among the roles, known and acyclic depends_on. */
function checkReferences(plan: PlanShape, ctx: z.RefinementCtx): void {
  const steps: { id: string; path: (string | number)[]; owner?: string; depends_on?: string[] }[] = [];
  for (const phase of PLAN_PHASES)
    (plan.phases[phase] ?? []).forEach((t, i) => {
      steps.push({ ...t, path: ['phases', phase, i] });
    });
  (plan.actions ?? []).forEach((a, i) => {
    steps.push({ id: a.id, depends_on: a.depends_on, path: ['actions', i] });
    if (a.from_alerts && !readsAlerts(a.parameters))
      ctx.addIssue({
        code: 'custom',
        path: ['actions', i, 'from_alerts'],
        message: 'from_alerts chooses the alerts the alert.* templates read, but no parameter of this action has one',
      });
  });
  (plan.communications ?? []).forEach((c, i) => {
    steps.push({ ...c, path: ['communications', i] });
  });

  // Past the limits (already reported) the search below would go too deep.
  if (steps.length > 6 * MAX_STEPS) return;
  const roles = new Set(plan.roles.map((r) => r.id));
  const byId = new Map<string, (typeof steps)[number]>();
  for (const s of steps) {
    if (byId.has(s.id))
      ctx.addIssue({ code: 'custom', path: [...s.path, 'id'], message: `duplicate step id "${s.id}"` });
    else byId.set(s.id, s);
    if (s.owner !== undefined && !roles.has(s.owner))
      ctx.addIssue({
        code: 'custom',
        path: [...s.path, 'owner'],
        message: `owner "${s.owner}" is not one of the roles`,
      });
    (s.depends_on ?? []).forEach((dep, j) => {
      if (!steps.some((o) => o.id === dep))
        ctx.addIssue({
          code: 'custom',
          path: [...s.path, 'depends_on', j],
          message: `depends on unknown step "${dep}"`,
        });
    });
  }

  // Depth-first search; a dependency back onto the current path closes a cycle, reported once where it closes.
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string, trail: string[]): void => {
    state.set(id, 'open');
    const s = byId.get(id)!;
    (s.depends_on ?? []).forEach((dep, j) => {
      if (!byId.has(dep)) return;
      if (state.get(dep) === 'open') {
        const path = [...trail, id];
        const cycle = [...path.slice(path.indexOf(dep)), dep];
        ctx.addIssue({
          code: 'custom',
          path: [...s.path, 'depends_on', j],
          message: `dependency cycle: ${cycle.join(' -> ')}`,
        });
      } else if (!state.has(dep)) visit(dep, [...trail, id]);
    });
    state.set(id, 'done');
  };
  for (const id of byId.keys()) if (!state.has(id)) visit(id, []);
}

/** An emergency plan document. */
export const Plan = PlanShape.superRefine(checkReferences);
export type Plan = z.infer<typeof Plan>;

/** The published JSON Schema of a plan document (`schemas/plan.schema.json`); cross-references are checked by `Plan` only. */
export function planJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(PlanShape, { target: 'draft-2020-12', io: 'input' }),
    title: 'Tocsin emergency plan (应急预案)',
  };
}

// --- The plans API (stored plans, versions, review; docs/plans.md) ---

/** A stored version's review state: draft -> approved -> active -> retired (one active version per plan). */
export const PLAN_STATUSES = ['draft', 'approved', 'active', 'retired'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** The largest plan source the API takes (characters), as `tocsin plans lint` takes files of 1 MB. */
const MAX_SOURCE = 1024 * 1024;

/** `POST /api/v1/plans` and `POST /api/v1/plans/lint`: the YAML text of a plan. */
export const PlanSourceBody = z.strictObject({ source: z.string().max(MAX_SOURCE) });

/** A problem of a plan source, at a line and column (from 1). */
export const PlanLintProblem = z.object({ line: z.int(), column: z.int(), message: z.string() });
export const PlanLintResponse = z.object({ problems: z.array(PlanLintProblem) });

const Who = z.object({ id: z.string().nullable(), name: z.string() }).nullable();

/** One stored version, without its source. */
export const PlanVersionInfo = z.object({
  planId: z.string(),
  version: z.int(),
  status: z.enum(PLAN_STATUSES),
  sha256: z.string(),
  createdBy: Who,
  createdAt: z.string(),
  approvedBy: Who,
  approvedAt: z.string().nullable(),
  activatedBy: Who,
  activatedAt: z.string().nullable(),
  retiredAt: z.string().nullable(),
});
export type PlanVersionInfo = z.infer<typeof PlanVersionInfo>;

/** One version with its YAML source and parsed document. */
export const PlanVersionDetail = PlanVersionInfo.extend({ source: z.string(), document: z.unknown() });

/** A plan in the list: names, latest and active versions, and when its review is due. */
export const PlanSummary = z.object({
  id: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  latestVersion: z.int(),
  /** Status of the latest version. */
  status: z.enum(PLAN_STATUSES),
  activeVersion: z.int().nullable(),
  /** The active version's approval plus its review period; null without an active version. */
  reviewDueAt: z.string().nullable(),
  /** The review date has passed. */
  reviewDue: z.boolean(),
  updatedAt: z.string(),
});
export type PlanSummary = z.infer<typeof PlanSummary>;

export const PlanList = z.object({ items: z.array(PlanSummary) });

/** `GET /api/v1/plans/:id`: the plan and its versions, newest first. */
export const PlanDetail = PlanSummary.extend({ versions: z.array(PlanVersionInfo) });

/** The outcome of an import: `changed: false` when the source equals the latest version's byte for byte. */
export const PlanImportResult = z.object({ plan: PlanSummary, version: PlanVersionInfo, changed: z.boolean() });

export const PlanVersionParams = z.strictObject({
  id: z.string().min(1).max(64),
  version: z.coerce.number().int().min(1).max(1_000_000),
});

export const PlanDiffQuery = z.strictObject({
  from: z.coerce.number().int().min(1).max(1_000_000),
  to: z.coerce.number().int().min(1).max(1_000_000),
});

/** A unified diff of two versions' YAML sources. */
export const PlanDiff = z.object({ planId: z.string(), from: z.int(), to: z.int(), diff: z.string() });

export const PlanCacaoQuery = z.strictObject({ version: z.coerce.number().int().min(1).max(1_000_000).optional() });

/** The top-level properties of a CACAO 2.0 playbook (its schema allows no others). */
const CACAO_PLAYBOOK_FIELDS = [
  'type',
  'spec_version',
  'id',
  'name',
  'description',
  'playbook_types',
  'playbook_activities',
  'playbook_processing_summary',
  'created_by',
  'created',
  'modified',
  'revoked',
  'valid_from',
  'valid_until',
  'derived_from',
  'related_to',
  'priority',
  'severity',
  'impact',
  'industry_sectors',
  'labels',
  'external_references',
  'markings',
  'playbook_variables',
  'workflow_start',
  'workflow_exception',
  'workflow',
  'playbook_extensions',
  'authentication_info_definitions',
  'agent_definitions',
  'target_definitions',
  'extension_definitions',
  'data_marking_definitions',
  'signatures',
] as const;

/** `POST /api/v1/plans/cacao`: a CACAO 2.0 playbook (JSON); its content is checked by the importer. */
export const CacaoPlaybookBody = z.strictObject(
  Object.fromEntries(CACAO_PLAYBOOK_FIELDS.map((f) => [f, z.unknown().optional()])) as Record<
    (typeof CACAO_PLAYBOOK_FIELDS)[number],
    z.ZodOptional<z.ZodUnknown>
  >,
);
