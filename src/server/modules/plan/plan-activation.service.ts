/**
 * Activation: a plan starting on an incident. Tocsin activates every active plan whose triggers match
 * when an incident is declared and again when its grade, category, services or alerts change (outbox
 * events of the incident module); a person may activate one by hand. An activation, in one transaction:
 * records itself (once per plan and incident: the second time does nothing), fills the plan's roles from
 * on-call and brings those people in, creates the tasks with their due times, pages the people, asks for
 * the automatic actions (run at once, or held for approval; a drill's actions run dry), and records each
 * step on the timeline and in the audit log. The ports (on-call, paging, actions) are given at wiring.
 */
import type { ActivationDetails, PlanActivation } from '../../../shared/activation-schemas.js';
import type { Incident } from '../../../shared/incident-schemas.js';
import { PLAN_PHASES, type Plan } from '../../../shared/plan-schemas.js';
import type { Bus } from '../../platform/bus.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { invalid } from '../../platform/errors.js';
import { newId, iso, type Clock } from '../../platform/ids.js';
import type { IncidentAlertFacts } from '../alert/index.js';
import type { Actor, AuditService } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { IncidentService, PlanTaskInput } from '../incident/index.js';
import type { UserService } from '../user/index.js';
import {
  activationById,
  activationsOf,
  insertActivation,
  setActivationDetails,
  type ActivationRow,
} from './activation.repository.js';
import { fillParameters, type FilledParameter } from './plan-parameters.js';
import { matchingTrigger } from './plan-triggers.js';
import type { ActivePlan } from './plan.service.js';

/** An automatic action a plan asks for. */
export interface ActionAsk {
  incidentId: string;
  activationId: string;
  planId: string;
  planVersion: number;
  stepId: string;
  title: Plan['name'];
  connector: string;
  action: string;
  parameters: Record<string, FilledParameter>;
  approval: 'none' | 'one_person' | 'two_person';
  /** Steps of the plan this one waits for (actions among them must succeed first). */
  dependsOn: string[];
  /** Idempotency key of the run: one run per activation and step. */
  key: string;
  dryRun: boolean;
}

/** People paged for an activation. */
export interface PageAsk {
  incidentId: string;
  incidentKey: string;
  activationId: string;
  /** Plan role id -> user; the paging module pages each through their contact routes. */
  recipients: { roleId: string; userId: string }[];
  /** Escalation policies named by the plan's roles (pages go up their levels when nobody acknowledges). */
  escalations: { roleId: string; policy: string }[];
  subject: Plan['name'];
  key: string;
}

export interface ActivationPorts {
  /** The user on call now on the schedule named `name`; null when none (or no such schedule). */
  onCall?(name: string, at: number, db: Db): Promise<string | null>;
  /** Asks for an action in the caller's transaction; a reason when it cannot be asked for (unknown connector). */
  requestAction?(tx: Db, ask: ActionAsk): Promise<string | null>;
  /** Pages in the caller's transaction. */
  page?(tx: Db, ask: PageAsk): Promise<void>;
  /** The states of the action runs with these idempotency keys (absent: never asked for). */
  actionStates?(db: Db, keys: string[]): Promise<Map<string, string>>;
  /** Drafts the statement of a communication step in the caller's transaction (once per incident and step); its id. */
  draftStatement?(tx: Db, ask: StatementAsk): Promise<string>;
}

/** The statement a plan's communication step names, drafted on activation. */
export interface StatementAsk {
  incidentId: string;
  planId: string;
  stepId: string;
  kind: NonNullable<Plan['communications']>[number]['statement'];
}

export interface ActivationDeps {
  store: Store;
  audit: AuditService;
  bus: Bus;
  clock: Clock;
  users: UserService;
  incidents: IncidentService;
  alertFacts: (incidentId: string, db: Db) => Promise<IncidentAlertFacts>;
  /** The active version of every plan (from the plan store). */
  runnablePlans: (db: Db) => Promise<ActivePlan[]>;
  publicUrl: string;
  ports: ActivationPorts;
}

const PLAN_ACTOR: Actor = { id: null, label: 'system (plans)' };

type Problem = ActivationDetails['problems'][number];

type PlanAction = NonNullable<Plan['actions']>[number];

/** The other actions of the plan that `a` waits for (its depends_on among the plan's actions; tasks do not hold an action back). */
const waitsOn = (doc: Plan, a: PlanAction) =>
  (a.depends_on ?? []).filter((id) => (doc.actions ?? []).some((x) => x.id === id));
const OFFSET_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const dueOffset = (due: string) => Number(due.slice(1, -1)) * OFFSET_MS[due.slice(-1) as keyof typeof OFFSET_MS];

export function createActivationService(deps: ActivationDeps) {
  const { store, audit, bus, clock, users, incidents, ports } = deps;

  async function view(
    db: Db,
    incidentKey: string,
    incidentId: string,
    rows: ActivationRow[],
  ): Promise<PlanActivation[]> {
    const tasks = await incidents.planTasks(db, incidentId);
    const details = rows.map((r) => JSON.parse(r.details) as ActivationDetails);
    const ids = [
      ...rows.flatMap((r) => (r.activated_by ? [r.activated_by] : [])),
      ...details.flatMap((d) => Object.values(d.roles).filter((u): u is string => !!u)),
    ];
    const names = await users.namesOf(ids, db);
    const person = (id: string | null) => (id ? { id, name: names.get(id) ?? '' } : null);
    const now = clock.now();
    return rows.map((r, i) => {
      const doc = JSON.parse(r.document) as Plan;
      const mine = tasks.filter((t) => t.activationId === r.id);
      return {
        id: r.id,
        incidentKey,
        planId: r.plan_id,
        planVersion: Number(r.plan_version),
        name: doc.name,
        activatedAt: iso(Number(r.activated_at)),
        activatedBy: person(r.activated_by),
        details: details[i]!,
        roles: doc.roles.map((role) => ({
          id: role.id,
          name: role.name,
          user: person(details[i]!.roles[role.id] ?? null),
        })),
        progress: PLAN_PHASES.map((phase) => {
          const of = mine.filter((t) => t.phase === phase);
          const finished = (s: string) => s === 'done' || s === 'cancelled';
          return {
            phase,
            total: of.length,
            done: of.filter((t) => finished(t.status)).length,
            overdue: of.filter((t) => !finished(t.status) && t.dueAt != null && Number(t.dueAt) < now).length,
          };
        }),
      };
    });
  }

  /** Asks for one automatic action of an activation; why it could not be asked for, or null. */
  async function askAction(
    tx: Db,
    row: ActivationRow,
    version: number,
    doc: Plan,
    a: PlanAction,
    incident: { id: string; key: string; title: string; category: string; grade: string; drill: boolean },
    alerts: IncidentAlertFacts,
  ): Promise<Problem | null> {
    const { values, missing } = fillParameters(a.parameters, {
      incident: { ...incident, url: new URL(`/incidents/${incident.key}`, deps.publicUrl).toString() },
      planId: doc.id,
      alerts,
    });
    if (missing.length)
      return {
        step: a.id,
        reason: 'no_value',
        params: { names: missing.join(', ') },
        message: `no value for ${missing.join(', ')} in this incident`,
      };
    if (!ports.requestAction)
      return { step: a.id, reason: 'unavailable', params: {}, message: 'actions are not available in this Tocsin' };
    const refused = await ports.requestAction(tx, {
      incidentId: incident.id,
      activationId: row.id,
      planId: row.plan_id,
      planVersion: version,
      stepId: a.id,
      title: a.title,
      connector: a.connector,
      action: a.action,
      parameters: values,
      approval: a.approval,
      dependsOn: a.depends_on ?? [],
      key: `${row.id}:${a.id}`,
      dryRun: incident.drill,
    });
    return refused ? { step: a.id, reason: 'refused', params: {}, message: refused } : null;
  }

  /** Activates `plan` on the incident in `tx`; null when it already runs there. */
  async function activateIn(
    tx: Db,
    actor: Actor,
    /** The incident as it is now, and what its alerts say (read once for all the plans that start). */
    on: { incident: Incident; alerts: IncidentAlertFacts },
    plan: ActivePlan,
    why: { trigger?: number; note?: string },
  ): Promise<{ row: ActivationRow; publish: () => void } | null> {
    const { incident, alerts } = on;
    const incidentId = incident.id;
    const now = clock.now();
    const doc = plan.document;
    const row: ActivationRow = {
      id: newId(),
      incident_id: incidentId,
      plan_id: plan.planId,
      plan_version: plan.version,
      document: JSON.stringify(doc),
      activated_by: actor.id,
      details: '{}',
      activated_at: now,
    };
    if (!(await insertActivation(tx, row))) return null;
    const publishers: (() => void)[] = [];

    // Roles from on-call: the person on the role's schedule now takes the role's part in the incident.
    const roles: Record<string, string | null> = {};
    for (const role of doc.roles) {
      const userId = role.oncall && ports.onCall ? await ports.onCall(role.oncall.schedule, now, tx) : null;
      roles[role.id] = userId;
      if (userId && role.participant_role) await incidents.enlist(tx, actor, incidentId, userId, role.participant_role);
    }
    const ownerOf = (roleId: string) => ({
      ownerUserId: roles[roleId] ?? null,
      ownerRole: doc.roles.find((r) => r.id === roleId)?.participant_role ?? null,
    });

    const tasks: PlanTaskInput[] = [];
    for (const phase of PLAN_PHASES)
      for (const t of doc.phases[phase] ?? [])
        tasks.push({
          activationId: row.id,
          step: t.id,
          phase,
          title: t.title,
          checklist: t.checklist ?? [],
          dueAt: now + dueOffset(t.due),
          ...ownerOf(t.owner),
        });
    // A communication step drafts its statement from the template at once (a holding statement is ready
    // within the activation), and its task of the communicate phase tells a person to finish and submit it.
    for (const c of doc.communications ?? []) {
      const statementId = ports.draftStatement
        ? await ports.draftStatement(tx, { incidentId, planId: plan.planId, stepId: c.id, kind: c.statement })
        : null;
      tasks.push({
        activationId: row.id,
        step: c.id,
        phase: 'communicate',
        title: c.title,
        checklist: statementId
          ? [
              {
                'zh-CN': `完成声明草稿并提交审核（声明 ${statementId}）`,
                en: `Finish the draft statement and submit it for review (statement ${statementId})`,
              },
            ]
          : [],
        dueAt: now + dueOffset(c.due),
        ...ownerOf(c.owner),
      });
    }
    const created = await incidents.addPlanTasks(tx, actor, incidentId, tasks);
    publishers.push(created.publish);

    // Actions that wait for other actions are asked for when those succeed (onActionSettled).
    const problems: ActivationDetails['problems'] = [];
    let asked = 0;
    let waiting = 0;
    for (const a of doc.actions ?? [])
      if (waitsOn(doc, a).length > 0) waiting++;
      else {
        const refused = await askAction(tx, row, plan.version, doc, a, incident, alerts);
        if (refused) problems.push(refused);
        else asked++;
      }

    const recipients = doc.roles.flatMap((r) => (roles[r.id] ? [{ roleId: r.id, userId: roles[r.id]! }] : []));
    const escalations = doc.roles.flatMap((r) =>
      r.oncall?.escalation ? [{ roleId: r.id, policy: r.oncall.escalation }] : [],
    );
    if (ports.page && (recipients.length || escalations.length))
      await ports.page(tx, {
        incidentId,
        incidentKey: incident.key,
        activationId: row.id,
        recipients,
        escalations,
        subject: doc.name,
        key: row.id,
      });
    for (const r of doc.roles)
      if (r.oncall && !roles[r.id])
        problems.push({
          step: r.id,
          reason: 'no_oncall',
          params: { schedule: r.oncall.schedule },
          message: `nobody is on call on schedule "${r.oncall.schedule}"`,
        });

    const details: ActivationDetails = { ...why, roles, problems };
    await setActivationDetails(tx, row.id, JSON.stringify(details));
    const note = await incidents.recordOnTimeline(tx, incidentId, {
      actorId: actor.id,
      text: `Plan "${doc.name.en}" v${plan.version} activated${why.trigger !== undefined ? ` by trigger ${why.trigger + 1}` : ''}: ${tasks.length} tasks, ${asked} actions asked for${waiting ? `, ${waiting} waiting for others` : ''}${problems.length ? `, ${problems.length} problems` : ''}`,
      data: {
        event: 'plan_activated',
        trigger: why.trigger ?? null,
        tasks: tasks.length,
        activationId: row.id,
        planId: plan.planId,
        version: plan.version,
        names: doc.name,
        problems,
      },
    });
    publishers.push(note.publish);
    await audit.append(tx, actor, {
      action: 'plan.activation',
      targetType: 'incident',
      targetId: incident.key,
      after: { activationId: row.id, planId: plan.planId, version: plan.version, ...details },
      incidents: [incidentId],
    });
    const saved = { ...row, details: JSON.stringify(details) };
    const [activation] = await view(tx, incident.key, incidentId, [saved]);
    const audience = (await incidents.refs(tx, [incidentId])).get(incidentId)!.audience;
    publishers.push(() => bus.publish({ event: 'plan.activated', incidentKey: incident.key, activation, audience }));
    return {
      row: saved,
      publish: () => {
        for (const p of publishers) p();
      },
    };
  }

  return {
    /** Starts every active plan whose triggers match the incident now (the outbox's incident events land here). */
    async evaluate(incidentId: string): Promise<string[]> {
      const published: (() => void)[] = [];
      const started = await store.transaction(async (tx) => {
        const incident = await incidents.current(tx, incidentId);
        if (incident.status === 'closed' || incident.status === 'false_positive') return [];
        const alerts = await deps.alertFacts(incidentId, tx);
        const facts = {
          ruleIds: alerts.ruleIds,
          tags: [...alerts.tags, ...incident.tags],
          category: incident.category,
          grade: incident.grade,
          services: [...new Set([...incident.services.map((s) => s.key), ...alerts.services])],
          level: alerts.level,
        };
        const out: string[] = [];
        for (const plan of await deps.runnablePlans(tx)) {
          const trigger = matchingTrigger(plan.document, facts);
          if (trigger < 0) continue;
          const done = await activateIn(tx, PLAN_ACTOR, { incident, alerts }, plan, { trigger });
          if (done) {
            published.push(done.publish);
            out.push(plan.planId);
          }
        }
        return out;
      });
      for (const p of published) p();
      return started;
    },

    /** A person activates a plan on an incident (the war room, the CLI); 409 when it already runs there. */
    async activate(p: Principal, incidentKey: string, planId: string, note?: string): Promise<PlanActivation> {
      assertCan(p, 'plan.run');
      let publish = () => {};
      const activation = await store.transaction(async (tx) => {
        const incident = await incidents.loadVisible(tx, p, incidentKey);
        const plan = (await deps.runnablePlans(tx)).find((x) => x.planId === planId);
        if (!plan)
          throw invalid(
            `no active plan "${planId}"`,
            [{ path: 'planId', message: 'not an active plan', code: 'unknown_plan' }],
            {
              code: 'plan.not_active',
              params: { planId },
            },
          );
        const on = { incident, alerts: await deps.alertFacts(incident.id, tx) };
        const done = await activateIn(tx, actorOf(p), on, plan, { note });
        if (!done) {
          const existing = (await activationsOf(tx, incident.id)).find((r) => r.plan_id === planId)!;
          return (await view(tx, incident.key, incident.id, [existing]))[0]!;
        }
        publish = done.publish;
        return (await view(tx, incident.key, incident.id, [done.row]))[0]!;
      });
      publish();
      return activation;
    },

    /**
     * An action run ended (the outbox's `action.settled`): when it was a plan's step and succeeded, the
     * plan's actions that waited for it are asked for once all they wait for has succeeded.
     */
    async onActionSettled(e: { key: string; state: string; stepId: string | null }): Promise<string[]> {
      if (e.state !== 'succeeded' || !e.stepId || !e.key.endsWith(`:${e.stepId}`)) return [];
      const activationId = e.key.slice(0, -e.stepId.length - 1);
      const published: (() => void)[] = [];
      const asked = await store.transaction(async (tx) => {
        const row = await activationById(tx, activationId);
        if (!row) return [];
        const doc = JSON.parse(row.document) as Plan;
        const incident = await incidents.current(tx, row.incident_id);
        const details = JSON.parse(row.details) as ActivationDetails;
        let alerts: IncidentAlertFacts | undefined;
        const out: string[] = [];
        for (const a of doc.actions ?? []) {
          const waits = waitsOn(doc, a);
          if (!waits.includes(e.stepId!)) continue;
          const states =
            (await ports.actionStates?.(
              tx,
              waits.map((d) => `${row.id}:${d}`),
            )) ?? new Map();
          if (!waits.every((d) => states.get(`${row.id}:${d}`) === 'succeeded')) continue;
          alerts ??= await deps.alertFacts(row.incident_id, tx);
          const refused = await askAction(tx, row, Number(row.plan_version), doc, a, incident, alerts);
          if (refused) {
            details.problems.push(refused);
            await setActivationDetails(tx, row.id, JSON.stringify(details));
          } else out.push(a.id);
        }
        if (out.length) {
          const note = await incidents.recordOnTimeline(tx, row.incident_id, {
            text: `Plan "${doc.name.en}": ${out.join(', ')} asked for after ${e.stepId} succeeded`,
            data: {
              event: 'plan_step',
              activationId: row.id,
              planId: row.plan_id,
              names: doc.name,
              steps: out,
              after: e.stepId,
            },
          });
          published.push(note.publish);
        }
        return out;
      });
      for (const p of published) p();
      return asked;
    },

    /** The plans running on an incident with their progress. */
    async list(p: Principal, incidentKey: string): Promise<PlanActivation[]> {
      assertCan(p, 'incident.read');
      const incident = await incidents.loadVisible(store.db, p, incidentKey);
      return view(store.db, incident.key, incident.id, await activationsOf(store.db, incident.id));
    },
  };
}

export type ActivationService = ReturnType<typeof createActivationService>;
