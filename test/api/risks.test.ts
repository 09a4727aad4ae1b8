/**
 * The risk register over HTTP, on each store: score = likelihood × impact and its level at the documented
 * thresholds, linked incidents by key (an unknown key is 422), vulnerability ids kept as text, filters
 * (status, level, a heat-map cell, review due by the test clock), the 5×5 heat map's counts (closed risks
 * left out, residual ratings on request), the history of changes, a stale version refused (409), and
 * readers who may not change it (403).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Risk, RiskDetail, RiskHeatMap } from '../../src/shared/risk-schemas.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildIncident } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

let NOW = Date.parse('2026-12-05T02:00:00Z'); // 10:00 in Shanghai

describe.each(STORE_KINDS)('risk register (%s)', (kind) => {
  let t: TestApp;
  let manager: Session;
  let reader: Session;
  let incidentKey = '';

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { clock: { now: () => NOW } });
    manager = await t.login('incident_commander');
    reader = await t.login('executive');
    incidentKey = (await buildIncident(t.s, { by: manager, title: 'Account takeover', grade: 'III' })).key;
  });
  afterAll(() => t?.close());

  const create = async (body: Record<string, unknown>): Promise<RiskDetail> => {
    const res = await t.as(manager, { method: 'POST', url: '/api/v1/risks', payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const heat = async (query = ''): Promise<RiskHeatMap> => {
    const res = await t.as(reader, { method: 'GET', url: `/api/v1/risks/heatmap${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const list = async (query: string): Promise<Risk[]> => {
    const res = await t.as(reader, { method: 'GET', url: `/api/v1/risks${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items;
  };

  it('scores likelihood × impact with its level, links incidents and vulnerabilities, and counts the heat map', async () => {
    const stuffing = await create({
      title: 'Credential stuffing against online trading',
      category: 'cyber',
      likelihood: 4,
      impact: 5,
      ownerId: manager.userId,
      reviewOn: '2026-12-01',
      incidentKeys: [incidentKey],
      vulnerabilityIds: ['VULN-0007', 'CVE-2024-3094'],
      residualLikelihood: 2,
      residualImpact: 3,
    });
    expect(stuffing).toMatchObject({
      key: 'RISK-0001',
      score: 20,
      level: 'critical',
      residualScore: 6,
      residualLevel: 'medium',
      owner: { id: manager.userId },
      status: 'open',
      incidentKeys: [incidentKey],
      vulnerabilityIds: ['VULN-0007', 'CVE-2024-3094'],
      reviewDue: true, // 2026-12-01 is before today (2026-12-05)
      version: 1,
    });
    // The thresholds: low 1–4, medium 5–9, high 10–16, critical 20–25.
    const levels = [
      [2, 2, 'low'],
      [1, 5, 'medium'],
      [3, 3, 'medium'],
      [2, 5, 'high'],
      [4, 4, 'high'],
      [5, 5, 'critical'],
    ] as const;
    for (const [l, i, level] of levels) {
      const r = await create({ title: `Risk ${l}×${i}`, category: 'operational', likelihood: l, impact: i });
      expect([r.score, r.level]).toEqual([l * i, level]);
    }
    const closed = await create({ title: 'Old risk', category: 'other', likelihood: 4, impact: 5, status: 'closed' });
    expect(closed.status).toBe('closed');

    const map = await heat();
    const cell = (m: RiskHeatMap, l: number, i: number) => m.cells.find((c) => c.likelihood === l && c.impact === i);
    expect(map.total).toBe(7); // the closed one is left out
    expect(cell(map, 4, 5)).toEqual({ likelihood: 4, impact: 5, count: 1, level: 'critical' });
    expect(cell(map, 2, 2)?.count).toBe(1);
    expect(map.cells.reduce((n, c) => n + c.count, 0)).toBe(7);
    expect(cell(await heat('?includeClosed=true'), 4, 5)?.count).toBe(2);
    const residual = await heat('?residual=true');
    expect(residual).toMatchObject({ residual: true, total: 1, cells: [{ likelihood: 2, impact: 3, count: 1 }] });

    // A heat-map cell's risks, a level, review due.
    expect((await list('?likelihood=4&impact=5&notClosed=true')).map((r) => r.key)).toEqual(['RISK-0001']);
    expect((await list('?likelihood=4&impact=5')).map((r) => r.key)).toEqual(['RISK-0001', 'RISK-0008']);
    expect((await list('?likelihood=4&impact=5&status=closed')).map((r) => r.title)).toEqual(['Old risk']);
    expect((await list('?level=high')).map((r) => r.score)).toEqual([16, 10]);
    expect((await list('?reviewDue=true')).map((r) => r.key)).toEqual(['RISK-0001']);
    expect((await list('?q=stuffing')).map((r) => r.key)).toEqual(['RISK-0001']);
  });

  it('keeps the history of changes, refuses a stale version and unknown incidents, and lets readers only read', async () => {
    const r = await create({ title: 'Market-data vendor outage', category: 'third_party', likelihood: 3, impact: 4 });
    const patch = (body: Record<string, unknown>, who = manager) =>
      t.as(who, { method: 'PATCH', url: `/api/v1/risks/${r.key}`, payload: body });
    NOW += 3600_000;
    const changed = await patch({ version: 1, status: 'treating', likelihood: 2, incidentKeys: [incidentKey] });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ status: 'treating', score: 8, level: 'medium', version: 2 });

    const stale = expectProblem(await patch({ version: 1, status: 'closed' }), 409) as unknown as { code: string };
    expect(stale.code).toBe('risk.stale_version');
    const unknown = await patch({ version: 2, incidentKeys: ['INC-2026-9999'] });
    expect(expectProblem(unknown, 422).errors?.map((e) => e.path)).toEqual(['body.incidentKeys.0']);
    expectProblem(await patch({ version: 2, impact: 6 }), 400);
    expectProblem(await patch({ version: 2, status: 'accepted' }, reader), 403);

    const detail = await t.as(reader, { method: 'GET', url: `/api/v1/risks/${r.id}` });
    expect(detail.statusCode, detail.body).toBe(200);
    const history = (detail.json() as RiskDetail).history;
    expect(history).toHaveLength(2);
    expect(history[0]!.changes.title).toEqual([null, 'Market-data vendor outage']);
    expect(history[1]).toMatchObject({
      at: new Date(NOW).toISOString(),
      changes: { status: ['open', 'treating'], likelihood: [3, 2], incidentKeys: [[], [incidentKey]] },
    });
    expect(Object.keys(history[1]!.changes).sort()).toEqual(['incidentKeys', 'likelihood', 'status']);
    expectProblem(await t.as(reader, { method: 'GET', url: '/api/v1/risks/RISK-9999' }), 404);
    expectProblem(
      await t.as(reader, {
        method: 'POST',
        url: '/api/v1/risks',
        payload: { title: 'x', category: 'cyber', likelihood: 1, impact: 1 },
      }),
      403,
    );
    const responder = await t.login('customer_service');
    expectProblem(await t.as(responder, { method: 'GET', url: '/api/v1/risks' }), 403);
  });
});
