/**
 * Asking a running plan's actions again as alerts join its incident (docs/plans.md, "Asked again as
 * alerts join"): every action with `from_alerts` that was asked before is asked once more — one new run,
 * a new round — for the entity values its new matching alerts bring; an action that waited for a
 * matching alert is asked for the first time. An action that waits for other actions of the round is
 * asked when their runs of that round succeed. Runs inside the outbox's delivery of `incident.changed`.
 */
import type { ActivationDetails } from '../../../shared/activation-schemas.js';
import type { Plan } from '../../../shared/plan-schemas.js';
import type { Db } from '../../platform/db/types.js';
import { newId } from '../../platform/ids.js';
import type { IncidentAlertFacts } from '../alert/index.js';
import type { IncidentService } from '../incident/index.js';
import { setActivationDetails, stepsAsked, type ActivationRow } from './activation.repository.js';
import { type Asker, type AskIncident, type EntityKind, runKey, waitsOn } from './plan-asking.js';

type PlanAction = NonNullable<Plan['actions']>[number];

/** The actions in an order where each comes after the actions it waits for (depends_on is acyclic). */
function inDependencyOrder(doc: Plan): PlanAction[] {
  const out: PlanAction[] = [];
  const placed = new Set<string>();
  const rest = [...(doc.actions ?? [])];
  while (rest.length) {
    const i = rest.findIndex((a) => waitsOn(doc, a).every((d) => placed.has(d)));
    for (const a of rest.splice(Math.max(i, 0), 1)) {
      out.push(a);
      placed.add(a.id);
    }
  }
  return out;
}

/** At most this many values of a kind are written in a timeline entry (the runs hold them all). */
const SHOWN = 10;

interface ReaskDeps {
  ask: Asker;
  incidents: IncidentService;
  alertFacts: (incidentId: string, db: Db) => Promise<IncidentAlertFacts>;
  actionStates?: (db: Db, keys: string[]) => Promise<Map<string, string>>;
}

export function createReasking(deps: ReaskDeps) {
  const { ask, incidents } = deps;

  /** After alerts joined: asks the activation's selector actions for what is new; the after-commit publisher, if any. */
  async function afterAlerts(tx: Db, row: ActivationRow, incident: AskIncident): Promise<(() => void) | null> {
    const doc = JSON.parse(row.document) as Plan;
    if (!(doc.actions ?? []).some((a) => a.from_alerts)) return null;
    const details = JSON.parse(row.details) as ActivationDetails;
    const awaiting = new Set(details.awaitingAlerts ?? []);
    const asked = await stepsAsked(tx, row.id);
    const round = newId();
    const askedNow = new Set<string>();
    const steps: { step: string; title: Plan['name']; first: boolean; named: Partial<Record<EntityKind, string[]>> }[] =
      [];
    const problems: ActivationDetails['problems'] = [];
    let all: Promise<IncidentAlertFacts> | undefined;
    const allAlerts = () => (all ??= deps.alertFacts(incident.id, tx));
    for (const a of inDependencyOrder(doc)) {
      if (!a.from_alerts) continue;
      const first = !asked.has(a.id);
      // Never asked: only an action that waited for a matching alert (the others wait for their actions).
      if (first && !awaiting.has(a.id)) continue;
      // Asked before, and an action it waits for is asked in this round: asked when that run succeeds.
      if (!first && waitsOn(doc, a).some((d) => askedNow.has(d))) continue;
      const out = await ask(tx, row, doc, a, incident, allAlerts, first ? undefined : round);
      if (out.kind === 'asked') {
        askedNow.add(a.id);
        awaiting.delete(a.id);
        steps.push({ step: a.id, title: a.title, first, named: out.named });
      } else if (out.kind === 'problem') {
        awaiting.delete(a.id);
        problems.push(out.problem);
      }
    }
    if (steps.length === 0 && problems.length === 0) return null;
    const updated: ActivationDetails = {
      ...details,
      problems: [...details.problems, ...problems],
      awaitingAlerts: [...awaiting],
    };
    await setActivationDetails(tx, row.id, JSON.stringify(updated));
    if (steps.length === 0) return null;
    const said = steps.map((s) => {
      const values = Object.entries(s.named).map(([k, v]) => {
        const shown = v.slice(0, SHOWN).join(', ');
        return `${v.length} ${k}${v.length === 1 ? '' : 's'} (${shown}${v.length > SHOWN ? ', …' : ''})`;
      });
      return `${s.step}${values.length ? ` for ${values.join(' and ')}` : ''}`;
    });
    const note = await incidents.recordOnTimeline(tx, row.incident_id, {
      text: `Plan "${doc.name.en}": asked again as new matching alerts joined: ${said.join('; ')}`,
      data: {
        event: 'plan_reasked',
        activationId: row.id,
        planId: row.plan_id,
        names: doc.name,
        round,
        steps: steps.map((s) => ({
          step: s.step,
          title: s.title,
          first: s.first,
          named: Object.fromEntries(Object.entries(s.named).map(([k, v]) => [k, v.slice(0, SHOWN)])),
          counts: Object.fromEntries(Object.entries(s.named).map(([k, v]) => [k, v.length])),
        })),
      },
    });
    return note.publish;
  }

  /** A run of `stepId` in `round` succeeded: the selector actions waiting for it are asked for that round. */
  async function afterRoundStep(
    tx: Db,
    row: ActivationRow,
    incident: AskIncident,
    stepId: string,
    round: string,
  ): Promise<string[]> {
    const doc = JSON.parse(row.document) as Plan;
    const asked = await stepsAsked(tx, row.id);
    const out: string[] = [];
    let all: Promise<IncidentAlertFacts> | undefined;
    const allAlerts = () => (all ??= deps.alertFacts(incident.id, tx));
    for (const a of doc.actions ?? []) {
      const waits = waitsOn(doc, a);
      if (!a.from_alerts || !waits.includes(stepId) || !asked.has(a.id)) continue;
      // Every action it waits for that ran in this round succeeded (one that had nothing new did not run).
      const keys = waits.map((d) => runKey(row.id, d, round));
      const states = (await deps.actionStates?.(tx, keys)) ?? new Map<string, string>();
      if (!keys.every((k) => !states.has(k) || states.get(k) === 'succeeded')) continue;
      const done = await ask(tx, row, doc, a, incident, allAlerts, round);
      if (done.kind === 'asked') out.push(a.id);
    }
    return out;
  }

  return { afterAlerts, afterRoundStep };
}
