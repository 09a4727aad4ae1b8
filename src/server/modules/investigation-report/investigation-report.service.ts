/**
 * The investigation report of an incident (issue 15, docs/investigation-report.md): one per incident,
 * written by the investigators (every edit a new revision, audited), submitted by them, approved by a
 * different investigator (anyone who edited it may not) or sent back with "changes requested" and a
 * comment; an edit after approval returns it to draft. Once approved, its public summary is published
 * to the incident's announcement on the status site (the status module's publisher, as statements
 * publish investigation results) and its feeds; a new approval published again replaces it.
 */
import {
  type InvestigationReport,
  type InvestigationReportState,
  type InvestigationReportUpdate,
  WRITTEN_SECTIONS,
  type WrittenSections,
} from '../../../shared/investigation-report-schemas.js';
import type { Incident } from '../../../shared/incident-schemas.js';
import { afterCommit, type Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { conflict, forbidden } from '../../platform/errors.js';
import { type Clock, iso, newId } from '../../platform/ids.js';
import { renderMarkdown } from '../../platform/markdown.js';
import type { AuditService } from '../audit/index.js';
import { actorOf, assertCan, can, type Principal } from '../auth/index.js';
import type { IncidentService } from '../incident/index.js';
import type { StatusPublisher } from '../status/index.js';
import type { UserService } from '../user/index.js';
import { exportInvestigationReport } from './investigation-report-export.js';
import { fillSections, type ReportSources } from './investigation-report-filled.js';
import {
  type InvestigationReportRow,
  insertInvestigationReport,
  reportOfIncident,
  updateInvestigationReport,
} from './investigation-report.repository.js';

export interface InvestigationReportDeps {
  store: Store;
  audit: AuditService;
  clock: Clock;
  incidents: IncidentService;
  users: UserService;
  sources: ReportSources;
  /** The status site: its publisher, and the slug of an incident's announcement (null: none). */
  status: {
    publisher: StatusPublisher;
    slugOfIncident: (db: Db, incidentId: string) => Promise<string | null>;
  };
}

const EMPTY: WrittenSections = { summary: '', scope: '', method: '', rootCause: '', impact: '', recommendations: '' };

const wrongState = (state: string, wanted: string, what: string) =>
  conflict(`the investigation report is ${state}; only a report that is ${wanted} can be ${what}`, {
    code: 'investigation_report.wrong_state',
    params: { state },
  });

const parse = <T>(text: string, fallback: T): T => {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};
const authorsOf = (row: InvestigationReportRow) => parse<string[]>(row.authors, []);
const sectionsOf = (row: InvestigationReportRow | undefined): WrittenSections =>
  row ? { ...EMPTY, ...parse<Partial<WrittenSections>>(row.sections, {}) } : EMPTY;

/** Plain text as Markdown that reads as that text (the announcement's body is Markdown). */
const asMarkdown = (text: string) =>
  text
    .split(/\n{2,}/)
    .map((para) => para.replace(/([\\`*_{}[\]()#+\-.!<>|~])/g, '\\$1'))
    .join('\n\n');

export function createInvestigationReportService(deps: InvestigationReportDeps) {
  const { store, audit, clock, incidents, users } = deps;

  async function view(p: Principal, incident: Incident, row: InvestigationReportRow | undefined) {
    const state = (row?.state ?? 'draft') as InvestigationReportState;
    const authors = row ? authorsOf(row) : [];
    const ids = row
      ? [...authors, row.updated_by, row.submitted_by, row.approved_by, row.review_by, row.published_by]
      : [];
    const names = await users.namesOf(ids.filter((x): x is string => !!x));
    const person = (id: string | null) => (id ? { id, name: names.get(id) ?? null } : null);
    const step = (by: string | null, at: number | null) =>
      at === null ? null : { by: person(by), at: iso(Number(at))! };
    const sections = sectionsOf(row);
    const mayWrite = can(p, 'investigation.report.write');
    const mayApprove = can(p, 'investigation.report.approve');
    const own = authors.includes(p.user.id);
    const approved = row && state === 'approved' ? step(row.approved_by, row.approved_at) : null;
    const published = row?.published_at ? step(row.published_by, row.published_at) : null;
    const report: InvestigationReport = {
      incidentKey: incident.key,
      incidentTitle: incident.title,
      revision: row?.revision ?? 0,
      state,
      sections,
      html: Object.fromEntries(
        WRITTEN_SECTIONS.map((s) => [s, renderMarkdown(sections[s])]),
      ) as InvestigationReport['html'],
      publicSummary: { zh: row?.public_summary_zh ?? '', en: row?.public_summary_en ?? '' },
      authors: authors.map((id) => person(id)!),
      updated: row ? step(row.updated_by, row.updated_at) : null,
      submitted: row && state !== 'draft' ? step(row.submitted_by, row.submitted_at) : null,
      approved: approved ? { ...approved, revision: Number(row!.approved_revision) } : null,
      changesRequested:
        row?.review_at && row.review_comment !== null
          ? { ...step(row.review_by, row.review_at)!, comment: row.review_comment }
          : null,
      published: published
        ? { ...published, revision: Number(row!.published_revision), path: row!.published_path ?? '' }
        : null,
      filled: await fillSections(p, incident, deps.sources),
      can: {
        edit: mayWrite && state !== 'in_review',
        submit: mayWrite && state === 'draft' && !!row,
        approve: mayApprove && state === 'in_review' && !own,
        publish: mayApprove && state === 'approved',
      },
    };
    return report;
  }

  /** Loads the incident (need-to-know) and runs `fn` on its report row in one transaction, then reads it back. */
  async function change(
    p: Principal,
    key: string,
    fn: (tx: Db, incident: Incident, row: InvestigationReportRow | undefined) => Promise<void>,
  ): Promise<InvestigationReport> {
    const incident = await store.transaction(async (tx) => {
      const inc = await incidents.loadVisible(tx, p, key);
      await fn(tx, inc, await reportOfIncident(tx, inc.id));
      return inc;
    });
    return view(p, incident, await reportOfIncident(store.db, incident.id));
  }

  function existing(row: InvestigationReportRow | undefined, what: string): InvestigationReportRow {
    if (!row) throw wrongState('not written yet', 'written', what);
    return row;
  }

  const entry = (
    row: InvestigationReportRow,
    incidentId: string,
    action: Parameters<AuditService['append']>[2]['action'],
    before: object,
    after: object,
  ) => ({
    action,
    targetType: 'investigation_report' as const,
    targetId: row.id,
    before,
    after,
    incidents: [incidentId],
  });

  return {
    async get(p: Principal, key: string): Promise<InvestigationReport> {
      assertCan(p, 'investigation.read');
      const incident = await incidents.loadVisible(store.db, p, key);
      return view(p, incident, await reportOfIncident(store.db, incident.id));
    },

    /** Saves the sections and the public summary given (the rest unchanged) as the next revision. */
    update(p: Principal, key: string, input: InvestigationReportUpdate): Promise<InvestigationReport> {
      assertCan(p, 'investigation.report.write');
      return change(p, key, async (tx, incident, row) => {
        const now = clock.now();
        const current = row?.revision ?? 0;
        if (input.revision !== undefined && input.revision !== current)
          throw conflict(`the report is at revision ${current}, not ${input.revision}: reload it and edit again`, {
            code: 'investigation_report.stale_revision',
            params: { revision: current },
          });
        if (row?.state === 'in_review') throw wrongState('in_review', 'a draft or approved', 'edited');
        const sections = { ...sectionsOf(row), ...input.sections };
        const summary = {
          zh: input.publicSummary?.zh ?? row?.public_summary_zh ?? '',
          en: input.publicSummary?.en ?? row?.public_summary_en ?? '',
        };
        const authors = [...new Set([...(row ? authorsOf(row) : []), p.user.id])];
        const set = {
          revision: current + 1,
          state: 'draft',
          sections: JSON.stringify(sections),
          public_summary_zh: summary.zh,
          public_summary_en: summary.en,
          authors: JSON.stringify(authors),
          updated_by: p.user.id,
          updated_at: now,
          ...(row?.state === 'approved' ? { approved_by: null, approved_at: null, approved_revision: null } : {}),
        };
        let target: InvestigationReportRow;
        if (row) {
          await updateInvestigationReport(tx, row.id, set);
          target = row;
        } else {
          target = {
            id: newId(),
            incident_id: incident.id,
            created_by: p.user.id,
            created_at: now,
            submitted_by: null,
            submitted_at: null,
            approved_by: null,
            approved_at: null,
            approved_revision: null,
            review_by: null,
            review_at: null,
            review_comment: null,
            published_by: null,
            published_at: null,
            published_revision: null,
            published_path: null,
            ...set,
          };
          await insertInvestigationReport(tx, target);
        }
        const changed = [
          ...Object.keys(input.sections ?? {}),
          ...Object.keys(input.publicSummary ?? {}).map((l) => `publicSummary.${l}`),
        ];
        await audit.append(
          tx,
          actorOf(p),
          entry(
            target,
            incident.id,
            'investigation_report.update',
            { revision: current, state: row?.state ?? null },
            { revision: current + 1, state: 'draft', changed },
          ),
        );
      });
    },

    /** The author sends the draft to review by a second investigator. */
    submit(p: Principal, key: string): Promise<InvestigationReport> {
      assertCan(p, 'investigation.report.write');
      return change(p, key, async (tx, incident, r) => {
        const row = existing(r, 'submitted');
        if (row.state !== 'draft') throw wrongState(row.state, 'a draft', 'submitted');
        const now = clock.now();
        await updateInvestigationReport(tx, row.id, { state: 'in_review', submitted_by: p.user.id, submitted_at: now });
        await audit.append(
          tx,
          actorOf(p),
          entry(
            row,
            incident.id,
            'investigation_report.submit',
            { state: row.state },
            { state: 'in_review', revision: row.revision },
          ),
        );
      });
    },

    /** A second investigator approves the revision in review; anyone who edited it may not (403). */
    approve(p: Principal, key: string): Promise<InvestigationReport> {
      assertCan(p, 'investigation.report.approve');
      return change(p, key, async (tx, incident, r) => {
        const row = existing(r, 'approved');
        if (row.state !== 'in_review') throw wrongState(row.state, 'in review', 'approved');
        if (authorsOf(row).includes(p.user.id))
          throw forbidden('you edited this report: a different investigator must approve it', {
            code: 'investigation_report.self_approval',
          });
        const now = clock.now();
        await updateInvestigationReport(tx, row.id, {
          state: 'approved',
          approved_by: p.user.id,
          approved_at: now,
          approved_revision: row.revision,
        });
        await audit.append(
          tx,
          actorOf(p),
          entry(
            row,
            incident.id,
            'investigation_report.approve',
            { state: row.state },
            { state: 'approved', revision: row.revision },
          ),
        );
      });
    },

    /** The reviewer sends it back to draft with a comment. */
    requestChanges(p: Principal, key: string, comment: string): Promise<InvestigationReport> {
      assertCan(p, 'investigation.report.approve');
      return change(p, key, async (tx, incident, r) => {
        const row = existing(r, 'sent back');
        if (row.state !== 'in_review') throw wrongState(row.state, 'in review', 'sent back');
        const now = clock.now();
        await updateInvestigationReport(tx, row.id, {
          state: 'draft',
          review_by: p.user.id,
          review_at: now,
          review_comment: comment,
        });
        await audit.append(
          tx,
          actorOf(p),
          entry(
            row,
            incident.id,
            'investigation_report.request_changes',
            { state: row.state },
            { state: 'draft', revision: row.revision, comment },
          ),
        );
      });
    },

    /** Puts the approved public summary on the incident's public announcement (replacing an earlier one). */
    publish(p: Principal, key: string): Promise<InvestigationReport> {
      assertCan(p, 'investigation.report.approve');
      return change(p, key, async (tx, incident, r) => {
        const row = existing(r, 'published');
        if (row.state !== 'approved') throw wrongState(row.state, 'approved', 'published');
        if (!row.public_summary_zh.trim() || !row.public_summary_en.trim())
          throw conflict('write the public summary in both Chinese and English before publishing it', {
            code: 'investigation_report.no_summary',
          });
        const slug = await deps.status.slugOfIncident(tx, incident.id);
        if (!slug)
          throw conflict(
            'the incident has no public announcement yet: publish a statement to the status site first, then the findings',
            { code: 'investigation_report.no_announcement' },
          );
        const actor = actorOf(p);
        const out = await deps.status.publisher.publish(tx, actor, {
          kind: 'investigation_result',
          incidentId: incident.id,
          statementId: `investigation-report:${row.id}:${row.revision}`,
          title: { zh: '调查结论', en: 'Investigation findings' },
          body: { zh: asMarkdown(row.public_summary_zh), en: asMarkdown(row.public_summary_en) },
          fields: {},
        });
        const now = clock.now();
        await updateInvestigationReport(tx, row.id, {
          published_by: p.user.id,
          published_at: now,
          published_revision: row.revision,
          published_path: out.path,
        });
        await audit.append(
          tx,
          actor,
          entry(
            row,
            incident.id,
            'investigation_report.publish',
            { publishedRevision: row.published_revision },
            { publishedRevision: row.revision, announcement: out.slug, path: out.path },
          ),
        );
        const note = await incidents.recordOnTimeline(tx, incident.id, {
          actorId: p.user.id,
          text: `Investigation findings published on the status site (report revision ${row.revision})`,
          data: { event: 'investigation_report_published', revision: row.revision, announcement: out.slug },
        });
        afterCommit(tx, note.publish);
      });
    },

    /** The current revision as PDF or DOCX; a download is an audit entry. */
    async export(p: Principal, key: string, format: 'pdf' | 'docx', lang: 'zh-CN' | 'en') {
      assertCan(p, 'investigation.read');
      const incident = await incidents.loadVisible(store.db, p, key);
      const row = await reportOfIncident(store.db, incident.id);
      const report = await view(p, incident, row);
      const file = await exportInvestigationReport(report, format, lang === 'zh-CN' ? 'zh' : 'en');
      await store.transaction(async (tx) => {
        await audit.append(tx, actorOf(p), {
          action: 'investigation_report.download',
          targetType: 'investigation_report',
          targetId: row?.id ?? incident.key,
          after: { format, lang, revision: report.revision, state: report.state },
          incidents: [incident.id],
        });
      });
      return file;
    },
  };
}

export type InvestigationReportService = ReturnType<typeof createInvestigationReportService>;
