/**
 * Atom, RSS 2.0 and JSON Feed 1.1 (the `feed` package), site-wide and per service: every announcement
 * update is an entry, and so are published investigation results. Links are absolute (snapshot's baseUrl).
 */
import { Feed } from 'feed';
import type { Announcement, StatusSnapshot } from '../shared/status-site.js';
import { messages, pick, type SiteLang } from './i18n.js';
import { safeJson } from './statuspage-api.js';

/** Entries per feed, newest first. */
const FEED_ENTRIES = 50;

export interface RenderedFeeds {
  atom: string;
  rss: string;
  json: string;
}

function entries(snap: StatusSnapshot, lang: SiteLang, announcements: Announcement[]) {
  const m = messages(lang);
  const base = snap.site.baseUrl;
  const items: { title: string; link: string; id: string; date: Date; content: string; published: Date }[] = [];
  for (const a of announcements) {
    const page = `${base}/incidents/${encodeURIComponent(a.slug)}?lang=${lang}`;
    const title = pick(a.title, lang);
    for (const u of a.updates)
      items.push({
        title: `${title} — ${m.status[u.status]}`,
        link: `${page}#update-${encodeURIComponent(u.id)}`,
        id: `${base}/incidents/${encodeURIComponent(a.slug)}#update-${encodeURIComponent(u.id)}`,
        date: new Date(u.at),
        published: new Date(u.at),
        content: pick(u.body, lang),
      });
    if (a.investigation)
      items.push({
        title: `${title} — ${m.investigation}`,
        link: `${page}#h-inv`,
        id: `${base}/incidents/${encodeURIComponent(a.slug)}#investigation`,
        date: new Date(a.investigation.at),
        published: new Date(a.investigation.at),
        content: pick(a.investigation.body, lang),
      });
  }
  return items.sort((x, y) => y.date.getTime() - x.date.getTime()).slice(0, FEED_ENTRIES);
}

const escapeHtml = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The feeds of the whole site (`service` undefined) or of one service. */
export function renderFeeds(snap: StatusSnapshot, lang: SiteLang, service?: string): RenderedFeeds {
  const m = messages(lang);
  const base = snap.site.baseUrl;
  const component = service ? snap.components.find((c) => c.key === service) : undefined;
  const siteName = pick(snap.site.name, lang);
  const name = component ? `${siteName} · ${pick(component.name, lang)}` : siteName;
  const path = component ? `/services/${encodeURIComponent(component.key)}` : '';
  const anns = component ? snap.announcements.filter((a) => a.services.includes(component.key)) : snap.announcements;
  const items = entries(snap, lang, anns);
  const options = {
    id: `${base}${path}/`,
    title: m.statusFeed(name),
    description: m.statusFeed(name),
    link: `${base}${path || '/'}?lang=${lang}`,
    language: lang,
    updated: new Date(items[0]?.date.getTime() ?? snap.generatedAt),
    generator: 'Tocsin',
    copyright: siteName,
    feedLinks: {
      atom: `${base}${path}/feed.atom?lang=${lang}`,
      rss: `${base}${path}/feed.rss?lang=${lang}`,
      json: `${base}${path}/feed.json?lang=${lang}`,
    },
  };
  // Atom says entry titles are HTML (`type="html"`, in CDATA) and readers render RSS titles as HTML too:
  // there the plain-text titles are escaped; JSON Feed titles are plain text. (Feed-level texts are XML-escaped by `feed`.)
  const xml = new Feed(options);
  for (const i of items) xml.addItem({ ...i, title: escapeHtml(i.title), description: i.content });
  const json = new Feed(options);
  for (const i of items) json.addItem({ ...i, description: i.content });
  // `feed` writes JSON Feed 1; 1.1 only adds fields (language) and renames one we do not use (author).
  const doc = {
    ...(JSON.parse(json.json1()) as Record<string, unknown>),
    version: 'https://jsonfeed.org/version/1.1',
    language: lang,
  };
  return { atom: xml.atom1(), rss: xml.rss2(), json: safeJson(doc) };
}
