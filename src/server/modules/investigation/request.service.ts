/**
 * The register of requests from outside — the police (公安机关), the CSRC and its local office, the CAC,
 * courts, auditors: who asked, their reference, what was requested, by when, what was handed over, when and
 * by whom. A request of a restricted incident is invisible (404, left out of lists) to those outside it.
 * Every change is audited.
 */
import type { z } from 'zod';
import type {
  InvestigationRequest,
  RequestAnswer,
  RequestCreate,
  RequestListQuery,
  RequestUpdate,
} from '../../../shared/investigation-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { type Clock, iso, newId } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import { canSee, type IncidentRef, type IncidentService } from '../incident/index.js';
import type { UserService } from '../user/index.js';
import {
  insertRequest,
  listRequests,
  type RequestFilter,
  type RequestRow,
  requestById,
  updateRequest,
} from './request.repository.js';

export interface RequestDeps {
  store: Store;
  clock: Clock;
  audit: AuditService;
  incidents: IncidentService;
  users: UserService;
}

const ms = (s: string) => new Date(s).getTime();

/** What the audit entry keeps of a request (the requested text too: it is the authority's, not a customer's). */
const audited = (r: RequestRow) => ({
  incident: r.incident_id,
  requesterKind: r.requester_kind,
  requesterName: r.requester_name,
  reference: r.reference,
  requested: r.requested,
  receivedAt: iso(r.received_at),
  deadlineAt: iso(r.deadline_at),
  status: r.status,
});

export function createRequestService(deps: RequestDeps) {
  const { store, clock, audit, incidents, users } = deps;

  async function toViews(db: Db, rows: RequestRow[]): Promise<InvestigationRequest[]> {
    const refs = await incidents.refs(db, [...new Set(rows.flatMap((r) => (r.incident_id ? [r.incident_id] : [])))]);
    const names = await users.namesOf(
      rows.flatMap((r) => [r.answered_by, r.created_by].filter((x): x is string => !!x)),
      db,
    );
    const person = (id: string | null) => (id ? { id, name: names.get(id) ?? id } : null);
    const now = clock.now();
    return rows.map((r) => ({
      id: r.id,
      incidentKey: r.incident_id ? (refs.get(r.incident_id)?.key ?? null) : null,
      requesterKind: r.requester_kind as InvestigationRequest['requesterKind'],
      requesterName: r.requester_name,
      reference: r.reference,
      requested: r.requested,
      receivedAt: iso(r.received_at),
      deadlineAt: iso(r.deadline_at),
      status: r.status as InvestigationRequest['status'],
      overdue: r.status === 'open' && r.deadline_at !== null && r.deadline_at < now,
      answeredAt: iso(r.answered_at),
      answeredBy: person(r.answered_by),
      handedOver: JSON.parse(r.handed_over) as InvestigationRequest['handedOver'],
      createdBy: person(r.created_by),
      createdAt: iso(r.created_at),
      updatedAt: iso(r.updated_at),
    }));
  }

  /** A request the principal may see (404 otherwise, also for one of a restricted incident). */
  async function loadRequest(db: Db, p: Principal, id: string): Promise<{ row: RequestRow; ref: IncidentRef | null }> {
    const row = await requestById(db, id);
    if (!row) throw notFound(`request ${id}`);
    if (!row.incident_id) return { row, ref: null };
    const ref = (await incidents.refs(db, [row.incident_id])).get(row.incident_id);
    if (!ref || !canSee(p, ref.audience)) throw notFound(`request ${id}`);
    return { row, ref };
  }

  async function one(db: Db, id: string): Promise<InvestigationRequest> {
    return (await toViews(db, [(await requestById(db, id))!]))[0]!;
  }

  return {
    async list(p: Principal, q: z.infer<typeof RequestListQuery>): Promise<{ items: InvestigationRequest[] }> {
      assertCan(p, 'investigation.read');
      const now = clock.now();
      const filter: RequestFilter = { status: q.status, requesterKind: q.requesterKind };
      if (q.incident) filter.incidentId = (await incidents.loadVisible(store.db, p, q.incident)).id;
      if (q.overdue === 'true') filter.overdueAt = now;
      if (q.overdue === 'false') filter.notOverdueAt = now;
      // Read more than asked: rows of incidents the principal may not see are left out afterwards.
      const rows = await listRequests(store.db, filter, q.limit * 4);
      const refs = await incidents.refs(store.db, [
        ...new Set(rows.flatMap((r) => (r.incident_id ? [r.incident_id] : []))),
      ]);
      const visible = rows.filter((r) => {
        if (!r.incident_id) return true;
        const ref = refs.get(r.incident_id);
        return !!ref && canSee(p, ref.audience);
      });
      return { items: await toViews(store.db, visible.slice(0, q.limit)) };
    },

    async get(p: Principal, id: string): Promise<InvestigationRequest> {
      assertCan(p, 'investigation.read');
      const { row } = await loadRequest(store.db, p, id);
      return (await toViews(store.db, [row]))[0]!;
    },

    async create(p: Principal, body: z.infer<typeof RequestCreate>): Promise<InvestigationRequest> {
      assertCan(p, 'investigation.manage');
      return store.transaction(async (tx) => {
        const incident = body.incidentKey ? await incidents.loadVisible(tx, p, body.incidentKey) : null;
        const now = clock.now();
        const row: RequestRow = {
          id: newId(),
          incident_id: incident?.id ?? null,
          requester_kind: body.requesterKind,
          requester_name: body.requesterName,
          reference: body.reference ?? null,
          requested: body.requested,
          received_at: ms(body.receivedAt),
          deadline_at: body.deadlineAt ? ms(body.deadlineAt) : null,
          status: 'open',
          answered_at: null,
          answered_by: null,
          handed_over: '[]',
          reminded: '[]',
          created_by: p.user.id,
          created_at: now,
          updated_at: now,
        };
        await insertRequest(tx, row);
        await audit.append(tx, actorOf(p), {
          action: 'investigation.request_create',
          targetType: 'investigation_request',
          targetId: row.id,
          after: audited(row),
          incidents: incident ? [incident.id] : [],
        });
        return one(tx, row.id);
      });
    },

    async update(p: Principal, id: string, body: z.infer<typeof RequestUpdate>): Promise<InvestigationRequest> {
      assertCan(p, 'investigation.manage');
      return store.transaction(async (tx) => {
        const { row } = await loadRequest(tx, p, id);
        if (row.status === 'answered')
          throw conflict(`request ${id} was answered: it can no longer change`, {
            code: 'investigation.request_answered',
            params: { id },
          });
        const set: Partial<RequestRow> = { updated_at: clock.now() };
        if (body.requesterKind !== undefined) set.requester_kind = body.requesterKind;
        if (body.requesterName !== undefined) set.requester_name = body.requesterName;
        if (body.reference !== undefined) set.reference = body.reference;
        if (body.requested !== undefined) set.requested = body.requested;
        if (body.receivedAt !== undefined) set.received_at = ms(body.receivedAt);
        if (body.deadlineAt !== undefined) set.deadline_at = body.deadlineAt ? ms(body.deadlineAt) : null;
        if (body.status !== undefined) set.status = body.status;
        await updateRequest(tx, id, set);
        await audit.append(tx, actorOf(p), {
          action: 'investigation.request_update',
          targetType: 'investigation_request',
          targetId: id,
          before: audited(row),
          after: audited({ ...row, ...set }),
          incidents: row.incident_id ? [row.incident_id] : [],
        });
        return one(tx, id);
      });
    },

    /**
     * The request an evidence package of `incidentId` answers (need-to-know as for `get`): 422 when it
     * names another incident, 409 when it was withdrawn.
     */
    async forPackage(
      db: Db,
      p: Principal,
      id: string,
      incidentId: string,
    ): Promise<{ id: string; requesterKind: string; requesterName: string; reference: string | null }> {
      const { row } = await loadRequest(db, p, id);
      if (row.incident_id !== null && row.incident_id !== incidentId)
        throw invalid(`request ${id} is about another incident`, [
          { path: 'requestId', message: 'the request is about another incident', code: 'request_incident' },
        ]);
      if (row.status === 'withdrawn')
        throw conflict(`request ${id} was withdrawn`, {
          code: 'investigation.request_not_open',
          params: { id, status: row.status },
        });
      return {
        id: row.id,
        requesterKind: row.requester_kind,
        requesterName: row.requester_name,
        reference: row.reference,
      };
    },

    /** Adds what was handed over (an evidence package) to the request, in the caller's transaction; audited. */
    async recordHandover(
      tx: Db,
      p: Principal,
      id: string,
      entry: { kind: 'export_package'; ref: string; description: string },
    ): Promise<void> {
      const { row } = await loadRequest(tx, p, id);
      const before = JSON.parse(row.handed_over) as InvestigationRequest['handedOver'];
      const handedOver = [...before, entry];
      await updateRequest(tx, id, { handed_over: JSON.stringify(handedOver), updated_at: clock.now() });
      await audit.append(tx, actorOf(p), {
        action: 'investigation.request_update',
        targetType: 'investigation_request',
        targetId: id,
        before: { handedOver: before },
        after: { handedOver },
        incidents: row.incident_id ? [row.incident_id] : [],
      });
    },

    /** Records the answer: what was handed over, when, by whom; the request is answered. */
    async answer(p: Principal, id: string, body: z.infer<typeof RequestAnswer>): Promise<InvestigationRequest> {
      assertCan(p, 'investigation.manage');
      return store.transaction(async (tx) => {
        const { row } = await loadRequest(tx, p, id);
        if (row.status !== 'open')
          throw conflict(`request ${id} is ${row.status}: only an open request is answered`, {
            code: 'investigation.request_not_open',
            params: { id, status: row.status },
          });
        const now = clock.now();
        // Evidence packages made for the request are already listed: the answer adds to them.
        const packages = (JSON.parse(row.handed_over) as InvestigationRequest['handedOver']).filter(
          (h) => h.kind === 'export_package',
        );
        const handedOver = [
          ...packages,
          ...body.handedOver.map((h) => ({ kind: h.kind, ref: h.ref ?? null, description: h.description })),
        ];
        await updateRequest(tx, id, {
          status: 'answered',
          answered_at: body.answeredAt ? ms(body.answeredAt) : now,
          answered_by: p.user.id,
          handed_over: JSON.stringify(handedOver),
          updated_at: now,
        });
        await audit.append(tx, actorOf(p), {
          action: 'investigation.request_answer',
          targetType: 'investigation_request',
          targetId: id,
          before: { status: row.status },
          after: { status: 'answered', handedOver, answeredAt: iso(body.answeredAt ? ms(body.answeredAt) : now) },
          incidents: row.incident_id ? [row.incident_id] : [],
        });
        return one(tx, id);
      });
    },
  };
}
export type RequestService = ReturnType<typeof createRequestService>;
