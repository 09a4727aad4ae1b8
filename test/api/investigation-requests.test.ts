/**
 * The register of requests from outside over HTTP, on each store, on the test clock: a police request
 * registered, changed, answered with what was handed over (each audited), the overdue flag and filter, who
 * may read and write, need-to-know for a request of a restricted incident, and the deadline reminders
 * paging the commander 24 hours before and at the deadline, once each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvestigationRequest } from '../../src/shared/investigation-schemas.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

const T0 = Date.parse('2026-06-01T02:00:00Z');
const HOUR = 3_600_000;
const isoOf = (ms: number) => new Date(ms).toISOString();

describe.each(STORE_KINDS)('requests from outside (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let ic: Session;
  let compliance: Session;
  let executive: Session;
  let comms: Session;
  let auditor: Session;
  let key = '';
  let hiddenKey = '';
  let policeId = '';
  const clock = {
    t: T0,
    now() {
      return this.t;
    },
  };

  beforeAll(async () => {
    t = await createTestApp(kind, { TOCSIN_SESSION_TTL_HOURS: '720' }, { clock });
    admin = await t.login('admin');
    ic = await t.login('incident_commander');
    compliance = await t.login('compliance');
    executive = await t.login('executive');
    comms = await t.login('communications');
    auditor = await t.login('auditor');
    const incident = async (restricted: boolean) => {
      const r = await t.as(ic, {
        method: 'POST',
        url: '/api/v1/incidents',
        payload: { title: 'Account takeover', category: 'other', grade: 'III', commanderId: ic.userId, restricted },
      });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().key as string;
    };
    key = await incident(false);
    hiddenKey = await incident(true);
  });
  afterAll(() => t.close());

  const create = (who: Session, payload: Record<string, unknown>) =>
    t.as(who, { method: 'POST', url: '/api/v1/investigation-requests', payload });
  const list = async (who: Session, q = ''): Promise<InvestigationRequest[]> => {
    const r = await t.as(who, { method: 'GET', url: `/api/v1/investigation-requests${q}` });
    expect(r.statusCode, r.body).toBe(200);
    return r.json().items;
  };
  const auditOf = async (action: string) =>
    (await t.as(admin, { method: 'GET', url: `/api/v1/audit?action=${action}` })).json().items as {
      targetId: string;
      before: Record<string, unknown> | null;
      after: Record<string, unknown>;
    }[];

  it('registers a police request of an incident (audited); only the investigation roles may', async () => {
    const body = {
      incidentKey: key,
      requesterKind: 'police',
      requesterName: '上海市公安局网络安全保卫总队',
      reference: '沪公网调字〔2026〕118号',
      requested: 'Login logs and IP addresses of the taken-over accounts, 2026-05-20 to 2026-05-31',
      receivedAt: isoOf(T0),
      deadlineAt: isoOf(T0 + 72 * HOUR),
    };
    expect((await create(comms, body)).statusCode).toBe(403);
    expect((await create(executive, body)).statusCode).toBe(403);
    expect((await create(compliance, { ...body, requesterKind: 'ministry' })).statusCode).toBe(400);
    const r = await create(compliance, body);
    expect(r.statusCode, r.body).toBe(201);
    const made = r.json() as InvestigationRequest;
    policeId = made.id;
    expect(made).toMatchObject({
      incidentKey: key,
      requesterKind: 'police',
      reference: '沪公网调字〔2026〕118号',
      status: 'open',
      overdue: false,
      handedOver: [],
      createdBy: { id: compliance.userId },
    });
    expect(
      (await t.as(executive, { method: 'GET', url: `/api/v1/investigation-requests/${policeId}` })).json(),
    ).toMatchObject({
      id: policeId,
    });
    const [entry] = await auditOf('investigation.request_create');
    expect(entry).toMatchObject({ targetId: policeId, after: { requesterKind: 'police', status: 'open' } });
  });

  it('flags an open request past its deadline as overdue and filters on it', async () => {
    const csrc = await create(compliance, {
      requesterKind: 'csrc_local',
      requesterName: '上海证监局',
      requested: 'A written account of the incident',
      receivedAt: isoOf(T0),
      deadlineAt: isoOf(T0 + 2 * HOUR),
    });
    expect(csrc.statusCode, csrc.body).toBe(201);
    expect(csrc.json().incidentKey).toBeNull();
    clock.t = T0 + 3 * HOUR;
    const all = await list(auditor);
    expect(all.map((r) => [r.requesterKind, r.overdue])).toEqual(
      expect.arrayContaining([
        ['police', false],
        ['csrc_local', true],
      ]),
    );
    expect((await list(auditor, '?overdue=true')).map((r) => r.requesterKind)).toEqual(['csrc_local']);
    expect((await list(auditor, '?overdue=false')).map((r) => r.requesterKind)).toEqual(['police']);
    expect((await list(auditor, `?incident=${key}`)).map((r) => r.id)).toEqual([policeId]);
    expect((await list(auditor, '?requesterKind=police')).map((r) => r.id)).toEqual([policeId]);
    // Withdrawn by the requester: no longer overdue.
    const w = await t.as(compliance, {
      method: 'PATCH',
      url: `/api/v1/investigation-requests/${csrc.json().id}`,
      payload: { status: 'withdrawn' },
    });
    expect(w.json()).toMatchObject({ status: 'withdrawn', overdue: false });
    expect(await list(auditor, '?overdue=true')).toEqual([]);
  });

  it('pages the commander 24 hours before and at the deadline, once each', async () => {
    const sweep = () => t.s.investigation.reminders.sweep();
    clock.t = T0 + 47 * HOUR;
    expect((await sweep()).reminded).toBe(0);
    clock.t = T0 + 48 * HOUR;
    expect((await sweep()).reminded).toBe(1);
    expect((await sweep()).reminded).toBe(0);
    clock.t = T0 + 72 * HOUR;
    expect((await sweep()).reminded).toBe(1);
    expect((await sweep()).reminded).toBe(0);
    const pages = (await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${key}/pages` })).json().items as {
      reason: string;
    }[];
    const reasons = pages.map((p) => p.reason).filter((r) => r.startsWith('Request from outside'));
    expect(reasons).toHaveLength(2);
    expect(reasons.join('\n')).toContain('24 h left');
    expect(reasons.join('\n')).toContain('deadline reached');
    expect(reasons.join('\n')).toContain('沪公网调字〔2026〕118号');
    const reminded = await auditOf('investigation.request_remind');
    expect(reminded.map((e) => e.after.point).sort()).toEqual(['24h', 'due']);
    expect(reminded[0]!.after.paged).toEqual([ic.userId]);
  });

  it('records the answer: what was handed over, when, by whom; an answered request no longer changes', async () => {
    clock.t = T0 + 73 * HOUR;
    expect((await list(auditor, '?overdue=true')).map((r) => r.id)).toEqual([policeId]);
    const bad = await t.as(compliance, {
      method: 'POST',
      url: `/api/v1/investigation-requests/${policeId}/answer`,
      payload: { handedOver: [] },
    });
    expect(bad.statusCode).toBe(400);
    const r = await t.as(compliance, {
      method: 'POST',
      url: `/api/v1/investigation-requests/${policeId}/answer`,
      payload: {
        handedOver: [
          { kind: 'document', ref: 'LOG-EXPORT-1', description: 'Login logs of 312 accounts (CSV, SHA-256 recorded)' },
        ],
      },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({
      status: 'answered',
      overdue: false,
      answeredBy: { id: compliance.userId },
      answeredAt: isoOf(T0 + 73 * HOUR),
      handedOver: [{ kind: 'document', ref: 'LOG-EXPORT-1' }],
    });
    const again = expectProblem(
      await t.as(compliance, {
        method: 'POST',
        url: `/api/v1/investigation-requests/${policeId}/answer`,
        payload: { handedOver: [{ kind: 'other', description: 'more' }] },
      }),
      409,
    );
    expect(again).toHaveProperty('code', 'investigation.request_not_open');
    const change = expectProblem(
      await t.as(compliance, {
        method: 'PATCH',
        url: `/api/v1/investigation-requests/${policeId}`,
        payload: { requested: 'something else' },
      }),
      409,
    );
    expect(change).toHaveProperty('code', 'investigation.request_answered');
    const [answered] = await auditOf('investigation.request_answer');
    expect(answered).toMatchObject({ targetId: policeId, before: { status: 'open' }, after: { status: 'answered' } });
    expect((await auditOf('investigation.request_update')).length).toBe(1);
  });

  it('hides a request of a restricted incident from those outside it', async () => {
    const r = await create(ic, {
      incidentKey: hiddenKey,
      requesterKind: 'court',
      requesterName: '上海金融法院',
      requested: 'Evidence of the insider case',
      receivedAt: isoOf(clock.t),
    });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json().id as string;
    expect((await t.as(ic, { method: 'GET', url: `/api/v1/investigation-requests/${id}` })).statusCode).toBe(200);
    expect((await t.as(auditor, { method: 'GET', url: `/api/v1/investigation-requests/${id}` })).statusCode).toBe(404);
    expect((await list(auditor)).map((x) => x.id)).not.toContain(id);
    expect((await list(ic)).map((x) => x.id)).toContain(id);
    expect(
      (await t.as(auditor, { method: 'GET', url: `/api/v1/investigation-requests?incident=${hiddenKey}` })).statusCode,
    ).toBe(404);
    const patch = await t.as(compliance, {
      method: 'PATCH',
      url: `/api/v1/investigation-requests/${id}`,
      payload: { status: 'withdrawn' },
    });
    expect(patch.statusCode).toBe(404);
  });
});
