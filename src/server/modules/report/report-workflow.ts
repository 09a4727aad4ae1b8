/**
 * The approval path of regulator reports: draft -> in_review (sent by a drafter) -> approved (by a person
 * with report.approve who wrote none of its versions) -> submitted (channel, reference number, time and
 * the receipt file, kept with its SHA-256). A reviewer may send it back to draft with a reason. Marking it
 * submitted publishes `obligation.report_submitted` through the outbox in the same transaction.
 */
import { createHash } from 'node:crypto';
import { RECEIPT_MAX_BYTES, type Report } from '../../../shared/report-schemas.js';
import { afterCommit } from '../../platform/db/connect.js';
import type { Db, RegulatorReportsTable } from '../../platform/db/types.js';
import { conflict, forbidden, invalid, tooLarge } from '../../platform/errors.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { ObligationStage } from '../../../shared/obligation-schemas.js';
import type { ReportCore, ReportDeps } from './report-core.js';
import { findReceipt, insertReceipt, reportVersions, updateReport } from './report.repository.js';

const wrongState = (row: RegulatorReportsTable, wanted: string[], what: string) =>
  conflict(`report ${row.id} is ${row.state}; only a report that is ${wanted.join(' or ')} can be ${what}`, {
    code: 'report.wrong_state',
    params: { state: row.state },
  });

/** A receipt's media type from its file name (kept as given otherwise: octet-stream). */
function mediaTypeOf(name: string): string {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  const types: Record<string, string> = {
    pdf: 'application/pdf',
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    txt: 'text/plain',
    eml: 'message/rfc822',
    html: 'text/html',
    xml: 'application/xml',
    json: 'application/json',
  };
  return types[ext] ?? 'application/octet-stream';
}

export function createWorkflow(deps: ReportDeps, core: ReportCore) {
  const { store, audit, clock, incidents } = deps;

  async function change(
    p: Principal,
    id: string,
    fn: (tx: Db, row: RegulatorReportsTable, incidentId: string) => Promise<void>,
  ) {
    await store.transaction(async (tx) => {
      const { row, ref } = await core.loadVisible(tx, p, id);
      await fn(tx, row, ref.id);
    });
    return core.one(store.db, id);
  }

  return {
    /** Sends a draft to compliance review. */
    requestReview(p: Principal, id: string): Promise<Report> {
      assertCan(p, 'report.draft');
      return change(p, id, async (tx, row, incidentId) => {
        if (row.state !== 'draft') throw wrongState(row, ['draft'], 'sent for review');
        await updateReport(tx, id, { state: 'in_review', reject_reason: null, updated_at: clock.now() });
        await audit.append(tx, actorOf(p), {
          action: 'report.review_request',
          targetType: 'regulator_report',
          targetId: id,
          before: { state: row.state },
          after: { state: 'in_review', version: Number(row.current_version) },
          incidents: [incidentId],
        });
      });
    },

    /** Approves the current version: someone with report.approve who wrote none of the report's versions. */
    approve(p: Principal, id: string): Promise<Report> {
      assertCan(p, 'report.approve');
      return change(p, id, async (tx, row, incidentId) => {
        if (row.state !== 'in_review') throw wrongState(row, ['in review'], 'approved');
        const authors = new Set((await reportVersions(tx, id)).map((v) => v.author_id));
        if (authors.has(p.user.id))
          throw forbidden('you wrote a version of this report: another person must approve it', {
            code: 'report.self_approval',
          });
        const now = clock.now();
        await updateReport(tx, id, { state: 'approved', approved_by: p.user.id, approved_at: now, updated_at: now });
        await audit.append(tx, actorOf(p), {
          action: 'report.approve',
          targetType: 'regulator_report',
          targetId: id,
          before: { state: row.state },
          after: { state: 'approved', version: Number(row.current_version) },
          incidents: [incidentId],
        });
      });
    },

    /** Sends a report in review (or approved, not yet filed) back to draft, with the reason. */
    reject(p: Principal, id: string, reason: string): Promise<Report> {
      assertCan(p, 'report.approve');
      return change(p, id, async (tx, row, incidentId) => {
        if (row.state !== 'in_review' && row.state !== 'approved')
          throw wrongState(row, ['in review', 'approved'], 'sent back to draft');
        await updateReport(tx, id, {
          state: 'draft',
          reject_reason: reason,
          approved_by: null,
          approved_at: null,
          updated_at: clock.now(),
        });
        await audit.append(tx, actorOf(p), {
          action: 'report.reject',
          targetType: 'regulator_report',
          targetId: id,
          before: { state: row.state },
          after: { state: 'draft', reason, version: Number(row.current_version) },
          incidents: [incidentId],
        });
      });
    },

    /** Records the filing of an approved report with its receipt; tells the obligation clocks (outbox). */
    markSubmitted(
      p: Principal,
      id: string,
      input: { channel: string; reference: string; submittedAt?: string; filename: string },
      receipt: Buffer,
    ): Promise<Report> {
      assertCan(p, 'report.submit');
      if (receipt.length === 0)
        throw invalid('send the receipt file as the request body', undefined, { code: 'report.receipt_empty' });
      if (receipt.length > RECEIPT_MAX_BYTES)
        throw tooLarge(`the receipt is ${receipt.length} bytes; the limit is ${RECEIPT_MAX_BYTES}`);
      return change(p, id, async (tx, row, incidentId) => {
        if (row.state !== 'approved') throw wrongState(row, ['approved'], 'marked submitted');
        const now = clock.now();
        const submittedAt = input.submittedAt ? Date.parse(input.submittedAt) : now;
        const sha256 = createHash('sha256').update(receipt).digest('hex');
        await insertReceipt(tx, id, receipt);
        await updateReport(tx, id, {
          state: 'submitted',
          submitted_by: p.user.id,
          submitted_at: submittedAt,
          channel: input.channel,
          reference: input.reference,
          receipt_name: input.filename,
          receipt_type: mediaTypeOf(input.filename),
          receipt_size: receipt.length,
          receipt_sha256: sha256,
          updated_at: now,
        });
        await audit.append(tx, actorOf(p), {
          action: 'report.submitted',
          targetType: 'regulator_report',
          targetId: id,
          before: { state: row.state },
          after: {
            state: 'submitted',
            version: Number(row.current_version),
            channel: input.channel,
            reference: input.reference,
            submittedAt: new Date(submittedAt).toISOString(),
            receipt: { name: input.filename, size: receipt.length, sha256 },
          },
          incidents: [incidentId],
        });
        await deps.events?.publish(tx, 'obligation.report_submitted', {
          incidentId,
          obligation: row.obligation,
          stage: row.stage as ObligationStage,
          submittedAt,
          reportId: id,
        });
        const note = await incidents.recordOnTimeline(tx, incidentId, {
          actorId: p.user.id,
          text: `Regulator report submitted (${row.obligation}, ${row.stage}) via ${input.channel}, reference ${input.reference}`,
          data: { event: 'report_submitted', reportId: id, obligation: row.obligation, stage: row.stage },
        });
        afterCommit(tx, note.publish);
      });
    },

    /** The receipt file of a submitted report. */
    async receipt(p: Principal, id: string): Promise<{ name: string; type: string; content: Buffer }> {
      assertCan(p, 'report.read');
      const { row } = await core.loadVisible(store.db, p, id);
      const content = row.state === 'submitted' ? await findReceipt(store.db, id) : null;
      if (!content) throw core.missing(id);
      return { name: row.receipt_name ?? 'receipt', type: row.receipt_type ?? 'application/octet-stream', content };
    },
  };
}
