/**
 * Regulator reports (issue 13): which obligations and stages an incident may need a report for, drafting
 * one from its template filled from the incident's facts, reading, and saving edits (every save a new
 * version). The approval path and the filing are report-workflow.ts; exports report-export.ts.
 */
import type { Incident } from '../../../shared/incident-schemas.js';
import type { ObligationFacts } from '../../../shared/obligation-schemas.js';
import type { Report, ReportFields, ReportOption, ReportVersion } from '../../../shared/report-schemas.js';
import type { Db, RegulatorReportsTable } from '../../platform/db/types.js';
import { conflict, invalid } from '../../platform/errors.js';
import { iso, newId } from '../../platform/ids.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import { evaluate } from '../obligation/index.js';
import { reportCore, type ReportDeps } from './report-core.js';
import { factsOf } from './report-facts.js';
import { fillReport } from './report-fill.js';
import { createWorkflow } from './report-workflow.js';
import { exportReport } from './report-export.js';
import {
  findReportVersion,
  insertReport,
  insertReportVersion,
  reportsOfIncident,
  reportVersions,
  updateReport,
} from './report.repository.js';

/** The facts of an evaluation an incident gives (the firm's profile is not known here: unknown). */
function obligationFacts(i: Incident): ObligationFacts {
  return {
    incident: {
      grade: i.grade,
      discovered_at: i.milestones.detectedAt,
      handling_ended_at: i.milestones.closedAt,
      personal_info_records: i.impact.recordsExposed,
      sensitive_customer_info: i.impact.recordsExposed === null ? null : i.impact.recordsExposed > 0,
      customers_affected: i.impact.customersAffected,
    },
  };
}

export function createReportService(deps: ReportDeps) {
  const { store, audit, clock, incidents, catalog, templates } = deps;
  const core = reportCore(deps);
  const workflow = createWorkflow(deps, core);

  const wrongState = (row: RegulatorReportsTable, what: string) =>
    conflict(`report ${row.id} is ${row.state}; only a draft can be ${what}`, {
      code: 'report.wrong_state',
      params: { state: row.state },
    });

  return {
    ...workflow,

    /** Every obligation and stage with a template, and whether it applies to the incident (evaluate()). */
    async options(p: Principal, key: string): Promise<ReportOption[]> {
      assertCan(p, 'report.read');
      const incident = await incidents.loadVisible(store.db, p, key);
      const { obligations, calendars } = catalog();
      const ev = evaluate(obligations, obligationFacts(incident), calendars);
      const out: ReportOption[] = [];
      for (const o of obligations)
        for (const s of o.stages) {
          if (!templates.get(o.id, s.stage)) continue;
          const e = ev.entries.find((x) => x.obligation === o.id && x.stage === s.stage);
          const n = ev.notApplicable.find((x) => x.obligation === o.id && x.stage === s.stage);
          out.push({
            obligation: o.id,
            stage: s.stage,
            name: o.name,
            regulator: o.regulator,
            applies: e ? e.applies : 'no',
            why: { 'zh-CN': e?.why_zh ?? n?.why_zh ?? '', en: e?.why ?? n?.why ?? '' },
          });
        }
      return out;
    },

    async listForIncident(p: Principal, key: string): Promise<Report[]> {
      assertCan(p, 'report.read');
      const incident = await incidents.loadVisible(store.db, p, key);
      return core.view(store.db, await reportsOfIncident(store.db, incident.id));
    },

    /** Drafts the report of an obligation's stage from its template, filled from the incident's facts. */
    async create(p: Principal, key: string, input: { obligation: string; stage: string }): Promise<Report> {
      assertCan(p, 'report.draft');
      const incident = await incidents.loadVisible(store.db, p, key);
      const o = core.obligationOf(input.obligation);
      const t = o?.stages.some((s) => s.stage === input.stage) ? templates.get(input.obligation, input.stage) : null;
      if (!o || !t)
        throw invalid(
          `no report template for obligation "${input.obligation}", stage "${input.stage}"`,
          [
            {
              path: 'obligation',
              message: 'an obligation and stage of the catalog with a template',
              code: 'invalid_value',
            },
          ],
          { code: 'report.unknown_obligation', params: { obligation: input.obligation, stage: input.stage } },
        );
      const [timeline, openTasks] = await Promise.all([deps.records.timeline(p, key), deps.records.openTasks(p, key)]);
      const now = clock.now();
      const filled = fillReport(t, factsOf({ incident, timeline, openTasks, now }));
      const id = newId();
      const actor = actorOf(p);
      await store.transaction(async (tx) => {
        await insertReport(tx, {
          id,
          incident_id: incident.id,
          obligation: o.id,
          stage: input.stage,
          state: 'draft',
          current_version: 1,
          created_by: p.user.id,
          created_at: now,
          updated_at: now,
          reject_reason: null,
          approved_by: null,
          approved_at: null,
          submitted_by: null,
          submitted_at: null,
          channel: null,
          reference: null,
          receipt_name: null,
          receipt_type: null,
          receipt_size: null,
          receipt_sha256: null,
        });
        await insertReportVersion(tx, {
          report_id: id,
          n: 1,
          fields: JSON.stringify({ title: filled.title, sections: filled.fields }),
          author_id: p.user.id,
          author_label: actor.label,
          created_at: now,
        });
        await audit.append(tx, actor, {
          action: 'report.create',
          targetType: 'regulator_report',
          targetId: id,
          after: { obligation: o.id, stage: input.stage, state: 'draft', version: 1 },
          incidents: [incident.id],
        });
      });
      return core.one(store.db, id);
    },

    async get(p: Principal, id: string): Promise<Report> {
      assertCan(p, 'report.read');
      const { row } = await core.loadVisible(store.db, p, id);
      return (await core.view(store.db, [row]))[0]!;
    },

    async versions(p: Principal, id: string): Promise<ReportVersion[]> {
      assertCan(p, 'report.read');
      await core.loadVisible(store.db, p, id);
      return (await reportVersions(store.db, id)).map((v) => ({
        n: Number(v.n),
        fields: (JSON.parse(v.fields) as { sections: ReportFields }).sections,
        author: { id: v.author_id, name: v.author_label },
        createdAt: iso(v.created_at),
      }));
    },

    /** Saves the draft's text as a new version (sections not named keep their text; unknown ones are refused). */
    async saveDraft(p: Principal, id: string, fields: ReportFields): Promise<Report> {
      assertCan(p, 'report.draft');
      await store.transaction(async (tx: Db) => {
        const { row, ref } = await core.loadVisible(tx, p, id);
        if (row.state !== 'draft') throw wrongState(row, 'edited');
        const t = templates.get(row.obligation, row.stage);
        const known = new Set(t?.sections.map((s) => s.id));
        const unknown = Object.keys(fields).filter((k) => !known.has(k));
        if (unknown.length)
          throw invalid(
            `the report has no section ${unknown.join(', ')}`,
            unknown.map((k) => ({ path: `fields.${k}`, message: 'not a section of this report', code: 'invalid_key' })),
          );
        const cur = (await findReportVersion(tx, id, Number(row.current_version)))!;
        const stored = JSON.parse(cur.fields) as { title: unknown; sections: ReportFields };
        const n = Number(row.current_version) + 1;
        const now = clock.now();
        const actor = actorOf(p);
        await insertReportVersion(tx, {
          report_id: id,
          n,
          fields: JSON.stringify({ title: stored.title, sections: { ...stored.sections, ...fields } }),
          author_id: p.user.id,
          author_label: actor.label,
          created_at: now,
        });
        await updateReport(tx, id, { current_version: n, updated_at: now });
        await audit.append(tx, actor, {
          action: 'report.version',
          targetType: 'regulator_report',
          targetId: id,
          before: { version: n - 1 },
          after: { version: n, sections: Object.keys(fields) },
          incidents: [ref.id],
        });
      });
      return core.one(store.db, id);
    },

    /** The current version as a file: PDF, DOCX, plain text, or (DORA) JSON in the ITS structure. */
    async export(p: Principal, id: string, format: 'pdf' | 'docx' | 'txt' | 'json', lang: 'zh' | 'en') {
      const report = await this.get(p, id);
      const t = templates.get(report.obligation, report.stage)!;
      return exportReport(report, t, format, lang);
    },
  };
}
export type ReportService = ReturnType<typeof createReportService>;
