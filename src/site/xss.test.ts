/**
 * Classic XSS payloads in every string field of a snapshot (rich fields through the one Markdown
 * renderer, as the status module stores them) never become markup that runs: no script element, no
 * event-handler attribute, no javascript: link, in the HTML pages, the feeds, the JSON API and the badge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMarkdown } from '../server/platform/markdown.js';
import type { StatusSnapshot } from '../shared/status-site.js';
import { siteHarness, type SiteHarness } from '../../test/helpers/public-site.js';
import { statusSnapshot } from '../../test/helpers/status-snapshot.js';

const PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg/onload=alert(1)>",
  '</title><script>alert(1)</script>',
  ']]><script>alert(1)</script>',
  '<a href="javascript:alert(1)">click</a>',
  '[click](javascript:alert(1))',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<style>body{background:url(javascript:alert(1))}</style>',
  '{{constructor.constructor("alert(1)")()}}',
];
/** Keys whose values are not text the public types (enums, days, the configured base URL and time zone). */
const SKIP = new Set([
  'day',
  'worst',
  'state',
  'status',
  'impact',
  'verdict',
  'overall',
  'source_',
  'baseUrl',
  'timeZone',
]);
/** Sanitized-HTML fields: the status module stores the Markdown renderer's output there. */
const RICH = new Set(['body', 'answer', 'rebuttal', 'cause', 'measures', 'customerAction']);

function poison(snap: StatusSnapshot): StatusSnapshot {
  let n = 0;
  const walk = (v: unknown, key: string, rich: boolean): unknown => {
    if (typeof v === 'string') {
      if (SKIP.has(key)) return v;
      const p = `${PAYLOADS[n++ % PAYLOADS.length]}${n}`;
      return rich ? renderMarkdown(p) : p;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, key, rich));
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k, rich || RICH.has(k))]));
    return v;
  };
  return walk(snap, '', false) as StatusSnapshot;
}

/**
 * Markup that would run: a script, frame or style element, or a tag with an on* attribute or a
 * javascript: URL. Escaped text (`&lt;iframe src="javascript:…"&gt;`) is no tag and may say anything.
 */
function assertInert(text: string, where: string): void {
  expect(text, where).not.toMatch(/<(script|iframe|object|embed|style|base|meta http-equiv)/i);
  for (const [tag] of text.matchAll(/<[a-z][^>]*>/gi))
    for (const [, name = '', value = ''] of tag.matchAll(/\s([a-z][a-z:-]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/gi)) {
      expect(name, `${where}: ${tag}`).not.toMatch(/^on/i);
      if (/^(href|src|action|formaction|xlink:href)$/i.test(name))
        expect(value.replace(/^["']/, '').trim(), `${where}: ${tag}`).not.toMatch(/^javascript:/i);
    }
}

let h: SiteHarness;
let snap: StatusSnapshot;
beforeAll(async () => {
  snap = poison(statusSnapshot());
  h = await siteHarness('/status', snap);
});
afterAll(() => h.close());

describe('hostile text on the public site', () => {
  it('the fixture really carries the payloads', () => {
    expect(snap.announcements[0]!.title.zh).toContain('<');
    expect(snap.components.map((c) => c.key).join()).toContain('<');
  });

  it('never executes in the HTML pages, feeds, JSON API or badge, in either language', async () => {
    const urls = [
      '/status',
      '/status/history',
      ...snap.announcements.map((a) => `/status/incidents/${encodeURIComponent(a.slug)}`),
      ...snap.components.map((c) => `/status/services/${encodeURIComponent(c.key)}`),
      ...snap.maintenances.map((x) => `/status/maintenance/${encodeURIComponent(x.id)}`),
      '/status/feed.atom',
      '/status/feed.rss',
      '/status/feed.json',
      ...snap.components.flatMap((c) =>
        ['atom', 'rss', 'json'].map((f) => `/status/services/${encodeURIComponent(c.key)}/feed.${f}`),
      ),
      '/status/api/v2/summary.json',
      '/status/api/v2/incidents.json',
      '/status/api/v2/components.json',
      '/status/api/v2/scheduled-maintenances.json',
      '/status/badge.svg',
    ];
    let pages = 0;
    for (const lang of ['zh-CN', 'en'])
      for (const url of urls) {
        const res = await h.app.inject({ method: 'GET', url: `${url}?lang=${lang}` });
        expect(res.statusCode, url).toBe(200);
        assertInert(res.body, `${url} (${lang})`);
        pages++;
      }
    expect(pages).toBe(urls.length * 2);
    // The text is shown (escaped), not dropped.
    const home = await h.app.inject({ method: 'GET', url: '/status?lang=en' });
    expect(home.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('the JSON API keeps the text exactly, with < > & escaped for any page that embeds it', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/status/api/v2/incidents.json?lang=zh-CN' });
    expect(res.body).toContain('\\u003c');
    expect(res.json().incidents[0].name).toBe(snap.announcements[0]!.title.zh);
  });
});
