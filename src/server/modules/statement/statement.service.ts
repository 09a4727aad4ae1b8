/**
 * Statements of an incident: drafting from the kind's template (by a person, or by a plan's
 * communication step on activation), new versions, reads, the approval inbox, diffs and the preview.
 * The approval path itself (submit, review, emergency approval, publish, withdraw) is in
 * statement-workflow.service.ts.
 */
import { diffLib } from '../../platform/heavy-libs.js';
import type { UserRole } from '../../../shared/enums.js';
import type { Incident } from '../../../shared/incident-schemas.js';
import type { StatementKind } from '../../../shared/plan-schemas.js';
import type {
  Statement,
  StatementFields,
  StatementScenario,
  StatementVersion,
} from '../../../shared/statement-schemas.js';
import { cursorCodec } from '../../platform/cursor.js';
import type { Db, StatementsTable, StatementVersionsTable } from '../../platform/db/types.js';
import { conflict, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { renderMarkdown } from '../../platform/markdown.js';
import type { Actor } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import { statementCore, type StatementDeps } from './statement-core.js';
import { reviewsFor, wouldFill } from './statement-reviews.js';
import { fillTemplate, guessScenario, startedAt } from './statement-templates.js';
import { approvalsOf, toVersion } from './statement.mapper.js';
import { createWorkflow } from './statement-workflow.service.js';
import {
  findByOrigin,
  findStatement,
  findVersion,
  insertStatement,
  insertVersion,
  listStatements,
  listVersions,
  reviewsOf,
  updateStatement,
} from './statement.repository.js';

/** A plan's communication step asking for its statement (ActivationPorts.draftStatement). */
export interface StatementAsk {
  incidentId: string;
  planId: string;
  stepId: string;
  kind: StatementKind;
}

const cursor = cursorCodec(['id'] as const);
const IMPACT = { I: 'critical', II: 'major', III: 'minor', IV: 'minor' } as const;

/** The structured fields a status-site kind starts with, from the incident's facts. */
function initialFields(kind: StatementKind, incident: Incident): StatementFields {
  const services = incident.services.map((s) => s.key);
  const detectedAt = Date.parse(incident.milestones.detectedAt);
  if (kind === 'holding_statement')
    return {
      status: 'investigating',
      impact: IMPACT[incident.grade],
      startedAt: startedAt(incident),
      detectedAt,
      services,
    };
  if (kind === 'status_update') return { services };
  if (kind === 'investigation_result') return { status: 'resolved', services };
  return {};
}

export function createStatementService(deps: StatementDeps) {
  const { store, audit, clock, users, incidents, templates } = deps;
  const core = statementCore(deps);

  /** Drafts a statement of `kind` from its template in `tx` (version 1); its row. */
  async function draft(
    tx: Db,
    actor: Actor,
    incident: Incident,
    kind: StatementKind,
    scenario: StatementScenario | undefined,
    origin: StatementAsk | null,
  ): Promise<StatementsTable> {
    const now = clock.now();
    const chosen = scenario ?? guessScenario(incident);
    const text = fillTemplate(templates.get(kind, chosen), incident, now);
    const row: StatementsTable = {
      id: newId(),
      incident_id: incident.id,
      kind,
      scenario: chosen,
      state: 'draft',
      current_version: 1,
      required_reviews: JSON.stringify(reviewsFor(kind, deps.reviews)),
      flags: '[]',
      emergency: null,
      publication: null,
      origin_key: origin ? `${origin.incidentId}:${origin.planId}:${origin.stepId}` : null,
      origin_plan: origin?.planId ?? null,
      origin_step: origin?.stepId ?? null,
      created_by: actor.id,
      created_at: now,
      updated_at: now,
      published_at: null,
      published_by: null,
      withdrawn_at: null,
      withdraw_reason: null,
    };
    await insertStatement(tx, row);
    await insertVersion(tx, {
      statement_id: row.id,
      n: 1,
      title_zh: text.title.zh,
      title_en: text.title.en,
      body_zh: text.body.zh,
      body_en: text.body.en,
      fields: JSON.stringify(initialFields(kind, incident)),
      author_id: actor.id,
      author_label: actor.label,
      created_at: now,
    });
    await audit.append(tx, actor, {
      action: 'statement.create',
      targetType: 'statement',
      targetId: row.id,
      after: {
        incident: incident.key,
        kind,
        scenario: chosen,
        ...(origin ? { plan: origin.planId, step: origin.stepId } : {}),
      },
      incidents: [incident.id],
    });
    return row;
  }

  /** Whether `p` could give a review the statement still needs (the approval inbox). */
  function awaits(
    row: StatementsTable,
    author: string | null,
    approvals: { userId: string; role: string }[],
    p: Principal,
  ) {
    if (author === p.user.id || approvals.some((a) => a.userId === p.user.id)) return false;
    return wouldFill(JSON.parse(row.required_reviews), approvals, { userId: p.user.id, role: p.user.role as UserRole });
  }

  const service = {
    ...createWorkflow(deps, core),

    /** Drafts a statement of the incident from the kind's template (scenario guessed from the incident when absent). */
    async create(p: Principal, incidentKey: string, input: { kind: StatementKind; scenario?: StatementScenario }) {
      assertCan(p, 'statement.draft');
      const incident = await incidents.loadVisible(store.db, p, incidentKey);
      return core.change(async (tx) => (await draft(tx, actorOf(p), incident, input.kind, input.scenario, null)).id);
    },

    /**
     * A plan's communication step drafts its statement, once per incident and step (a second call answers
     * the first draft's id). In the activation's transaction; `publish` tells consoles after the commit.
     */
    async draftForPlan(tx: Db, actor: Actor, ask: StatementAsk): Promise<{ id: string; publish: () => void }> {
      const existing = await findByOrigin(tx, `${ask.incidentId}:${ask.planId}:${ask.stepId}`);
      if (existing) return { id: existing.id, publish: () => {} };
      const incident = await incidents.current(tx, ask.incidentId);
      const row = await draft(tx, actor, incident, ask.kind, undefined, ask);
      const { publish } = await core.changed(tx, row);
      return { id: row.id, publish };
    },

    /** A new version (the whole text); approvals of earlier versions no longer count, so an approved statement goes back to review. */
    async newVersion(
      p: Principal,
      id: string,
      input: { title: StatementVersion['title']; body: StatementVersion['body']; fields?: StatementFields },
    ): Promise<Statement> {
      assertCan(p, 'statement.draft');
      return core.change(async (tx) => {
        const { row, ref } = await core.loadVisible(tx, p, id);
        if (!['draft', 'in_review', 'approved'].includes(row.state))
          throw conflict(`statement ${id} is ${row.state}: it can no longer be edited`, {
            code: 'statement.wrong_state',
            params: { state: row.state },
          });
        const current = (await findVersion(tx, id, Number(row.current_version)))!;
        const n = Number(row.current_version) + 1;
        const now = clock.now();
        const actor = actorOf(p);
        await insertVersion(tx, {
          statement_id: id,
          n,
          title_zh: input.title.zh,
          title_en: input.title.en,
          body_zh: input.body.zh,
          body_en: input.body.en,
          fields: input.fields ? JSON.stringify(input.fields) : current.fields,
          author_id: actor.id,
          author_label: actor.label,
          created_at: now,
        });
        const state = row.state === 'approved' ? 'in_review' : row.state;
        // The fact check runs on every version, so the author sees a repeated rumor when saving.
        const flags = await core.flagsOf(tx, ref.id, input);
        await updateStatement(tx, id, {
          current_version: n,
          state,
          flags: JSON.stringify(flags),
          updated_at: now,
          emergency: null,
        });
        await audit.append(tx, actor, {
          action: 'statement.version',
          targetType: 'statement',
          targetId: id,
          before: { version: n - 1, state: row.state },
          after: { version: n, state },
          incidents: [ref.id],
        });
        return id;
      });
    },

    /** Whether statement `id` may answer a media inquiry of `incidentId`: approved or published, of that incident. */
    async answerable(db: Db, id: string, incidentId: string): Promise<boolean> {
      const row = await findStatement(db, id);
      return !!row && row.incident_id === incidentId && (row.state === 'approved' || row.state === 'published');
    },

    /** The text of an approved or published `customer_notice` of the incident (customer campaigns), else null. */
    async noticeText(db: Db, id: string, incidentId: string) {
      const row = await findStatement(db, id);
      if (!row || row.incident_id !== incidentId || row.kind !== 'customer_notice') return null;
      if (row.state !== 'approved' && row.state !== 'published') return null;
      const v = await findVersion(db, id, row.current_version);
      return v ? { title: { zh: v.title_zh, en: v.title_en }, body: { zh: v.body_zh, en: v.body_en } } : null;
    },

    async get(p: Principal, id: string): Promise<Statement> {
      assertCan(p, 'statement.read');
      const { row } = await core.loadVisible(store.db, p, id);
      return (await core.view(store.db, [row]))[0]!;
    },

    /** Statements of one incident, newest first. */
    async listForIncident(p: Principal, incidentKey: string, q: { limit: number; cursor?: string }) {
      assertCan(p, 'statement.read');
      const incident = await incidents.loadVisible(store.db, p, incidentKey);
      return page(p, { incidentId: incident.id, limit: q.limit, cursor: q.cursor });
    },

    /** Statements of the incidents `p` may see; `reviewer: 'me'` keeps those waiting for a review `p` can give. */
    async list(
      p: Principal,
      q: { state?: string; kind?: string; reviewer?: 'me'; limit: number; cursor?: string },
    ): Promise<{ items: Statement[]; next: string | null }> {
      assertCan(p, 'statement.read');
      if (!q.reviewer) return page(p, q);
      // The inbox: statements in review, filtered by what is still open for this person's role.
      const items: Statement[] = [];
      let after = q.cursor ? cursor.decode(q.cursor)[0] : undefined;
      for (;;) {
        const rows = await listStatements(store.db, {
          state: 'in_review',
          kind: q.kind,
          afterId: after,
          limit: 200,
          viewer: p.user.role === 'admin' ? null : p.user.id,
        });
        const reviews = await reviewsOf(
          store.db,
          rows.map((r) => r.id),
        );
        for (const r of rows) {
          const v = (await findVersion(store.db, r.id, Number(r.current_version)))!;
          const approvals = approvalsOf(r, reviews).map((a) => ({ userId: a.reviewer_id, role: a.reviewer_role }));
          if (awaits(r, v.author_id, approvals, p)) items.push(...(await core.view(store.db, [r])));
          if (items.length === q.limit) return { items, next: cursor.encode([r.id]) };
        }
        if (rows.length < 200) return { items, next: null };
        after = rows.at(-1)!.id;
      }
    },

    /** Every version, newest first. */
    async versions(p: Principal, id: string): Promise<StatementVersion[]> {
      assertCan(p, 'statement.read');
      await core.loadVisible(store.db, p, id);
      const rows = await listVersions(store.db, id);
      const names = await users.namesOf(
        rows.flatMap((r) => (r.author_id ? [r.author_id] : [])),
        store.db,
      );
      return rows.map((r) => toVersion(r, names));
    },

    /** A unified diff from version `against` to version `n` (titles, bodies and fields, per language). */
    async diff(p: Principal, id: string, n: number, against: number) {
      assertCan(p, 'statement.read');
      await core.loadVisible(store.db, p, id);
      const [a, b] = await Promise.all([findVersion(store.db, id, against), findVersion(store.db, id, n)]);
      for (const [v, num] of [
        [a, against],
        [b, n],
      ] as const)
        if (!v)
          throw notFound(`version ${num} of statement ${id}`, {
            code: 'statement.version_not_found',
            params: { id, version: num },
          });
      const { createTwoFilesPatch } = await diffLib();
      const diff = createTwoFilesPatch(
        `${id} v${against}`,
        `${id} v${n}`,
        asText(a!),
        asText(b!),
        undefined,
        undefined,
        {
          context: 3,
        },
      );
      return { statementId: id, from: against, to: n, diff };
    },

    /** Sanitized HTML of Markdown bodies, exactly as the public pages render them. */
    preview(p: Principal, body: { zh: string; en: string }) {
      assertCan(p, 'statement.read');
      return { html: { zh: renderMarkdown(body.zh), en: renderMarkdown(body.en) } };
    },
  };

  async function page(
    p: Principal,
    q: { incidentId?: string; state?: string; kind?: string; limit: number; cursor?: string },
  ) {
    const rows = await listStatements(store.db, {
      incidentId: q.incidentId,
      state: q.state,
      kind: q.kind,
      afterId: q.cursor ? cursor.decode(q.cursor)[0] : undefined,
      limit: q.limit + 1,
      viewer: p.user.role === 'admin' ? null : p.user.id,
    });
    const more = rows.length > q.limit;
    const items = await core.view(store.db, rows.slice(0, q.limit));
    return { items, next: more ? cursor.encode([rows[q.limit - 1]!.id]) : null };
  }

  return service;
}

/** One version as text for the diff: each language's title and body, then the fields. */
function asText(v: StatementVersionsTable): string {
  return [
    `# zh: ${v.title_zh}`,
    '',
    v.body_zh,
    '',
    `# en: ${v.title_en}`,
    '',
    v.body_en,
    '',
    '# fields',
    JSON.stringify(JSON.parse(v.fields), null, 2),
    '',
  ].join('\n');
}

export type StatementService = ReturnType<typeof createStatementService>;
