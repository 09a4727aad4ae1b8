/**
 * What the statement use cases share: their dependencies, loading a statement the caller may see
 * (need-to-know of its incident), the API view, the fact check, and the live `statement.changed` event.
 */
import type { Statement, StatementFlag, StatementReviewsConfig } from '../../../shared/statement-schemas.js';
import type { Bus } from '../../platform/bus.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db, StatementsTable } from '../../platform/db/types.js';
import { notFound } from '../../platform/errors.js';
import type { Clock } from '../../platform/ids.js';
import { markdownToText } from '../../platform/markdown.js';
import type { AuditService } from '../audit/index.js';
import type { Principal } from '../auth/index.js';
import { canSee, type IncidentRef, type IncidentService } from '../incident/index.js';
import type { UserService } from '../user/index.js';
import type { FactChecker } from '../media/index.js';
import type { StatusPublisher } from '../status/index.js';
import type { TemplateStore } from './statement-templates.js';
import { toStatement, userIdsOf } from './statement.mapper.js';
import { findStatement, reviewsOf, versionsAt } from './statement.repository.js';

export interface StatementDeps {
  store: Store;
  audit: AuditService;
  bus: Bus;
  clock: Clock;
  users: UserService;
  incidents: IncidentService;
  templates: TemplateStore;
  /** TOCSIN_STATEMENT_REVIEWS (null: the defaults). */
  reviews: StatementReviewsConfig | null;
  /** Publishes the status-site kinds (the status module); absent: those kinds cannot be published. */
  status?: StatusPublisher;
  /** The rumor-vs-fact register (the media module); absent: nothing is flagged. */
  facts?: FactChecker;
}

export function statementCore(deps: StatementDeps) {
  const { store, bus, users, incidents } = deps;

  const missing = (id: string) => notFound(`statement ${id}`, { code: 'statement.not_found', params: { id } });

  /** The statement and its incident's reference, when `p` may see the incident (404 otherwise, so it does not leak). */
  async function loadVisible(db: Db, p: Principal, id: string): Promise<{ row: StatementsTable; ref: IncidentRef }> {
    const row = await findStatement(db, id);
    const ref = row && (await incidents.refs(db, [row.incident_id])).get(row.incident_id);
    if (!row || !ref || !canSee(p, ref.audience)) throw missing(id);
    return { row, ref };
  }

  /** The API view of statements (one query per table, whatever their number). */
  async function view(db: Db, rows: StatementsTable[]): Promise<Statement[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [versions, reviews, refs] = await Promise.all([
      versionsAt(
        db,
        rows.map((r) => ({ id: r.id, n: Number(r.current_version) })),
      ),
      reviewsOf(db, ids),
      incidents.refs(
        db,
        rows.map((r) => r.incident_id),
      ),
    ]);
    const names = await users.namesOf(userIdsOf(rows, versions, reviews), db);
    return rows.map((r) =>
      toStatement(
        r,
        refs.get(r.incident_id)?.key ?? '',
        versions.find((v) => v.statement_id === r.id)!,
        reviews,
        names,
      ),
    );
  }

  /** Claims of the register marked false that the statement's text repeats. */
  async function flagsOf(
    db: Db,
    incidentId: string,
    text: { title: { zh: string; en: string }; body: { zh: string; en: string } },
  ): Promise<StatementFlag[]> {
    if (!deps.facts) return [];
    const plain = [text.title.zh, markdownToText(text.body.zh), text.title.en, markdownToText(text.body.en)].join('\n');
    const found = await deps.facts.contradictions(db, incidentId, plain);
    return found.map((f) => ({ kind: 'contradicts_fact', factId: f.id, claim: f.claim }));
  }

  /** Tells consoles after the commit (the incident's audience). */
  async function changed(db: Db, row: StatementsTable): Promise<{ statement: Statement; publish: () => void }> {
    const [statement] = await view(db, [row]);
    const audience = (await incidents.refs(db, [row.incident_id])).get(row.incident_id)!.audience;
    return {
      statement: statement!,
      publish: () =>
        bus.publish({ event: 'statement.changed', incidentKey: statement!.incidentKey, statement, audience }),
    };
  }

  /** Runs `fn` (which changes statement `id`) in a transaction and publishes the change after the commit. */
  async function change(fn: (tx: Db) => Promise<string>): Promise<Statement> {
    const out = await store.transaction(async (tx) => changed(tx, (await findStatement(tx, await fn(tx)))!));
    out.publish();
    return out.statement;
  }

  return { missing, loadVisible, view, flagsOf, changed, change };
}
export type StatementCore = ReturnType<typeof statementCore>;
