/**
 * Asking for one automatic action of an activation, with the alerts its `from_alerts` chooses
 * (docs/plans.md, "Choosing the alerts"). An action with a selector records the entity values it named
 * (plan_action_coverage): it waits while no alert matches, and is asked again — one new run, with only
 * the values not named before — when new matching alerts join the incident. An action without a
 * selector reads every alert and is asked once, as before.
 */
import type { ActivationDetails } from '../../../shared/activation-schemas.js';
import type { Entities } from '../../../shared/alert-schemas.js';
import type { Plan } from '../../../shared/plan-schemas.js';
import type { Db } from '../../platform/db/types.js';
import type { Clock } from '../../platform/ids.js';
import type { FactsChoice, IncidentAlertFacts } from '../alert/index.js';
import { coverValues, type ActivationRow } from './activation.repository.js';
import { fillParameters, type FilledParameter } from './plan-parameters.js';
import { alertSelected, eventSelected } from './plan-selectors.js';

type PlanAction = NonNullable<Plan['actions']>[number];
type Problem = ActivationDetails['problems'][number];

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
  /** Idempotency key of the run: one run per activation and step (and round, when asked again: runKey). */
  key: string;
  dryRun: boolean;
}

/** The other actions of the plan that `a` waits for (its depends_on among the plan's actions; tasks do not hold an action back). */
export const waitsOn = (doc: Plan, a: PlanAction) =>
  (a.depends_on ?? []).filter((id) => (doc.actions ?? []).some((x) => x.id === id));

/** The entity kinds a template may name, and where the alert facts keep them. */
const ENTITY_KINDS = { account: 'accounts', ip: 'ips', host: 'hosts' } as const;
export type EntityKind = keyof typeof ENTITY_KINDS;

/** The entity kinds the action's parameters name (`{{ alert.entities.account }}` -> account). */
function entityKindsOf(a: PlanAction): EntityKind[] {
  const texts = Object.values(a.parameters ?? {}).flatMap((p) =>
    typeof p === 'string' ? [p] : Array.isArray(p) ? p : [],
  );
  const kinds = new Set<EntityKind>();
  for (const t of texts)
    for (const m of t.matchAll(/\{\{\s*alert\.entities\.(account|ip|host)\s*\}\}/g)) kinds.add(m[1] as EntityKind);
  return [...kinds];
}

/** What came of asking: asked (with the values it newly named), waiting for a matching alert, nothing new, or a problem. */
type AskOutcome =
  | { kind: 'asked'; named: Partial<Record<EntityKind, string[]>> }
  | { kind: 'waiting' }
  | { kind: 'covered' }
  | { kind: 'problem'; problem: Problem };

export interface AskIncident {
  id: string;
  key: string;
  title: string;
  category: string;
  grade: string;
  drill: boolean;
}

interface AskingDeps {
  clock: Clock;
  publicUrl: string;
  /** Asks for an action in the caller's transaction; a reason when it cannot be asked for. */
  requestAction?: (tx: Db, ask: ActionAsk) => Promise<string | null>;
  alertFacts: (incidentId: string, db: Db, choice?: FactsChoice) => Promise<IncidentAlertFacts>;
}

/** The idempotency key of a step's run: the first one, or the one of a later round (asked again). */
export const runKey = (activationId: string, stepId: string, round?: string) =>
  round ? `${activationId}:${stepId}@${round}` : `${activationId}:${stepId}`;

/** The activation, step and round of a run key made by runKey; null for another key. */
export function parseRunKey(key: string, stepId: string): { activationId: string; round?: string } | null {
  const at = key.lastIndexOf(`:${stepId}`);
  if (at <= 0) return null;
  const rest = key.slice(at + stepId.length + 1);
  if (rest === '') return { activationId: key.slice(0, at) };
  if (rest.startsWith('@') && rest.length > 1) return { activationId: key.slice(0, at), round: rest.slice(1) };
  return null;
}

export function createAsker(deps: AskingDeps) {
  const { clock } = deps;

  /**
   * Asks for action `a` of activation `row`. `alerts` are the facts of every alert (read by actions
   * without a selector); `round` names a later round (the step was asked before).
   */
  return async function ask(
    tx: Db,
    row: ActivationRow,
    doc: Plan,
    a: PlanAction,
    incident: AskIncident,
    alerts: () => Promise<IncidentAlertFacts>,
    round?: string,
  ): Promise<AskOutcome> {
    const key = runKey(row.id, a.id, round);
    const selector = a.from_alerts;
    const events = selector?.events;
    let subject = selector
      ? await deps.alertFacts(incident.id, tx, {
          alert: (x) => alertSelected(selector, x),
          event: events ? (f) => eventSelected(events, f) : undefined,
        })
      : await alerts();
    const named: Partial<Record<EntityKind, string[]>> = {};
    if (selector) {
      const kinds = entityKindsOf(a);
      // No chosen alert, or none of its (chosen events') entities the parameters name: not asked with nothing.
      if (!subject.latest || (kinds.length && kinds.every((k) => subject.entities[ENTITY_KINDS[k]].length === 0)))
        return { kind: 'waiting' };
      // Coverage ignores case (accounts are written as the events wrote them; the same account twice is one).
      const wanted = kinds.flatMap((k) =>
        subject.entities[ENTITY_KINDS[k]].map((v) => ({ kind: k as string, value: v.toLowerCase() })),
      );
      const fresh = await coverValues(tx, { activationId: row.id, stepId: a.id, runKey: key, now: clock.now() }, [
        { kind: 'asked', value: '' },
        ...wanted,
      ]);
      const first = fresh.some((f) => f.kind === 'asked');
      const entities: Entities = { ...subject.entities };
      for (const k of kinds) {
        const isNew = new Set(fresh.filter((f) => f.kind === k).map((f) => f.value));
        const values = subject.entities[ENTITY_KINDS[k]].filter((v) => isNew.has(v.toLowerCase()));
        if (values.length) named[k] = values;
        // A later round names only the new values of a kind; a kind with none new keeps all of its values.
        if (!first && values.length) entities[ENTITY_KINDS[k]] = values;
      }
      if (!first && Object.keys(named).length === 0) return { kind: 'covered' };
      subject = { ...subject, entities };
    }
    const { values, missing } = fillParameters(a.parameters, {
      incident: { ...incident, url: new URL(`/incidents/${incident.key}`, deps.publicUrl).toString() },
      planId: doc.id,
      alerts: subject,
    });
    if (missing.length)
      return {
        kind: 'problem',
        problem: {
          step: a.id,
          reason: 'no_value',
          params: { names: missing.join(', ') },
          message: `no value for ${missing.join(', ')} in this incident`,
        },
      };
    if (!deps.requestAction)
      return {
        kind: 'problem',
        problem: { step: a.id, reason: 'unavailable', params: {}, message: 'actions are not available in this Tocsin' },
      };
    const refused = await deps.requestAction(tx, {
      incidentId: incident.id,
      activationId: row.id,
      planId: row.plan_id,
      planVersion: Number(row.plan_version),
      stepId: a.id,
      title: a.title,
      connector: a.connector,
      action: a.action,
      parameters: values,
      approval: a.approval,
      dependsOn: a.depends_on ?? [],
      key,
      dryRun: incident.drill,
    });
    return refused
      ? { kind: 'problem', problem: { step: a.id, reason: 'refused', params: {}, message: refused } }
      : { kind: 'asked', named };
  };
}

export type Asker = ReturnType<typeof createAsker>;
