/** Paging's entries on the incident timeline: steps paged, people nobody could reach, the end of a page. */
import type { Db } from '../../platform/db/types.js';
import type { IncidentService } from '../incident/index.js';
import type { EscalationPolicy, EscalationStep } from '../oncall/index.js';
import type { UserService } from '../user/index.js';
import type { StoredProblem } from './page-view.js';
import type { PageRow } from './paging.repository.js';

export interface SentStep {
  index: number;
  step: EscalationStep;
  people: string[];
  problems: StoredProblem[];
}

export function pageNotes(incidents: IncidentService, users: UserService) {
  /**
   * A system entry on the incident's timeline (English text; `data.event` lets the console word it in
   * the reader's language). Returns the function publishing it after the commit.
   */
  async function note(tx: Db, incidentId: string, text: string, data: Record<string, unknown>): Promise<() => void> {
    return (await incidents.noteAlerts(tx, incidentId, { actor: null, text, data })).publish;
  }

  /** Timeline entries of a step paged: whom, and whom nobody could reach. */
  async function noteStep(tx: Db, row: PageRow, policy: EscalationPolicy, sent: SentStep): Promise<() => void> {
    const ids = [...sent.people, ...sent.problems.map((p) => p.userId).filter(Boolean)];
    const names = await users.namesOf(ids, tx);
    const people = sent.people.map((id) => names.get(id) ?? id);
    const level = sent.step.level + 1;
    const first = sent.index === 0;
    const publishes = [
      await note(
        tx,
        row.incident_id,
        policy.id === 'direct'
          ? `Paged directly: ${people.join(', ')}`
          : `${first ? 'Paged' : 'Escalated to'} level ${level} of ${policy.name}: ${people.join(', ') || 'nobody'}`,
        { event: first ? 'paged' : 'page_escalated', policy: policy.name, level, round: sent.step.round + 1, people },
      ),
    ];
    for (const p of sent.problems)
      publishes.push(await noteProblem(tx, row.incident_id, p, p.userId ? (names.get(p.userId) ?? p.userId) : null));
    return () => {
      for (const publish of publishes) publish();
    };
  }

  function noteProblem(tx: Db, incidentId: string, p: StoredProblem, name: string | null): Promise<() => void> {
    const why = {
      nobody_on_call: 'nobody is on call',
      no_contact_route: 'no contact route',
      all_routes_failed: 'every route failed',
    }[p.reason];
    return note(tx, incidentId, `Could not page ${name ?? 'anyone'} at level ${p.step + 1}: ${why}`, {
      event: 'page_problem',
      reason: p.reason,
      name,
      level: p.step + 1,
    });
  }

  return { note, noteStep, noteProblem };
}
