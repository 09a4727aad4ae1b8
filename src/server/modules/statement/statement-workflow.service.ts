/**
 * The one approval path of statements: submit (draft -> in_review, after the fact check), reviews
 * (approve or request changes; the author never approves their own version; once every review the kind
 * needs is given by distinct people the statement is approved), publish (approved only; the status-site
 * kinds go to the status module in the same transaction), withdraw, and the emergency path: two people
 * with statement.review approve the current version at once, and publishing then needs a reason; the
 * statement keeps the mark. Nothing is published unapproved, and a repeated false claim stops publishing
 * until someone acknowledges it.
 */
import type { UserRole } from '../../../shared/enums.js';
import { isStatusSiteKind, type Statement, type StatementFields } from '../../../shared/statement-schemas.js';
import { afterCommit } from '../../platform/db/connect.js';
import type { StatementsTable, StatementVersionsTable } from '../../platform/db/types.js';
import { conflict, denied, forbidden, invalid } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { actorOf, assertCan, can, type Principal } from '../auth/index.js';
import type { StatementCore, StatementDeps } from './statement-core.js';
import { assignReviews, wouldFill } from './statement-reviews.js';
import type { EmergencyRecord } from './statement.mapper.js';
import { findVersion, insertReview, reviewsOf, updateStatement } from './statement.repository.js';

const wrongState = (row: StatementsTable, wanted: string[], what: string) =>
  conflict(`statement ${row.id} is ${row.state}; only a statement that is ${wanted.join(' or ')} can be ${what}`, {
    code: 'statement.wrong_state',
    params: { state: row.state },
  });

/** A statement goes out in both languages: refuses a version with an empty title or body (422 naming each). */
function assertComplete(v: StatementVersionsTable): void {
  const empty = (
    [
      ['title.zh', v.title_zh],
      ['title.en', v.title_en],
      ['body.zh', v.body_zh],
      ['body.en', v.body_en],
    ] as const
  ).filter(([, text]) => !text.trim());
  if (empty.length)
    throw invalid(
      `the statement needs a title and a body in Chinese and English: ${empty.map(([path]) => path).join(', ')} empty`,
      empty.map(([path]) => ({ path, message: 'required before review and publishing', code: 'required' })),
    );
}

export function createWorkflow(deps: StatementDeps, core: StatementCore) {
  const { audit, clock, incidents } = deps;

  const approvalsOf = async (tx: Parameters<StatementCore['view']>[0], row: StatementsTable, verdict: string) =>
    (await reviewsOf(tx, [row.id]))
      .filter((r) => Number(r.version) === Number(row.current_version) && r.verdict === verdict)
      .map((r) => ({ userId: r.reviewer_id, role: r.reviewer_role }));

  /** Refuses the author of the current version (nobody approves their own words). */
  async function notAuthor(tx: Parameters<StatementCore['view']>[0], row: StatementsTable, p: Principal) {
    const v = (await findVersion(tx, row.id, Number(row.current_version)))!;
    if (v.author_id === p.user.id)
      throw forbidden('you wrote this version: another person must review it', { code: 'statement.self_review' });
    return v;
  }

  return {
    /** Sends a draft to review, with the fact check's flags recorded. */
    submit(p: Principal, id: string): Promise<Statement> {
      assertCan(p, 'statement.draft');
      return core.change(async (tx) => {
        const { row, ref } = await core.loadVisible(tx, p, id);
        if (row.state !== 'draft') throw wrongState(row, ['draft'], 'submitted for review');
        const v = (await findVersion(tx, id, Number(row.current_version)))!;
        assertComplete(v);
        const flags = await core.flagsOf(tx, ref.id, {
          title: { zh: v.title_zh, en: v.title_en },
          body: { zh: v.body_zh, en: v.body_en },
        });
        // Approvals this version already has (sent back, then resubmitted unchanged) still count.
        const required = JSON.parse(row.required_reviews);
        const approvals = await approvalsOf(tx, row, 'approve');
        const done = assignReviews(required, approvals).every((a) => a !== null);
        const state = done ? 'approved' : 'in_review';
        await updateStatement(tx, id, { state, flags: JSON.stringify(flags), updated_at: clock.now() });
        await audit.append(tx, actorOf(p), {
          action: 'statement.submit',
          targetType: 'statement',
          targetId: id,
          before: { state: row.state },
          after: { state, version: Number(row.current_version), flags: flags.length },
          incidents: [ref.id],
        });
        return id;
      });
    },

    /** Approve or request changes on the current version. */
    review(
      p: Principal,
      id: string,
      input: { verdict: 'approve' | 'request_changes'; comment: string },
    ): Promise<Statement> {
      assertCan(p, 'statement.review');
      return core.change(async (tx) => {
        const { row, ref } = await core.loadVisible(tx, p, id);
        if (row.state !== 'in_review') throw wrongState(row, ['in review'], 'reviewed');
        await notAuthor(tx, row, p);
        const required = JSON.parse(row.required_reviews);
        const approvals = await approvalsOf(tx, row, 'approve');
        const me = { userId: p.user.id, role: p.user.role as UserRole };
        if (input.verdict === 'approve') {
          if (approvals.some((a) => a.userId === p.user.id))
            throw conflict('you already approved this version', { code: 'statement.already_reviewed' });
          if (!wouldFill(required, approvals, me))
            throw conflict(
              `the reviews still open on this statement (${required.join(', ')}) are not ones your role (${p.user.role}) gives`,
              { code: 'statement.no_open_review', params: { role: p.user.role } },
            );
        }
        const now = clock.now();
        await insertReview(tx, {
          id: newId(),
          statement_id: id,
          version: Number(row.current_version),
          reviewer_id: p.user.id,
          reviewer_role: p.user.role,
          verdict: input.verdict,
          comment: input.comment,
          at: now,
        });
        const complete =
          input.verdict === 'approve' && assignReviews(required, [...approvals, me]).every((a) => a !== null);
        const state = input.verdict === 'request_changes' ? 'draft' : complete ? 'approved' : 'in_review';
        await updateStatement(tx, id, { state, updated_at: now });
        await audit.append(tx, actorOf(p), {
          action: 'statement.review',
          targetType: 'statement',
          targetId: id,
          before: { state: row.state },
          after: { state, version: Number(row.current_version), verdict: input.verdict, comment: input.comment },
          incidents: [ref.id],
        });
        return id;
      });
    },

    /** One of the two approvals of the emergency path (a draft or a statement in review; not the author). */
    emergencyApprove(p: Principal, id: string, comment: string): Promise<Statement> {
      assertCan(p, 'statement.review');
      return core.change(async (tx) => {
        const { row, ref } = await core.loadVisible(tx, p, id);
        if (row.state !== 'draft' && row.state !== 'in_review')
          throw wrongState(row, ['draft', 'in review'], 'approved by the emergency path');
        await notAuthor(tx, row, p);
        const given = await approvalsOf(tx, row, 'emergency_approve');
        if (given.some((a) => a.userId === p.user.id))
          throw conflict('you already gave an emergency approval of this version', {
            code: 'statement.already_reviewed',
          });
        await insertReview(tx, {
          id: newId(),
          statement_id: id,
          version: Number(row.current_version),
          reviewer_id: p.user.id,
          reviewer_role: p.user.role,
          verdict: 'emergency_approve',
          comment,
          at: clock.now(),
        });
        await updateStatement(tx, id, { updated_at: clock.now() });
        await audit.append(tx, actorOf(p), {
          action: 'statement.emergency_approve',
          targetType: 'statement',
          targetId: id,
          after: { version: Number(row.current_version), approvals: given.length + 1, comment },
          incidents: [ref.id],
        });
        return id;
      });
    },

    /** Publishes an approved statement (or, by the emergency path, one two people approved at once). */
    publish(
      p: Principal,
      id: string,
      input: { emergency: boolean; reason?: string; acknowledgeFlags: boolean },
    ): Promise<Statement> {
      assertCan(p, 'statement.publish');
      return core.change(async (tx) => {
        const { row, ref } = await core.loadVisible(tx, p, id);
        const now = clock.now();
        let emergency: EmergencyRecord | null = null;
        if (input.emergency) {
          // An approved statement takes the ordinary path; the emergency one is for what could not wait for it.
          if (row.state !== 'draft' && row.state !== 'in_review')
            throw wrongState(row, ['draft', 'in review'], 'published by the emergency path');
          const approvers = await approvalsOf(tx, row, 'emergency_approve');
          if (approvers.length < 2)
            throw conflict(
              `the emergency path needs two people to approve this version; ${approvers.length} did (POST .../emergency-approve)`,
              { code: 'statement.emergency_needs_two', params: { count: approvers.length } },
            );
          emergency = { reason: input.reason ?? '', approverIds: approvers.map((a) => a.userId), at: now };
        } else if (row.state !== 'approved') {
          throw conflict(`statement ${id} is ${row.state}: only an approved statement is published`, {
            code: 'statement.not_approved',
            params: { state: row.state },
          });
        }
        const v = (await findVersion(tx, id, Number(row.current_version)))!;
        assertComplete(v);
        const text = { title: { zh: v.title_zh, en: v.title_en }, body: { zh: v.body_zh, en: v.body_en } };
        const flags = await core.flagsOf(tx, ref.id, text);
        if (flags.length && !input.acknowledgeFlags)
          throw conflict(
            `the statement repeats ${flags.length} claim(s) the fact register marks false; correct it, or publish with acknowledgeFlags`,
            { code: 'statement.contradicts_fact', params: { count: flags.length } },
          );
        const actor = actorOf(p);
        let publication: { announcementId: string; slug: string; path: string } | null = null;
        const kind = row.kind;
        if (isStatusSiteKind(kind)) {
          if (!deps.status)
            throw conflict('the public status site is not available in this Tocsin: nothing was published', {
              code: 'statement.status_site_unavailable',
            });
          publication = await deps.status.publish(tx, actor, {
            kind,
            incidentId: ref.id,
            statementId: id,
            ...text,
            fields: JSON.parse(v.fields) as StatementFields,
          });
        }
        await updateStatement(tx, id, {
          state: 'published',
          flags: JSON.stringify(flags),
          emergency: emergency ? JSON.stringify(emergency) : null,
          publication: publication ? JSON.stringify(publication) : null,
          published_at: now,
          published_by: p.user.id,
          updated_at: now,
        });
        await audit.append(tx, actor, {
          action: 'statement.publish',
          targetType: 'statement',
          targetId: id,
          before: { state: row.state },
          after: {
            state: 'published',
            version: Number(row.current_version),
            kind,
            ...(emergency ? { emergency: true, reason: emergency.reason, approvers: emergency.approverIds } : {}),
            ...(flags.length ? { flagsAcknowledged: flags.map((f) => f.factId) } : {}),
            ...(publication ? { announcementId: publication.announcementId, path: publication.path } : {}),
          },
          incidents: [ref.id],
        });
        const note = await incidents.recordOnTimeline(tx, ref.id, {
          actorId: p.user.id,
          text: `Statement published (${kind}${emergency ? ', emergency path' : ''}): ${v.title_en || v.title_zh}`,
          data: {
            event: 'statement_published',
            statementId: id,
            kind,
            emergency: !!emergency,
            titles: { 'zh-CN': v.title_zh, en: v.title_en },
          },
        });
        afterCommit(tx, note.publish);
        return id;
      });
    },

    /** Withdraws a statement that is not published (it will not be published): its drafter, or someone who may publish. */
    withdraw(p: Principal, id: string, reason: string): Promise<Statement> {
      assertCan(p, 'statement.draft');
      return core.change(async (tx) => {
        const { row, ref } = await core.loadVisible(tx, p, id);
        if (row.created_by !== p.user.id && !can(p, 'statement.publish'))
          throw denied(p.user.role, 'statement.publish');
        if (!['draft', 'in_review', 'approved'].includes(row.state))
          throw wrongState(row, ['draft', 'in review', 'approved'], 'withdrawn');
        const now = clock.now();
        await updateStatement(tx, id, {
          state: 'withdrawn',
          withdrawn_at: now,
          withdraw_reason: reason,
          updated_at: now,
        });
        await audit.append(tx, actorOf(p), {
          action: 'statement.withdraw',
          targetType: 'statement',
          targetId: id,
          before: { state: row.state },
          after: { state: 'withdrawn', reason },
          incidents: [ref.id],
        });
        return id;
      });
    },
  };
}
