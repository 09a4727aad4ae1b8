/**
 * What the report use cases share: their dependencies, loading a report the caller may see (need-to-know
 * of its incident), the facts of an incident, and the API view.
 */
import type { ObligationStage } from '../../../shared/obligation-schemas.js';
import type { Report, ReportFields } from '../../../shared/report-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db, RegulatorReportsTable } from '../../platform/db/types.js';
import { notFound } from '../../platform/errors.js';
import { iso, type Clock } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import type { Principal } from '../auth/index.js';
import { canSee, type IncidentRef, type IncidentService } from '../incident/index.js';
import type { ObligationCatalog, ObligationEvents } from '../obligation/index.js';
import type { UserService } from '../user/index.js';
import { missingIn } from './report-fill.js';
import type { ReportContext } from './report-facts.js';
import type { ReportTemplates } from './report-templates.js';
import { currentVersions, findReport } from './report.repository.js';

/** Where `obligation.report_submitted` goes (the outbox; none: nobody hears of it). */
export interface ReportEventSink {
  publish<T extends keyof ObligationEvents & string>(tx: Db, type: T, payload: ObligationEvents[T]): Promise<string>;
}

export interface ReportDeps {
  store: Store;
  audit: AuditService;
  clock: Clock;
  users: UserService;
  incidents: IncidentService;
  /** The incident's timeline and tasks, as the principal may read them (the facts of a draft). */
  records: {
    timeline(p: Principal, key: string): Promise<ReportContext['timeline']>;
    openTasks(p: Principal, key: string): Promise<string[]>;
  };
  /** The obligation catalog (read when first needed). */
  catalog: () => ObligationCatalog;
  templates: ReportTemplates;
  events?: ReportEventSink;
}

/** Formats a report can be exported in: JSON only for DORA's (the ITS structure). */
export const exportsOf = (obligation: string): Report['exports'] =>
  obligation.startsWith('dora-') ? ['pdf', 'docx', 'txt', 'json'] : ['pdf', 'docx', 'txt'];

export function reportCore(deps: ReportDeps) {
  const { incidents, users, catalog, templates } = deps;
  const missing = (id: string) => notFound(`report ${id}`, { code: 'report.not_found', params: { id } });

  async function loadVisible(
    db: Db,
    p: Principal,
    id: string,
  ): Promise<{ row: RegulatorReportsTable; ref: IncidentRef }> {
    const row = await findReport(db, id);
    const ref = row && (await incidents.refs(db, [row.incident_id])).get(row.incident_id);
    if (!row || !ref || !canSee(p, ref.audience)) throw missing(id);
    return { row, ref };
  }

  const obligationOf = (id: string) => catalog().obligations.find((o) => o.id === id);

  async function view(db: Db, rows: RegulatorReportsTable[]): Promise<Report[]> {
    if (rows.length === 0) return [];
    const [versions, refs] = await Promise.all([
      currentVersions(
        db,
        rows.map((r) => ({ id: r.id, n: Number(r.current_version) })),
      ),
      incidents.refs(
        db,
        rows.map((r) => r.incident_id),
      ),
    ]);
    const ids = rows.flatMap((r) => [r.created_by, r.approved_by, r.submitted_by]).filter((x): x is string => !!x);
    const names = await users.namesOf(ids, db);
    const ref = (id: string | null) => (id ? { id, name: names.get(id) ?? id } : null);
    return rows.map((r) => {
      const v = versions.find((x) => x.report_id === r.id)!;
      const stored = JSON.parse(v.fields) as { title: { 'zh-CN': string; en: string }; sections: ReportFields };
      const o = obligationOf(r.obligation);
      const t = templates.get(r.obligation, r.stage);
      const sections = (t?.sections ?? []).map((s) => ({
        id: s.id,
        heading: { 'zh-CN': s.heading.zh, en: s.heading.en },
        text: stored.sections[s.id] ?? { zh: '', en: '' },
      }));
      const loc = (x: { 'zh-CN': string; en: string } | undefined) => x ?? { 'zh-CN': r.obligation, en: r.obligation };
      return {
        id: r.id,
        incidentKey: refs.get(r.incident_id)?.key ?? '',
        obligation: r.obligation,
        stage: r.stage as ObligationStage,
        name: loc(o?.name),
        regulator: loc(o?.regulator),
        recipient: loc(o?.to),
        title: stored.title,
        state: r.state as Report['state'],
        version: Number(r.current_version),
        sections,
        missing: missingIn(stored.sections),
        rejectReason: r.reject_reason,
        createdBy: ref(r.created_by),
        createdAt: iso(r.created_at),
        updatedAt: iso(r.updated_at),
        approvedBy: ref(r.approved_by),
        approvedAt: iso(r.approved_at),
        submission:
          r.submitted_at === null
            ? null
            : {
                channel: r.channel ?? '',
                reference: r.reference ?? '',
                submittedAt: iso(r.submitted_at),
                submittedBy: ref(r.submitted_by),
                receipt: {
                  name: r.receipt_name ?? '',
                  type: r.receipt_type ?? '',
                  size: Number(r.receipt_size ?? 0),
                  sha256: r.receipt_sha256 ?? '',
                },
              },
        exports: exportsOf(r.obligation),
      };
    });
  }

  const one = async (db: Db, id: string) => (await view(db, [(await findReport(db, id))!]))[0]!;

  return { missing, loadVisible, obligationOf, view, one };
}
export type ReportCore = ReturnType<typeof reportCore>;
