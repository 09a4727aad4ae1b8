/**
 * The status module on a real store (SQLite, and PostgreSQL when configured), with a fixed clock:
 * probe states and overrides, maintenance, uptime from health changes across midnight in Shanghai, the
 * publisher (open, update, resolve, investigation; stable slug; one statement once), and the snapshot.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { buildIncident, buildPrincipal, buildService, SYSTEM } from '../../../../test/helpers/fixtures.js';
import { countRows, STORE_KINDS } from '../../../../test/helpers/store.js';
import type { BusEvent } from '../../platform/bus.js';
import type { Db } from '../../platform/db/types.js';
import { newId } from '../../platform/ids.js';
import type { FactCheck } from '../../../shared/status-site.js';
import type { StatusPublishRequest } from './index.js';
import { createStatusSite } from './status-site.service.js';

const HOUR = 3_600_000;
/** 2026-03-10 12:00 in Shanghai. */
const NOON = Date.parse('2026-03-10T12:00:00+08:00');

describe.each(STORE_KINDS)('status site (%s)', (kind) => {
  let t: TestApp;
  const clock = { t: NOON, now: () => clock.t };
  const events: BusEvent[] = [];
  let incidentId: string;
  let otherIncidentId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { clock });
    t.s.bus.subscribe((e) => events.push(e));
    for (const [key, nameZh, nameEn] of [
      ['online-trading', '网上交易', 'Online trading'],
      ['mobile-app', '手机App', 'Mobile app'],
      ['back-office', '后台清算', 'Back office'],
    ] as const)
      ids[key] = (await buildService(t.s, { key, nameZh, nameEn })).id;
    await t.s.status.admin.createGroup(SYSTEM, { key: 'trading', name: { zh: '交易', en: 'Trading' }, position: 1 });
    await t.s.status.admin.update(SYSTEM, 'online-trading', {
      public: true,
      group: 'trading',
      position: 1,
      description: { zh: '网页交易', en: 'Web trading' },
    });
    await t.s.status.admin.update(SYSTEM, 'mobile-app', { public: true, group: 'trading', position: 2 });
    incidentId = (await buildIncident(t.s, { title: 'Login failures' })).id;
    otherIncidentId = (await buildIncident(t.s, { title: 'Quotes stale' })).id;
  });
  afterAll(() => t.close());
  beforeEach(() => {
    clock.t = NOON;
    events.length = 0;
  });

  /** What the probe module writes when a service's health changes. */
  async function health(key: string, from: string, to: string, at: number) {
    const db = t.s.store.db;
    await db
      .insertInto('service_health')
      .values({ service_id: ids[key]!, state: to, since: at })
      .onConflict((oc) => oc.column('service_id').doUpdateSet({ state: to, since: at }))
      .execute();
    await db
      .insertInto('health_changes')
      .values({ id: newId(), service_id: ids[key]!, probe_id: null, from_state: from, to_state: to, at, reason: null })
      .execute();
  }
  const component = async (key: string) => (await t.s.status.site.snapshot()).components.find((c) => c.key === key);
  const publish = (req: Partial<StatusPublishRequest> & Pick<StatusPublishRequest, 'kind'>, tx?: Db) => {
    const full: StatusPublishRequest = {
      incidentId,
      statementId: newId(),
      title: { zh: '网上交易登录异常', en: 'Online trading login failures' },
      body: { zh: '我们正在调查。', en: 'We are investigating.' },
      fields: {},
      ...req,
    };
    return tx
      ? t.s.status.publisher.publish(tx, SYSTEM, full)
      : t.s.store.transaction((x) => t.s.status.publisher.publish(x, SYSTEM, full));
  };

  it('shows only public services, in their groups and order, with the probes state', async () => {
    await health('online-trading', 'unknown', 'up', Date.parse('2026-03-08T10:00:00+08:00'));
    await health('back-office', 'unknown', 'down', NOON - HOUR);
    const snap = await t.s.status.site.snapshot();
    expect(snap.components.map((c) => c.key)).toEqual(['online-trading', 'mobile-app']);
    expect(snap.groups).toEqual([{ key: 'trading', name: { zh: '交易', en: 'Trading' }, position: 1 }]);
    expect(snap.components[0]).toMatchObject({
      name: { zh: '网上交易', en: 'Online trading' },
      description: { zh: '网页交易', en: 'Web trading' },
      group: 'trading',
      state: 'operational',
      source: 'probe',
      since: Date.parse('2026-03-08T10:00:00+08:00'),
    });
    expect(snap.overall).toBe('operational');
    expect(snap.site).toEqual({
      name: { zh: 'Tocsin 证券', en: 'Tocsin Securities' },
      baseUrl: `${t.s.config.publicUrl}/status`,
      timeZone: 'Asia/Shanghai',
    });
  });

  it('infers a partial outage when some of the service probes are down and others answer, a major one when all are down', async () => {
    const admin = await buildPrincipal(t.s);
    const probe = (name: string) =>
      t.s.probes.create(admin, 'mobile-app', {
        name,
        kind: 'tcp',
        target: '192.0.2.1:443',
        intervalS: 60,
        timeoutMs: 1000,
        expect: {},
        failuresToDown: 2,
        successesToUp: 2,
        enabled: true,
      });
    const [a, b] = [await probe('Shanghai gateway'), await probe('Shenzhen gateway')];
    const states = async (sa: string, sb: string) => {
      for (const [id, state] of [
        [a.id, sa],
        [b.id, sb],
      ] as const)
        await t.s.store.db.updateTable('probes').set({ state }).where('id', '=', id).execute();
    };
    await states('down', 'up');
    await health('mobile-app', 'up', 'down', NOON - HOUR);
    expect(await component('mobile-app')).toMatchObject({ state: 'partial_outage', source: 'probe' });
    expect((await t.s.status.site.snapshot()).overall).toBe('partial_outage');
    await states('down', 'down');
    expect(await component('mobile-app')).toMatchObject({ state: 'major_outage', source: 'probe' });
    await states('up', 'up');
    await health('mobile-app', 'down', 'up', NOON);
    expect(await component('mobile-app')).toMatchObject({ state: 'operational' });
    for (const id of [a.id, b.id]) await t.s.store.db.deleteFrom('probes').where('id', '=', id).execute();
  });

  it('lets an override win over the probes until it is cleared, and tells the site after each commit', async () => {
    await health('online-trading', 'up', 'down', NOON - 10 * 60_000);
    expect(await component('online-trading')).toMatchObject({ state: 'major_outage', source: 'probe' });
    clock.t = NOON + 60_000;
    await t.s.status.admin.setOverride(SYSTEM, 'online-trading', { state: 'degraded', reason: 'Partly served by DR' });
    expect(await component('online-trading')).toMatchObject({
      state: 'degraded',
      source: 'manual',
      since: NOON + 60_000,
    });
    expect((await t.s.status.site.snapshot()).overall).toBe('degraded');
    clock.t = NOON + 120_000;
    await health('online-trading', 'down', 'up', NOON + 90_000);
    expect(await component('online-trading')).toMatchObject({ state: 'degraded', source: 'manual' });
    await t.s.status.admin.clearOverride(SYSTEM, 'online-trading');
    expect(await component('online-trading')).toMatchObject({ state: 'operational', source: 'probe' });
    expect(events.filter((e) => e.event === 'status.changed')).toHaveLength(2);
    // Today's bar remembers the outage and the override.
    const today = (await component('online-trading'))!.uptime.at(-1)!;
    expect(today).toMatchObject({ day: '2026-03-10', worst: 'major_outage' });
    expect(today.upPct).toBeLessThan(100);
  });

  it('shows maintenance in progress unless something is worse, and lists it', async () => {
    const m = await t.s.status.maintenances.create(SYSTEM, {
      title: { zh: '系统升级', en: 'Upgrade' },
      body: { zh: '**升级**<script>alert(1)</script>', en: 'Upgrade' },
      services: ['mobile-app', 'online-trading'],
      startsAt: new Date(NOON + HOUR).toISOString(),
      endsAt: new Date(NOON + 3 * HOUR).toISOString(),
    });
    let snap = await t.s.status.site.snapshot();
    expect(snap.maintenances).toEqual([
      expect.objectContaining({ id: m.id, state: 'scheduled', services: ['mobile-app', 'online-trading'] }),
    ]);
    expect(snap.maintenances[0]!.body.zh).toBe('<p><strong>升级</strong>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    clock.t = NOON + 2 * HOUR;
    await health('online-trading', 'up', 'degraded', NOON + 90 * 60_000);
    snap = await t.s.status.site.snapshot();
    expect(snap.maintenances[0]!.state).toBe('in_progress');
    expect(snap.components.find((c) => c.key === 'mobile-app')).toMatchObject({
      state: 'maintenance',
      since: NOON + HOUR,
    });
    expect(snap.components.find((c) => c.key === 'online-trading')!.state).toBe('degraded');
    clock.t = NOON + 4 * HOUR;
    snap = await t.s.status.site.snapshot();
    expect(snap.maintenances[0]!.state).toBe('completed');
    expect(snap.components.find((c) => c.key === 'mobile-app')!.state).toBe('operational');
    await t.s.status.maintenances.remove(SYSTEM, m.id);
    await health('online-trading', 'degraded', 'up', NOON + 4 * HOUR);
  });

  it('computes uptime days from health changes across midnight in Shanghai', async () => {
    // mobile-app: watched from the 7th 12:00, down 23:00 on the 8th to 01:00 on the 9th (Shanghai).
    await health('mobile-app', 'unknown', 'up', Date.parse('2026-03-07T12:00:00+08:00'));
    await health('mobile-app', 'up', 'down', Date.parse('2026-03-08T23:00:00+08:00'));
    await health('mobile-app', 'down', 'up', Date.parse('2026-03-09T01:00:00+08:00'));
    const c = (await component('mobile-app'))!;
    expect(c.uptime).toHaveLength(90);
    const day = new Map(c.uptime.map((d) => [d.day, d]));
    expect(day.get('2026-03-06')).toEqual({ day: '2026-03-06', worst: null, upPct: null });
    expect(day.get('2026-03-07')).toEqual({ day: '2026-03-07', worst: 'operational', upPct: 100 });
    expect(day.get('2026-03-08')).toEqual({ day: '2026-03-08', worst: 'major_outage', upPct: 95.83 });
    expect(day.get('2026-03-09')).toEqual({ day: '2026-03-09', worst: 'major_outage', upPct: 95.83 });
    expect(c.uptimePct).not.toBeNull();
    expect(c.uptimePct!).toBeLessThan(100);
  });

  it('opens, updates, resolves and completes an announcement through the publisher only', async () => {
    const before = await countRows(t.s.store, 'outbox');
    const opened = await publish({
      kind: 'holding_statement',
      fields: {
        impact: 'major',
        startedAt: NOON - HOUR,
        services: ['online-trading', 'back-office'],
        cause: { zh: '正在调查', en: 'Under investigation' },
        nextUpdateAt: NOON + HOUR,
      },
    });
    expect(opened.slug).toBe('2026-0001');
    expect(opened.path).toBe('/status/incidents/2026-0001');
    let a = (await t.s.status.site.snapshot()).announcements.find((x) => x.slug === opened.slug)!;
    expect(a).toMatchObject({
      title: { zh: '网上交易登录异常', en: 'Online trading login failures' },
      status: 'investigating',
      impact: 'major',
      startedAt: NOON - HOUR,
      resolvedAt: null,
      services: ['online-trading'], // back-office is not public
      cause: { zh: '<p>正在调查</p>', en: '<p>Under investigation</p>' },
      nextUpdateAt: NOON + HOUR,
      investigation: null,
      faq: [],
      factChecks: [],
    });
    expect(a.updates).toHaveLength(1);

    clock.t = NOON + HOUR;
    const updated = await publish({
      kind: 'status_update',
      body: { zh: '已定位', en: 'Identified' },
      fields: { status: 'identified' },
    });
    clock.t = NOON + 2 * HOUR;
    const resolved = await publish({
      kind: 'status_update',
      body: { zh: '已恢复', en: 'Resolved' },
      fields: { status: 'resolved', measures: { zh: '已封禁', en: 'Blocked' } },
    });
    clock.t = NOON + 48 * HOUR;
    const investigated = await publish({
      kind: 'investigation_result',
      body: { zh: '调查结论', en: 'Findings' },
      fields: {},
    });
    expect([updated.slug, resolved.slug, investigated.slug]).toEqual(['2026-0001', '2026-0001', '2026-0001']);
    a = (await t.s.status.site.snapshot()).announcements.find((x) => x.slug === opened.slug)!;
    expect(a).toMatchObject({
      status: 'resolved',
      resolvedAt: NOON + 2 * HOUR,
      nextUpdateAt: null,
      measures: { zh: '<p>已封禁</p>', en: '<p>Blocked</p>' },
      investigation: { body: { zh: '<p>调查结论</p>', en: '<p>Findings</p>' }, at: NOON + 48 * HOUR },
    });
    expect(a.updates.map((u) => [u.status, u.body.en])).toEqual([
      ['resolved', '<p>Resolved</p>'],
      ['identified', '<p>Identified</p>'],
      ['investigating', '<p>We are investigating.</p>'],
    ]);
    const published = await t.s.store.db
      .selectFrom('outbox')
      .select(['type', 'payload'])
      .where('type', '=', 'announcement.published')
      .orderBy('published_at')
      .execute();
    expect(published.map((e) => JSON.parse(e.payload).kind)).toEqual([
      'opened',
      'updated',
      'resolved',
      'investigation',
    ]);
    expect(JSON.parse(published[3]!.payload)).toEqual({ announcementId: a.id, updateId: null, kind: 'investigation' });
    expect(await countRows(t.s.store, 'outbox')).toBe(before + 4);
    expect(events.filter((e) => e.event === 'status.changed')).toHaveLength(4);

    // A new holding statement for the resolved incident opens a new announcement; another incident its own.
    clock.t = NOON + 72 * HOUR;
    const again = await publish({ kind: 'holding_statement' });
    const other = await publish({ kind: 'holding_statement', incidentId: otherIncidentId });
    expect([again.slug, other.slug]).toEqual(['2026-0002', '2026-0003']);
    const snap = await t.s.status.site.snapshot();
    // Unresolved first (newest first), then resolved.
    expect(snap.announcements.map((x) => x.slug)).toEqual(['2026-0003', '2026-0002', '2026-0001']);
  });

  it('publishes one statement once, and nothing when the statement transaction rolls back', async () => {
    const statementId = newId();
    const first = await publish({
      kind: 'status_update',
      incidentId: otherIncidentId,
      statementId,
      body: { zh: '一', en: 'one' },
    });
    const updates = await countRows(t.s.store, 'status_announcement_updates');
    const second = await publish({
      kind: 'status_update',
      incidentId: otherIncidentId,
      statementId,
      body: { zh: '二', en: 'two' },
    });
    expect(second).toEqual(first);
    expect(await countRows(t.s.store, 'status_announcement_updates')).toBe(updates);

    events.length = 0;
    const announcements = await countRows(t.s.store, 'status_announcements');
    const lone = (await buildIncident(t.s, { title: 'Never approved' })).id;
    await expect(
      t.s.store.transaction(async (tx) => {
        await publish({ kind: 'holding_statement', incidentId: lone, title: { zh: '未批准', en: 'Unapproved' } }, tx);
        throw new Error('the statement was not approved after all');
      }),
    ).rejects.toThrow('not approved');
    expect(await countRows(t.s.store, 'status_announcements')).toBe(announcements);
    const snap = await t.s.status.site.snapshot();
    expect(JSON.stringify(snap)).not.toContain('Unapproved');
    expect(events.filter((e) => e.event === 'status.changed')).toHaveLength(0);
  });

  it('renders every published text through the sanitizer: script and javascript: links never reach the site', async () => {
    const xss = await buildIncident(t.s, { title: 'XSS' });
    await publish({
      kind: 'holding_statement',
      incidentId: xss.id,
      title: { zh: '<img src=x onerror=alert(1)>', en: 'T' },
      body: { zh: '<script>alert(1)</script>', en: '[click](javascript:alert(1))' },
      fields: { cause: { zh: '<iframe src="https://evil.example"></iframe>', en: '"><svg onload=alert(1)>' } },
    });
    const a = (await t.s.status.site.snapshot()).announcements.find((x) => x.title.en === 'T')!;
    const html = JSON.stringify([a.updates, a.cause]);
    // No tag of theirs, no link to javascript:, no event handler attribute: what remains is escaped text.
    expect(html).not.toMatch(/<(script|iframe|svg|img)/i);
    expect(html).not.toMatch(/href=\\"javascript:/i);
    expect(html).not.toMatch(/<[^>]*\son\w+=/i);
    expect(a.cause.en).toBe('<p>"&gt;&lt;svg onload=alert(1)&gt;</p>');
    expect(a.updates[0]!.body.zh).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    // The title is plain text: kept as written, for the renderer to escape.
    expect(a.title.zh).toBe('<img src=x onerror=alert(1)>');
  });

  it('adds published fact checks and FAQ of the media module to their announcements and the site', async () => {
    const check = (id: string, at: number) => ({
      id,
      announcement: null,
      claim: { zh: '客户资金被盗', en: 'Customer funds were stolen' },
      verdict: 'false' as const,
      rebuttal: { zh: '<p>不实</p>', en: '<p>False</p>' },
      source: null,
      publishedAt: at,
      updatedAt: at,
    });
    const site = createStatusSite({
      store: t.s.store,
      clock,
      site: t.s.config.status,
      facts: {
        forIncidents: async (_db, incidentIds) => ({
          factChecks: new Map<string | null, FactCheck[]>([
            [null, [check('site-wide', NOON - 2 * HOUR)]],
            [incidentId, [check('on-incident', NOON - HOUR)]],
          ]),
          faq: new Map(
            incidentIds.map((id) => [
              id,
              [{ id: `faq-${id}`, question: { zh: '问', en: 'Q' }, answer: { zh: '答', en: 'A' }, position: 1 }],
            ]),
          ),
        }),
      },
    });
    const snap = await site.snapshot();
    const mine = snap.announcements.filter((a) => a.factChecks.length);
    expect(mine.map((a) => a.slug).sort()).toEqual(['2026-0001', '2026-0002']);
    expect(mine[0]!.factChecks[0]!.announcement).toBe(mine[0]!.slug);
    expect(snap.announcements.every((a) => a.faq.length === 1)).toBe(true);
    expect(snap.factChecks.map((f) => [f.id, f.announcement === null])).toEqual([
      ['on-incident', false],
      ['site-wide', true],
    ]);
  });

  it('builds the whole snapshot in its documented shape', async () => {
    const snap = await t.s.status.site.snapshot();
    expect(Object.keys(snap).sort()).toEqual(
      ['announcements', 'components', 'factChecks', 'generatedAt', 'groups', 'maintenances', 'overall', 'site'].sort(),
    );
    expect(snap.generatedAt).toBe(NOON);
    expect(snap.factChecks).toEqual([]);
    for (const c of snap.components) {
      expect(Object.keys(c).sort()).toEqual(
        ['description', 'group', 'key', 'name', 'position', 'since', 'source', 'state', 'uptime', 'uptimePct'].sort(),
      );
      expect(c.uptime).toHaveLength(90);
      expect(c.uptime.at(-1)!.day).toBe('2026-03-10');
    }
    const a = snap.announcements[0]!;
    expect(Object.keys(a).sort()).toEqual(
      [
        'id',
        'slug',
        'title',
        'status',
        'impact',
        'startedAt',
        'detectedAt',
        'resolvedAt',
        'cause',
        'measures',
        'customerAction',
        'services',
        'customerGroups',
        'regions',
        'nextUpdateAt',
        'updates',
        'investigation',
        'faq',
        'factChecks',
        'publishedAt',
        'updatedAt',
      ].sort(),
    );
  });
});
