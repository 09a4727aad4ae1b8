/** The feeds parse with a real feed parser and carry every announcement update with its link and date. */
import { extractFromJson, extractFromXml } from '@extractus/feed-extractor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteHarness, type SiteHarness } from '../../test/helpers/public-site.js';

let h: SiteHarness;
beforeAll(async () => {
  h = await siteHarness();
});
afterAll(() => h.close());

const body = async (url: string) => {
  const res = await h.app.inject({ method: 'GET', url });
  expect(res.statusCode, url).toBe(200);
  return res;
};

describe('feeds', () => {
  it('Atom, RSS 2.0 and JSON Feed 1.1 of the whole site list every update, newest first', async () => {
    const atom = await body('/status/feed.atom?lang=en');
    expect(atom.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const rss = await body('/status/feed.rss?lang=en');
    expect(rss.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    const json = await body('/status/feed.json?lang=en');
    expect(json.headers['content-type']).toBe('application/feed+json; charset=utf-8');
    expect(json.json().version).toBe('https://jsonfeed.org/version/1.1');
    const parsed = [
      extractFromXml(atom.body, { useISODateFormat: true }),
      extractFromXml(rss.body, { useISODateFormat: true }),
      extractFromJson(json.body, { useISODateFormat: true }),
    ];
    for (const feed of parsed) {
      expect(feed.title).toBe('Example Securities service status');
      const entries = feed.entries ?? [];
      // Two updates of the open announcement, two of the resolved one and its investigation results.
      expect(entries).toHaveLength(5);
      expect(entries[0]).toMatchObject({
        title: 'Slow sign-in to the mobile trading app for some customers — Identified',
        // The parser drops the fragment (`#update-u2`) when it normalizes links.
        link: 'https://status.example.com/incidents/2026-0007?lang=en',
        published: '2026-12-03T05:00:00.000Z',
      });
      expect(entries.map((e) => e.title)).toContain('Delayed market data — Investigation results');
      const dates = entries.map((e) => Date.parse(e.published!));
      expect([...dates].sort((a, b) => b - a)).toEqual(dates);
    }
  });

  it('a service has its own feeds, in Chinese by default', async () => {
    const atom = extractFromXml((await body('/status/services/market-data/feed.atom')).body);
    expect(atom.title).toBe('示例证券 · 行情数据 服务状态');
    expect(atom.entries?.map((e) => e.title)).toEqual([
      '行情数据延迟 — 调查结果',
      '行情数据延迟 — 已恢复',
      '行情数据延迟 — 调查中',
    ]);
    const json = extractFromJson((await body('/status/services/mobile-app/feed.json')).body);
    expect(json.entries?.[0]?.link).toBe('https://status.example.com/incidents/2026-0007?lang=zh-CN');
    const rss = extractFromXml((await body('/status/services/research/feed.rss?lang=en')).body);
    expect(rss.entries ?? []).toHaveLength(0);
  });
});
