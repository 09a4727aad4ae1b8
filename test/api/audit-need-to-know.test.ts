/**
 * The audit log and need-to-know: entries about a restricted incident are shown only to those who may
 * see the incident now (an auditor is not a member unless added; administrators see all), in lists,
 * by target and in exports (withheld entries keep their place and hashes). And the audit page's filters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/server/platform/ids.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildAlert, buildIncident } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { countRows, STORE_KINDS } from '../helpers/store.js';

interface Entry {
  seq: number;
  action: string;
  targetType: string;
  targetId: string | null;
  actor: { id: string | null; label: string };
  at: string;
  prevHash: string;
  hash: string;
}
interface ExportLine {
  seq: number;
  prevHash: string;
  hash: string;
  withheld?: true;
  action?: string;
  targetId?: string | null;
}

const SECRET = 'Chairman front-running case';
const T0 = Date.UTC(2026, 10, 28, 1, 0, 0);
const HOUR = 3600_000;

describe.each(STORE_KINDS)('audit need-to-know (%s)', (kind) => {
  let t: TestApp;
  let now = T0;
  const clock: Clock = { now: () => now };
  let admin: Session;
  let ic: Session;
  let auditor: Session;
  let key = '';
  let openKey = '';
  let alertId = '';
  let taskId = '';

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { clock });
    admin = await t.login('admin');
    ic = await t.login('incident_commander');
    auditor = await t.login('auditor');
    // A restricted incident with everything that gets audited about it: edits, timeline, a task, staff, an alert moved in, a suppression made from it.
    ({ key } = await buildIncident(t.s, {
      by: ic,
      title: SECRET,
      summary: `${SECRET}: summary`,
      category: 'rule_violation',
      grade: 'II',
      restricted: true,
      commanderId: ic.userId,
    }));
    await t.as(ic, { method: 'PATCH', url: `/api/v1/incidents/${key}`, payload: { summary: `${SECRET}: more` } });
    await t.as(ic, { method: 'POST', url: `/api/v1/incidents/${key}/timeline`, payload: { text: `${SECRET}: note` } });
    taskId = (
      await t.as(ic, { method: 'POST', url: `/api/v1/incidents/${key}/tasks`, payload: { title: `${SECRET}: task` } })
    ).json().id;
    await t.as(ic, { method: 'PATCH', url: `/api/v1/incidents/${key}/tasks/${taskId}`, payload: { status: 'done' } });
    await t.as(ic, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/participants`,
      payload: { userId: admin.userId, role: 'legal' },
    });
    const raised = await buildAlert(t.s, {
      ruleId: 'ntk-audit-rule',
      level: 'high',
      events: [{ id: 'ntk-a1', time: now, source: 'api', logsource: {}, fields: { TargetUserName: 'chairman' } }],
    });
    alertId = raised.alertId;
    openKey = raised.incidentKey!;
    await t.as(ic, { method: 'POST', url: `/api/v1/alerts/${alertId}/link`, payload: { incidentKey: key } });
    await t.as(ic, {
      method: 'POST',
      url: `/api/v1/alerts/${alertId}/false-positive`,
      payload: { reason: `${SECRET}: fp`, suppress: { entity: { kind: 'account', value: 'chairman' } } },
    });
    // And something public, by the commander, later.
    now += HOUR;
    await t.as(ic, { method: 'POST', url: `/api/v1/incidents/${openKey}/timeline`, payload: { text: 'public note' } });
  });
  afterAll(() => t.close());

  const list = async (s: Session, q = '') => {
    const res = await t.as(s, { method: 'GET', url: `/api/v1/audit?limit=200${q}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: Entry[]; next: string | null };
  };
  const exportOf = async (s: Session) => {
    const res = await t.as(s, { method: 'GET', url: '/api/v1/audit/export' });
    expect(res.statusCode).toBe(200);
    return {
      body: res.body,
      lines: res.body
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as ExportLine),
    };
  };

  it('shows an auditor nothing about a restricted incident: by target, in the list, for its tasks, alerts and suppressions', async () => {
    expect((await list(auditor, `&targetId=${key}`)).items).toEqual([]);
    expect((await list(auditor, `&targetId=${taskId}`)).items).toEqual([]);
    expect((await list(auditor, `&targetId=${alertId}`)).items).toEqual([]);
    const all = await list(auditor);
    expect(JSON.stringify(all)).not.toContain(SECRET);
    expect(JSON.stringify(all)).not.toContain(key);
    expect(all.items.some((e) => e.targetType === 'suppression')).toBe(false);
    // What is not about it is still there: the public note, the logins.
    expect(all.items.find((e) => e.action === 'timeline.append' && e.targetId === openKey)).toBeDefined();
    expect(all.items.some((e) => e.action === 'session.login')).toBe(true);
  });

  it('shows administrators everything', async () => {
    const mine = await list(admin, `&targetId=${key}`);
    expect(mine.items.map((e) => e.action).sort()).toEqual(
      ['incident.create', 'incident.participant_add', 'incident.update', 'timeline.append'].sort(),
    );
    expect((await list(admin, `&targetId=${alertId}`)).items.map((e) => e.action)).toEqual([
      'alert.false_positive',
      'alert.link',
      'alert.raise',
    ]);
    expect(JSON.stringify(await list(admin))).toContain(SECRET);
  });

  it("exports the whole chain to an auditor with the restricted incident's entries withheld, and the links still check", async () => {
    const total = await countRows(t.s.store, 'audit_log');
    const { body, lines } = await exportOf(auditor);
    expect(lines).toHaveLength(total);
    expect(body).not.toContain(SECRET);
    expect(body).not.toContain(key);
    const withheld = lines.filter((l) => l.withheld);
    expect(withheld.length).toBeGreaterThanOrEqual(10);
    for (const w of withheld) expect(Object.keys(w).sort()).toEqual(['hash', 'prevHash', 'seq', 'withheld']);
    lines.forEach((e, i) => {
      expect(e.seq).toBe(i + 1);
      expect(e.prevHash).toBe(i === 0 ? '0'.repeat(64) : lines[i - 1]!.hash);
    });
    const full = await exportOf(admin);
    expect(full.lines.filter((l) => l.withheld)).toEqual([]);
    expect(full.lines.map((l) => l.hash)).toEqual(lines.map((l) => l.hash));
    expect((await t.as(auditor, { method: 'GET', url: '/api/v1/audit/verify' })).json()).toMatchObject({
      ok: true,
      checked: total,
    });
  });

  it('follows the incident as it is now: membership and restriction', async () => {
    await t.as(ic, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/participants`,
      payload: { userId: auditor.userId, role: 'observer' },
    });
    expect((await list(auditor, `&targetId=${key}`)).items.length).toBeGreaterThanOrEqual(4);
    expect((await exportOf(auditor)).lines.filter((l) => l.withheld)).toEqual([]);
    await t.as(ic, { method: 'DELETE', url: `/api/v1/incidents/${key}/participants/${auditor.userId}/observer` });
    expect((await list(auditor, `&targetId=${key}`)).items).toEqual([]);
    await t.as(ic, { method: 'PATCH', url: `/api/v1/incidents/${key}`, payload: { restricted: false } });
    expect((await list(auditor, `&targetId=${key}`)).items.length).toBeGreaterThanOrEqual(5);
    await t.as(ic, { method: 'PATCH', url: `/api/v1/incidents/${key}`, payload: { restricted: true } });
    expect((await list(auditor, `&targetId=${key}`)).items).toEqual([]);
  });

  it('hides the entries of an alert that moved into a restricted incident, even those written before', async () => {
    const raised = await buildAlert(t.s, { ruleId: 'ntk-audit-later' });
    expect((await list(auditor, `&targetId=${raised.alertId}`)).items.map((e) => e.action)).toEqual(['alert.raise']);
    await t.as(ic, { method: 'POST', url: `/api/v1/alerts/${raised.alertId}/link`, payload: { incidentKey: key } });
    expect((await list(auditor, `&targetId=${raised.alertId}`)).items).toEqual([]);
  });

  describe('filters', () => {
    it('filters by time range, actor (or no person) and action, paging through the result', async () => {
      const from = new Date(T0 + HOUR / 2).toISOString();
      const late = await list(admin, `&from=${encodeURIComponent(from)}`);
      expect(late.items.length).toBeGreaterThan(0);
      expect(late.items.every((e) => Date.parse(e.at) >= T0 + HOUR / 2)).toBe(true);
      const early = await list(admin, `&to=${encodeURIComponent(from)}`);
      expect(early.items.every((e) => Date.parse(e.at) < T0 + HOUR / 2)).toBe(true);
      expect(early.items.length + late.items.length).toBe((await list(admin)).items.length);
      const between = await list(
        admin,
        `&from=${encodeURIComponent(new Date(T0 + HOUR / 2).toISOString())}&to=${encodeURIComponent(new Date(T0 + HOUR + 1).toISOString())}`,
      );
      expect(between.items.map((e) => e.seq)).toEqual(late.items.map((e) => e.seq));
      expect(between.items.some((e) => e.action === 'timeline.append' && e.targetId === openKey)).toBe(true);
      const gap = `&from=${encodeURIComponent(new Date(T0 + HOUR / 2).toISOString())}&to=${encodeURIComponent(new Date(T0 + HOUR).toISOString())}`;
      expect((await list(admin, gap)).items).toEqual([]);
      expect((await list(admin, `&from=${encodeURIComponent(new Date(T0 + 10 * HOUR).toISOString())}`)).items).toEqual(
        [],
      );

      const byIc = await list(admin, `&actorId=${ic.userId}`);
      expect(byIc.items.length).toBeGreaterThan(5);
      expect(byIc.items.every((e) => e.actor.id === ic.userId)).toBe(true);
      const bySystem = await list(admin, '&actorId=system');
      expect(bySystem.items.map((e) => e.action)).toContain('alert.raise');
      expect(bySystem.items.every((e) => e.actor.id === null)).toBe(true);

      const pages: Entry[][] = [];
      let cursor: string | null = null;
      do {
        const page: { items: Entry[]; next: string | null } = (
          await t.as(admin, {
            method: 'GET',
            url: `/api/v1/audit?limit=3&actorId=${ic.userId}&action=timeline.append${cursor ? `&cursor=${cursor}` : ''}`,
          })
        ).json();
        pages.push(page.items);
        cursor = page.next;
      } while (cursor);
      const walked = pages.flat();
      expect(walked.length).toBeGreaterThanOrEqual(2);
      expect(walked.every((e) => e.action === 'timeline.append' && e.actor.id === ic.userId)).toBe(true);
      expect(walked.map((e) => e.seq)).toEqual([...walked.map((e) => e.seq)].sort((a, b) => b - a));
      // The auditor's pages are full pages of what they may see (withheld entries take no room).
      const visible = (await list(auditor, `&actorId=${ic.userId}`)).items;
      expect(visible.length).toBeGreaterThanOrEqual(2);
      const seen: number[] = [];
      let next: string | null = null;
      do {
        const page: { items: Entry[]; next: string | null } = (
          await t.as(auditor, {
            method: 'GET',
            url: `/api/v1/audit?limit=1&actorId=${ic.userId}${next ? `&cursor=${next}` : ''}`,
          })
        ).json();
        expect(page.items).toHaveLength(1);
        seen.push(page.items[0]!.seq);
        next = page.next;
      } while (next);
      expect(seen).toEqual(visible.map((e) => e.seq));
    });

    it('refuses a malformed or empty range with a clear problem', async () => {
      const bad = expectProblem(await t.as(admin, { method: 'GET', url: '/api/v1/audit?from=yesterday' }), 400);
      expect(bad.errors?.map((e) => e.path)).toEqual(['query.from']);
      const empty = expectProblem(
        await t.as(admin, {
          method: 'GET',
          url: `/api/v1/audit?from=${encodeURIComponent(new Date(T0).toISOString())}&to=${encodeURIComponent(new Date(T0 - 1).toISOString())}`,
        }),
        422,
      );
      expect(empty.detail).toMatch(/"to" must be after "from"/);
      expectProblem(await t.as(admin, { method: 'GET', url: `/api/v1/audit?actorId=${'x'.repeat(65)}` }), 400);
    });
  });
});
