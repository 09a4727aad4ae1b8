/** The headline of the page, badge and Statuspage status: never "all operational" above an incident notice. */
import { describe, expect, it } from 'vitest';
import type { StatusSnapshot } from '../shared/status-site.js';
import { statusSnapshot } from '../../test/helpers/status-snapshot.js';
import { renderBadge } from './badge.js';
import { headline } from './headline.js';
import { renderApi } from './statuspage-api.js';
import { htmlPages } from './views.js';

/** Every service operational; the fixture's active announcement (impact minor) made `impact`. */
function calm(impact: 'minor' | 'major' | 'critical' | null): StatusSnapshot {
  const snap = statusSnapshot();
  snap.overall = 'operational';
  for (const c of snap.components) c.state = 'operational';
  snap.announcements = snap.announcements.filter((a) => impact !== null || a.status === 'resolved');
  for (const a of snap.announcements) if (a.status !== 'resolved' && impact) a.impact = impact;
  return snap;
}
const home = (snap: StatusSnapshot, lang: 'en' | 'zh-CN') =>
  htmlPages(snap, lang, '/status')
    .find((p) => p.path === '/')!
    .render();

describe('headline', () => {
  it('says all operational only when no incident is announced', () => {
    const snap = calm(null);
    expect(headline(snap)).toEqual({ key: 'operational', indicator: 'none' });
    expect(home(snap, 'en')).toContain('All systems operational');
    expect((renderApi(snap, 'en').status as { status: unknown }).status).toEqual({
      indicator: 'none',
      description: 'All systems operational',
    });
  });

  it('an announced incident over operational services heads the page, the badge and the API by its impact', () => {
    const snap = calm('major');
    expect(headline(snap)).toEqual({ key: 'incident', indicator: 'major' });
    const en = home(snap, 'en');
    expect(en).not.toContain('All systems operational');
    expect(en).toContain('class="overall s-incident i-major"');
    expect(en).toContain('Incident in progress — see the notice below');
    expect(home(snap, 'zh-CN')).toContain('事件处理中，详见下方公告');
    expect(renderBadge(headline(snap), 'en')).toContain('status: incident in progress');
    expect((renderApi(snap, 'zh-CN').status as { status: unknown }).status).toEqual({
      indicator: 'major',
      description: '事件处理中，详见下方公告',
    });
  });

  it('a worse service state keeps its own words, with the worse of the two indicators', () => {
    const snap = calm('critical');
    snap.overall = 'degraded';
    expect(headline(snap)).toEqual({ key: 'degraded', indicator: 'critical' });
    expect(home(snap, 'en')).toContain('Degraded performance');
  });

  it('the home card does not repeat the first update under "what happened"', () => {
    const snap = calm('minor');
    const a = snap.announcements.find((x) => x.status !== 'resolved')!;
    a.updates = a.updates.slice(-1);
    const en = home(snap, 'en');
    const firstText = a.updates[0]!.body.en.replace(/<[^>]+>/g, '').slice(0, 30);
    expect(en.split(firstText).length - 1).toBe(1);
  });
});
