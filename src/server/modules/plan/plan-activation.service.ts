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
import type { FactsChoice, IncidentAlertFacts } from '../alert/index.js';
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
import { createAsker, parseRunKey, runKey, waitsOn, type ActionAsk } from './plan-asking.js';
import { createReasking } from './plan-reask.js';
import { matchingTrigger } from './plan-triggers.js';
import type { ActivePlan } from './plan.service.js';

export type { ActionAsk } from './plan-asking.js';

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
  /** What the incident's alerts say (only those `choice` chooses, when given). */
  alertFacts: (incidentId: string, db: Db, choice?: FactsChoice) => Promise<IncidentAlertFacts>;
  /** The active version of every plan (from the plan store). */
  runnablePlans: (db: Db) => Promise<ActivePlan[]>;
  publicUrl: string;
  ports: ActivationPorts;
}

const PLAN_ACTOR: Actor = { id: null, label: 'system (plans)' };

const OFFSET_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const dueOffset = (due: string) => Number(due.slice(1, -1)) * OFFSET_MS[due.slice(-1) as keyof typeof OFFSET_MS];

export function createActivationService(deps: ActivationDeps) {
  const { store, audit, bus, clock, users, incidents, ports } = deps;
  const ask = createAsker({
    clock,
    publicUrl: deps.publicUrl,
    alertFacts: deps.alertFacts,
    requestAction: ports.requestAction ? (tx, a) => ports.requestAction!(tx, a) : undefined,
  });
  const reasking = createReasking({
    ask,
    incidents,
    alertFacts: (id, db) => deps.alertFacts(id, db),
    actionStates: ports.actionStates ? (db, keys) => ports.actionStates!(db, keys) : undefined,
  });

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
    // An action whose from_alerts matches no alert yet waits for one (asked again as alerts join).
    const problems: ActivationDetails['problems'] = [];
    const awaitingAlerts: string[] = [];
    let asked = 0;
    let waiting = 0;
    for (const a of doc.actions ?? [])
      if (waitsOn(doc, a).length > 0) waiting++;
      else {
        const out = await ask(tx, row, doc, a, incident, async () => alerts);
        if (out.kind === 'problem') problems.push(out.problem);
        else if (out.kind === 'waiting') awaitingAlerts.push(a.id);
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

    const details: ActivationDetails = {
      ...why,
      roles,
      problems,
      ...(awaitingAlerts.length ? { awaitingAlerts } : {}),
    };
    await setActivationDetails(tx, row.id, JSON.stringify(details));
    const note = await incidents.recordOnTimeline(tx, incidentId, {
      actorId: actor.id,
      text: `Plan "${doc.name.en}" v${plan.version} activated${why.trigger !== undefined ? ` by trigger ${why.trigger + 1}` : ''}: ${tasks.length} tasks, ${asked} actions asked for${waiting ? `, ${waiting} waiting for others` : ''}${awaitingAlerts.length ? `, ${awaitingAlerts.length} waiting for matching alerts (${awaitingAlerts.join(', ')})` : ''}${problems.length ? `, ${problems.length} problems` : ''}`,
      data: {
        event: 'plan_activated',
        trigger: why.trigger ?? null,
        tasks: tasks.length,
        activationId: row.id,
        planId: plan.planId,
        version: plan.version,
        names: doc.name,
        problems,
        awaitingAlerts,
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

  /** What a plan's triggers are matched against: the incident and what its alerts say. */
  const factsOf = (incident: Incident, alerts: IncidentAlertFacts) => ({
    ruleIds: alerts.ruleIds,
    tags: [...alerts.tags, ...incident.tags],
    category: incident.category,
    grade: incident.grade,
    services: [...new Set([...incident.services.map((s) => s.key), ...alerts.services])],
    level: alerts.level,
  });

  /**
   * Whether `evaluate` could change anything now: a plan not yet running there whose trigger matches,
   * or a running plan that asks its actions again as alerts join. Read outside any transaction, so the
   * common answer (an alert joined, nothing to start) holds no writer back: `evaluate`'s transaction
   * takes the audit-chain lock, which every writer in every process waits for. A yes is checked again
   * inside it.
   */
  async function mayAct(incidentId: string): Promise<boolean> {
    const incident = await incidents.current(store.db, incidentId);
    if (incident.status === 'closed' || incident.status === 'false_positive') return false;
    const rows = await activationsOf(store.db, incidentId);
    if (rows.some((r) => (JSON.parse(r.document) as Plan).actions?.some((a) => a.from_alerts))) return true;
    const running = new Set(rows.map((r) => r.plan_id));
    const plans = (await deps.runnablePlans(store.db)).filter((x) => !running.has(x.planId));
    if (!plans.length) return false;
    const facts = factsOf(incident, await deps.alertFacts(incidentId, store.db));
    return plans.some((x) => matchingTrigger(x.document, facts) >= 0);
  }

  return {
    /** Starts every active plan whose triggers match the incident now (the outbox's incident events land here). */
    async evaluate(incidentId: string): Promise<string[]> {
      if (!(await mayAct(incidentId))) return [];
      const published: (() => void)[] = [];
      const started = await store.transaction(async (tx) => {
        const incident = await incidents.current(tx, incidentId);
        if (incident.status === 'closed' || incident.status === 'false_positive') return [];
        const alerts = await deps.alertFacts(incidentId, tx);
        const facts = factsOf(incident, alerts);
        // The plans already running ask their selector actions for what the alerts that joined bring.
        for (const row of await activationsOf(tx, incidentId)) {
          const publish = await reasking.afterAlerts(tx, row, incident);
          if (publish) published.push(publish);
        }
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
      const run = e.stepId ? parseRunKey(e.key, e.stepId) : null;
      if (e.state !== 'succeeded' || !e.stepId || !run) return [];
      const stepId = e.stepId;
      const published: (() => void)[] = [];
      const asked = await store.transaction(async (tx) => {
        const row = await activationById(tx, run.activationId);
        if (!row) return [];
        const doc = JSON.parse(row.document) as Plan;
        const incident = await incidents.current(tx, row.incident_id);
        const out: string[] = [];
        if (run.round) out.push(...(await reasking.afterRoundStep(tx, row, incident, stepId, run.round)));
        else {
          const details = JSON.parse(row.details) as ActivationDetails;
          let alerts: Promise<IncidentAlertFacts> | undefined;
          const allAlerts = () => (alerts ??= deps.alertFacts(row.incident_id, tx));
          let changed = false;
          for (const a of doc.actions ?? []) {
            const waits = waitsOn(doc, a);
            if (!waits.includes(stepId)) continue;
            const states =
              (await ports.actionStates?.(
                tx,
                waits.map((d) => runKey(row.id, d)),
              )) ?? new Map();
            if (!waits.every((d) => states.get(runKey(row.id, d)) === 'succeeded')) continue;
            const done = await ask(tx, row, doc, a, incident, allAlerts);
            if (done.kind === 'asked') out.push(a.id);
            else if (done.kind === 'problem') {
              details.problems.push(done.problem);
              changed = true;
            } else if (done.kind === 'waiting') {
              details.awaitingAlerts = [...new Set([...(details.awaitingAlerts ?? []), a.id])];
              changed = true;
            }
          }
          if (changed) await setActivationDetails(tx, row.id, JSON.stringify(details));
        }
        if (out.length) {
          const note = await incidents.recordOnTimeline(tx, row.incident_id, {
            text: `Plan "${doc.name.en}": ${out.join(', ')} asked for after ${stepId} succeeded${run.round ? ' (for the alerts that joined later)' : ''}`,
            data: {
              event: 'plan_step',
              activationId: row.id,
              planId: row.plan_id,
              names: doc.name,
              steps: out,
              after: stepId,
              ...(run.round ? { round: run.round } : {}),
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
