/** `tocsin demo` leaves a lived-in public status site: grouped services, past announcements, a maintenance. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { StatusSnapshot } from '../../shared/status-site.js';
import { wire } from '../compose.js';
import { loadDemo, settableClock, type DemoResult } from './demo.js';

describe('the demo status site', () => {
  let t: TestApp;
  let demo: DemoResult;
  let snap: StatusSnapshot;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    const clock = settableClock();
    const s = wire(t.s.store, t.s.config, { clock, bus: t.s.bus });
    demo = await loadDemo(s, clock);
    snap = await s.status.site.snapshot();
  }, 60_000);
  afterAll(() => t.close());

  it('shows the customer-facing services in two groups, not the back office', () => {
    expect(snap.groups.map((g) => g.name.en)).toEqual(['Trading', 'Accounts and funds']);
    expect(snap.components.map((c) => [c.group, c.key])).toEqual([
      ['trading', 'online-trading'],
      ['trading', 'mobile-app'],
      ['trading', 'market-data'],
      ['accounts', 'bank-transfer'],
      ['accounts', 'account-opening'],
    ]);
    expect(demo.status.components).toBe(5);
  });

  it('has two resolved past announcements with updates and investigation results, in both languages', () => {
    expect(snap.announcements).toHaveLength(2);
    expect(snap.announcements.map((a) => a.slug)).toEqual([...demo.status.announcements].reverse());
    const [stuffing, quotes] = snap.announcements as [
      StatusSnapshot['announcements'][0],
      StatusSnapshot['announcements'][0],
    ];
    expect(stuffing.title).toEqual({ zh: '网上交易登录异常', en: 'Unusual sign-in activity on online trading' });
    expect(stuffing).toMatchObject({
      status: 'resolved',
      impact: 'major',
      services: ['online-trading', 'bank-transfer'],
    });
    expect(stuffing.updates.map((u) => u.status)).toEqual(['resolved', 'monitoring', 'identified', 'investigating']);
    expect(stuffing.investigation?.body.en).toContain('our systems were not breached');
    expect(quotes.cause.zh).toContain('主行情供应商');
    expect(quotes.investigation?.body.zh).toContain('<p>');
    for (const a of snap.announcements) {
      expect(a.resolvedAt).not.toBeNull();
      expect(a.publishedAt).toBeLessThan(Date.now() - 7 * 86_400_000);
      expect(a.investigation!.at).toBeGreaterThan(a.resolvedAt!);
    }
  });

  it('has one completed maintenance', () => {
    expect(snap.maintenances).toEqual([
      expect.objectContaining({ state: 'completed', services: ['bank-transfer', 'mobile-app'] }),
    ]);
    expect(snap.maintenances[0]!.endsAt - snap.maintenances[0]!.startsAt).toBe(2 * 3_600_000);
  });
});
