/**
 * `tocsin demo` with its year of history (issue 16): what a manager opening the dashboards or a monthly
 * report of any of the last twelve months would find there, read back from the store and the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wire } from '../../src/server/compose.js';
import { loadDemo, settableClock, type DemoResult } from '../../src/server/cli/demo.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import type { KpiSnapshot } from '../../src/shared/kpi-schemas.js';
import { STORE_KINDS } from '../helpers/store.js';

const DAY = 86_400_000;
const month = (ms: number) => new Date(ms).toISOString().slice(0, 7);

describe.each(STORE_KINDS)('the demo firm with a year of history (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let demo: DemoResult;
  let now: number;
  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.login('admin');
    const clock = settableClock();
    now = Date.now();
    demo = await loadDemo(wire(t.s.store, t.s.config, { clock, bus: t.s.bus }), clock, undefined, { history: true });
  }, 300_000);
  afterAll(() => t.close());

  it('each of the last twelve months has incidents of several grades, taken through their life', async () => {
    const rows = await t.s.store.db
      .selectFrom('incidents')
      .select(['key', 'grade', 'status', 'detected_at', 'acknowledged_at', 'contained_at', 'recovered_at'])
      .where('tags', 'like', '%history%')
      .execute();
    expect(rows.length).toBe(demo.history!.incidents);
    const months = new Set(rows.map((r) => month(Number(r.detected_at))));
    for (let back = 1; back <= 11; back++) {
      const d = new Date(now);
      expect(months, `month ${back} back`).toContain(month(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 15)));
    }
    expect(new Set(rows.map((r) => r.grade)).size).toBeGreaterThanOrEqual(3);
    const real = rows.filter((r) => r.status !== 'false_positive');
    expect(rows.length - real.length).toBeGreaterThan(0);
    for (const r of real) {
      expect(Number(r.acknowledged_at), r.key).toBeGreaterThan(Number(r.detected_at));
      expect(Number(r.contained_at), r.key).toBeGreaterThan(Number(r.acknowledged_at));
      expect(Number(r.recovered_at), r.key).toBeGreaterThan(Number(r.contained_at));
      expect(Number(r.recovered_at), r.key).toBeLessThan(now);
      expect(Number(r.detected_at), r.key).toBeGreaterThan(now - 366 * DAY);
    }
    // Responses got faster over the year: the last quarter's mean time to contain is below the first's.
    const mttc = (from: number, to: number) => {
      const xs = real.filter((r) => Number(r.detected_at) >= from && Number(r.detected_at) < to);
      return xs.reduce((a, r) => a + Number(r.contained_at) - Number(r.detected_at), 0) / xs.length;
    };
    expect(mttc(now - 90 * DAY, now)).toBeLessThan(mttc(now - 365 * DAY, now - 275 * DAY));
    // The console lists them.
    const list = (await t.as(admin, { method: 'GET', url: '/api/v1/incidents?status=ended&limit=200' })).json();
    expect(list.items.length).toBeGreaterThan(50);
  });

  it('the dashboards’ figures of the year come from it: MTTD from the alerts that detected each incident', async () => {
    const r = await t.as(admin, { method: 'GET', url: '/api/v1/kpi' });
    expect(r.statusCode, r.body).toBe(200);
    const k = r.json() as KpiSnapshot;
    expect(k.incidents).toBeGreaterThan(50);
    // Each past incident (not the false positives) has the alert that detected it, minutes before.
    expect(k.durations.mttd.count).toBeGreaterThan(50);
    expect(k.durations.mttd.medianMs).toBeGreaterThan(60_000);
    expect(k.durations.mttd.medianMs).toBeLessThan(40 * 60_000);
    for (const figure of ['mtta', 'mttc', 'mttr', 'first_statement'] as const)
      expect(k.durations[figure].count, figure).toBeGreaterThan(0);
    expect(k.missing.map((m) => m.figure)).not.toContain('durations.mttd');
    // The last three months detect faster than the first three (each about twenty incidents).
    const withMttd = k.trend.filter((m) => m.slice.durations.mttd.count > 0);
    expect(withMttd.length).toBeGreaterThanOrEqual(11);
    const meanOf = (months: typeof withMttd) => {
      const n = months.reduce((a, m) => a + m.slice.durations.mttd.count, 0);
      return months.reduce((a, m) => a + (m.slice.durations.mttd.meanMs ?? 0) * m.slice.durations.mttd.count, 0) / n;
    };
    expect(meanOf(withMttd.slice(-3))).toBeLessThan(meanOf(withMttd.slice(0, 3)));
  });

  it('reviews hold action items: most closed on time, an overdue one, one accepted as a risk', async () => {
    const items = await t.s.store.db
      .selectFrom('action_items')
      .select(['status', 'due_at', 'closed_at', 'source_kind'])
      .execute();
    const reviewItems = items.filter((i) => i.source_kind === 'review');
    expect(reviewItems.length).toBeGreaterThan(10);
    const onTime = reviewItems.filter((i) => i.status === 'done' && Number(i.closed_at) <= Number(i.due_at));
    expect(onTime.length / reviewItems.length).toBeGreaterThan(0.5);
    expect(reviewItems.some((i) => i.status === 'done' && Number(i.closed_at) > Number(i.due_at))).toBe(true);
    expect(reviewItems.some((i) => i.status === 'open' && Number(i.due_at) < now)).toBe(true);
    expect(reviewItems.filter((i) => i.status === 'accepted_risk')).toHaveLength(1);
    const overdue = (
      await t.as(admin, { method: 'GET', url: '/api/v1/action-items?overdue=true&source=review' })
    ).json();
    expect(overdue.items.length).toBe(demo.history!.actionItems.overdue);
    const closed = await t.s.store.db.selectFrom('reviews').select('state').where('state', '=', 'closed').execute();
    expect(closed.length).toBeGreaterThan(3);
  });

  it('customer-facing incidents have published statements; regulator reports are filed, a few late', async () => {
    const published = await t.s.store.db
      .selectFrom('statements')
      .select(['published_at'])
      .where('state', '=', 'published')
      .execute();
    expect(published.length).toBeGreaterThanOrEqual(demo.history!.counts.statements);
    expect(demo.history!.counts.statements).toBeGreaterThan(20);
    // Each was resolved on the status site once service came back: the public page does not show a
    // year of incidents as still being investigated.
    const snap = await t.s.status.site.snapshot();
    expect(snap.announcements.length).toBeGreaterThan(5); // the site keeps the last 90 days
    expect(snap.announcements.filter((a) => a.status !== 'resolved').map((a) => a.title.en)).toEqual([]);
    const clocks = await t.s.store.db
      .selectFrom('obligation_clocks')
      .select(['due_at', 'submitted_at', 'status'])
      .where('submitted_at', 'is not', null)
      .execute();
    expect(clocks.length).toBeGreaterThan(5);
    expect(clocks.some((c) => Number(c.submitted_at) > Number(c.due_at))).toBe(true);
    expect(clocks.filter((c) => Number(c.submitted_at) <= Number(c.due_at)).length).toBeGreaterThan(clocks.length / 2);
  });
  it('vulnerability scans over the year: some fixed by a rescan, some open past their SLA', async () => {
    const imports = await t.s.store.db.selectFrom('vuln_imports').select(['id']).execute();
    expect(imports.length).toBe(6);
    const findings = (await t.as(admin, { method: 'GET', url: '/api/v1/vulnerabilities/findings?limit=500' })).json()
      .items as { status: string; pastSla: boolean }[];
    expect(findings.some((f) => f.status === 'fixed')).toBe(true);
    expect(findings.filter((f) => f.pastSla).length).toBe(demo.history!.counts.vulnerabilitiesPastSla);
    expect(demo.history!.counts.vulnerabilitiesPastSla).toBeGreaterThan(0);
  });

  it("leaves today's live incidents' deadline warnings to the server, which pages people who are reachable by then", async () => {
    const live = demo.incidents.map((i) => i.key);
    const problems = async () => {
      const out: string[] = [];
      for (const key of live) {
        const items = (await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${key}/timeline?limit=200` })).json()
          .items as { data: { event?: string; reason?: string } | null }[];
        for (const e of items) if (e.data?.event === 'page_problem') out.push(`${key} ${e.data.reason}`);
      }
      return out;
    };
    const warnings = () =>
      t.s.store.db
        .selectFrom('obligation_warnings as w')
        .innerJoin('obligation_clocks as c', 'c.id', 'w.clock_id')
        .innerJoin('incidents as i', 'i.id', 'c.incident_id')
        .select(['i.key', 'w.point'])
        .where('i.key', 'in', live)
        .execute();
    // The history's sweeps, run before the people had contacts, paged none of them ("no contact route").
    expect(await warnings()).toEqual([]);
    expect(await problems()).toEqual([]);
    // The server's first sweep does: the market-open DDoS (grade I, its CSRC report due 30 minutes after
    // detection) is past its warning point.
    await t.s.obligations.warnings.sweep();
    expect((await warnings()).map((w) => w.key)).toContain(demo.incidents.find((i) => i.title.includes('DDoS'))!.key);
    expect((await problems()).filter((p) => p.endsWith('no_contact_route'))).toEqual([]);
  });

  it('a drill each quarter, completed and scored; training records and a phishing simulation', async () => {
    const drills = (await t.as(admin, { method: 'GET', url: '/api/v1/drills' })).json().items as {
      id: string;
      status: string;
      scheduledAt: string;
    }[];
    const completed = drills
      .filter((d) => d.status === 'completed')
      .sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt));
    expect(completed).toHaveLength(4);
    const scores: number[] = [];
    for (const d of completed) {
      const one = (await t.as(admin, { method: 'GET', url: `/api/v1/drills/${d.id}` })).json();
      expect(one.score?.score ?? null, d.id).not.toBeNull();
      scores.push(one.score.score);
    }
    // Better each quarter: the first missed both reports' clocks, the last met both.
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    expect(scores[0]).toBeLessThan(scores[3]!);
    // Each drill's after-action left an action item (source drill), the older ones done.
    const items = (await t.as(admin, { method: 'GET', url: '/api/v1/action-items?source=drill' })).json().items as {
      status: string;
      source: { id: string };
    }[];
    expect(new Set(items.map((i) => i.source.id))).toEqual(new Set(completed.map((d) => d.id)));
    expect(items.filter((i) => i.status === 'done')).toHaveLength(3);
    const coverage = (await t.as(admin, { method: 'GET', url: '/api/v1/training/coverage' })).json();
    expect(JSON.stringify(coverage)).toContain('SEC-AWARE');
    expect(demo.history!.counts.trainingRecords).toBeGreaterThan(30);
    expect(demo.history!.counts.phishingResults).toBeGreaterThan(10);
  });
  it('customers asked about the customer-facing incidents, were answered and rated it (CSAT)', async () => {
    const rows = await t.s.store.db
      .selectFrom('inquiry_feedback as f')
      .innerJoin('customer_inquiries as q', 'q.id', 'f.inquiry_id')
      .select(['f.rating', 'q.created_at', 'q.answered_at'])
      .execute();
    expect(rows.length).toBe(demo.history!.counts.ratings);
    expect(rows.length).toBeGreaterThan(20);
    for (const x of rows) expect(Number(x.answered_at)).toBeGreaterThan(Number(x.created_at));
    const mean = (xs: typeof rows) => xs.reduce((a, x) => a + Number(x.rating), 0) / xs.length;
    const half = now - 182 * DAY;
    expect(mean(rows.filter((x) => Number(x.created_at) >= half))).toBeGreaterThan(
      mean(rows.filter((x) => Number(x.created_at) < half)),
    );
  });
  it('the risk register holds the risks the year showed, linked to incidents and treated by action items', async () => {
    const risks = (await t.as(admin, { method: 'GET', url: '/api/v1/risks' })).json().items as { id: string }[];
    expect(risks).toHaveLength(4);
    const treatments = (await t.as(admin, { method: 'GET', url: '/api/v1/action-items?source=risk' })).json().items as {
      status: string;
      treats: { kind: string; id: string };
    }[];
    expect(treatments).toHaveLength(4);
    expect(new Set(treatments.map((x) => x.treats.id))).toEqual(new Set(risks.map((x) => x.id)));
    expect(treatments.filter((x) => x.status === 'done')).toHaveLength(1);
  });
});
