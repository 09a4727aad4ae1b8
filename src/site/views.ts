/** The public HTML pages of one snapshot, in one language, for one mount prefix (`/status` or ``). */
import { Eta } from 'eta';
import type {
  Announcement,
  FactCheck,
  Maintenance,
  PublicComponent,
  StatusSnapshot,
  UptimeDay,
} from '../shared/status-site.js';
import { formatPct, formatTime, isoTime } from './format.js';
import { headline, headlineText } from './headline.js';
import { messages, pick, type Messages, type SiteLang } from './i18n.js';
import { TEMPLATES } from './templates.js';

const eta = new Eta({ autoEscape: true, autoTrim: false, cache: true });
for (const [name, source] of Object.entries(TEMPLATES)) eta.loadTemplate(name, source);

/** Announcements per history page. */
export const HISTORY_PAGE_SIZE = 20;

interface Ctx {
  snap: StatusSnapshot;
  lang: SiteLang;
  m: Messages;
  prefix: string;
  serviceNames: Map<string, string>;
}

/** Path (relative to the mount) with the language, so a visitor keeps the language they chose. */
function link(ctx: Ctx, path: string, lang: SiteLang = ctx.lang): string {
  const base = ctx.prefix + (path === '/' && ctx.prefix ? '' : path);
  return `${base}${base.includes('?') ? '&' : '?'}lang=${lang}`;
}

function helpers(ctx: Ctx, path: string) {
  const other: SiteLang = ctx.lang === 'en' ? 'zh-CN' : 'en';
  const siteName = pick(ctx.snap.site.name, ctx.lang);
  return {
    lang: ctx.lang,
    other,
    m: ctx.m,
    siteName,
    timeZone: ctx.snap.site.timeZone,
    generatedAt: ctx.snap.generatedAt,
    switchHref: link(ctx, path, other),
    href: (p: string) => link(ctx, p),
    asset: (p: string) => ctx.prefix + p,
    time: (ms: number) => formatTime(ms, ctx.snap.site.timeZone),
    iso: isoTime,
    /** The feeds a page announces: site-wide, or a service's (`/services/<key>`). */
    feeds: (base: string) => [
      { type: 'application/atom+xml', label: 'Atom', href: link(ctx, `${base}/feed.atom`), title: `${siteName} Atom` },
      { type: 'application/rss+xml', label: 'RSS', href: link(ctx, `${base}/feed.rss`), title: `${siteName} RSS` },
      {
        type: 'application/feed+json',
        label: 'JSON Feed',
        href: link(ctx, `${base}/feed.json`),
        title: `${siteName} JSON Feed`,
      },
    ],
  };
}

function bars(ctx: Ctx, days: UptimeDay[]) {
  return days.map((d) => ({
    cls: d.worst ?? 'none',
    title: `${d.day} ${d.worst ? ctx.m.state[d.worst] : ctx.m.noData}${d.upPct === null ? '' : ` ${formatPct(d.upPct)}`}`,
  }));
}

function componentView(ctx: Ctx, c: PublicComponent) {
  return {
    name: pick(c.name, ctx.lang),
    description: pick(c.description, ctx.lang),
    href: link(ctx, `/services/${encodeURIComponent(c.key)}`),
    state: c.state,
    stateLabel: ctx.m.state[c.state],
    since: c.since,
    days: bars(ctx, c.uptime),
    uptimeLabel: c.uptimePct === null ? ctx.m.noData : ctx.m.uptime(formatPct(c.uptimePct)),
  };
}

function names(ctx: Ctx, keys: string[]): string {
  return keys.map((k) => ctx.serviceNames.get(k) ?? k).join(ctx.lang === 'en' ? ', ' : '、');
}

function timeText(ctx: Ctx, ms: number | null, missing: string): string {
  return ms === null ? missing : formatTime(ms, ctx.snap.site.timeZone);
}

function factRows(ctx: Ctx, a: Announcement) {
  const m = ctx.m;
  const first = a.updates[a.updates.length - 1];
  const sep = ctx.lang === 'en' ? ', ' : '、';
  const scope = [
    a.services.length ? `${m.services}${m.colon}${names(ctx, a.services)}` : '',
    a.customerGroups.length
      ? `${m.customerGroups}${m.colon}${a.customerGroups.map((g) => pick(g, ctx.lang)).join(sep)}`
      : '',
    a.regions.length ? `${m.regions}${m.colon}${a.regions.map((g) => pick(g, ctx.lang)).join(sep)}` : '',
  ].filter(Boolean);
  const rich = (label: string, html: string) => (html ? { label, html } : { label, text: m.unknown });
  const optional = (label: string, html: string) => (html ? [{ label, html }] : []);
  return [
    ...(first ? [{ label: m.whatHappened, html: pick(first.body, ctx.lang) }] : []),
    { label: m.started, text: timeText(ctx, a.startedAt, m.unknown) },
    { label: m.detected, text: timeText(ctx, a.detectedAt, m.unknown) },
    { label: m.resolved, text: timeText(ctx, a.resolvedAt, m.notYet) },
    rich(m.cause, pick(a.cause, ctx.lang)),
    { label: m.scope, text: scope.length ? scope.join(ctx.lang === 'en' ? '; ' : '；') : m.unknown },
    // Measures and advice say nothing when empty ("not yet known" would read as if nothing was done).
    ...optional(m.measures, pick(a.measures, ctx.lang)),
    ...optional(m.customerAction, pick(a.customerAction, ctx.lang)),
    ...(a.nextUpdateAt !== null && a.status !== 'resolved'
      ? [{ label: m.nextUpdate, text: formatTime(a.nextUpdateAt, ctx.snap.site.timeZone) }]
      : []),
  ];
}

function factCheckView(ctx: Ctx, f: FactCheck) {
  const ann = f.announcement ? ctx.snap.announcements.find((a) => a.slug === f.announcement) : undefined;
  return {
    id: f.id,
    verdict: f.verdict,
    verdictLabel: ctx.m.verdict[f.verdict],
    claim: pick(f.claim, ctx.lang),
    rebuttal: pick(f.rebuttal, ctx.lang),
    source: f.source,
    at: f.updatedAt,
    annHref: ann ? link(ctx, `/incidents/${encodeURIComponent(ann.slug)}`) : null,
    annTitle: ann ? pick(ann.title, ctx.lang) : null,
  };
}

function announcementView(ctx: Ctx, a: Announcement) {
  // The first update is "what happened" already: the card shows the latest only when there is a later one.
  const latest = a.updates.length > 1 ? a.updates[0] : undefined;
  return {
    title: pick(a.title, ctx.lang),
    href: link(ctx, `/incidents/${encodeURIComponent(a.slug)}`),
    status: a.status,
    statusLabel: ctx.m.status[a.status],
    impact: a.impact,
    impactLabel: ctx.m.impact[a.impact],
    facts: factRows(ctx, a),
    latest: latest
      ? {
          status: latest.status,
          statusLabel: ctx.m.status[latest.status],
          at: latest.at,
          body: pick(latest.body, ctx.lang),
        }
      : null,
    updates: a.updates.map((u) => ({
      id: u.id,
      status: u.status,
      statusLabel: ctx.m.status[u.status],
      at: u.at,
      body: pick(u.body, ctx.lang),
    })),
    investigation: a.investigation ? { at: a.investigation.at, body: pick(a.investigation.body, ctx.lang) } : null,
    faq: [...a.faq]
      .sort((x, y) => x.position - y.position)
      .map((q) => ({ question: pick(q.question, ctx.lang), answer: pick(q.answer, ctx.lang) })),
    factChecks: a.factChecks.map((f) => factCheckView(ctx, f)),
  };
}

function maintenanceView(ctx: Ctx, x: Maintenance) {
  return {
    title: pick(x.title, ctx.lang),
    href: link(ctx, `/maintenance/${encodeURIComponent(x.id)}`),
    state: x.state,
    stateLabel: ctx.m.maintenanceState[x.state],
    startsAt: x.startsAt,
    endsAt: x.endsAt,
    services: names(ctx, x.services),
    body: pick(x.body, ctx.lang),
  };
}

function sections(ctx: Ctx) {
  const byPos = <T extends { position: number }>(xs: T[]) => [...xs].sort((a, b) => a.position - b.position);
  const groups = byPos(ctx.snap.groups).map((g) => ({
    name: pick(g.name, ctx.lang),
    components: byPos(ctx.snap.components.filter((c) => c.group === g.key)).map((c) => componentView(ctx, c)),
  }));
  const known = new Set(ctx.snap.groups.map((g) => g.key));
  const loose = byPos(ctx.snap.components.filter((c) => c.group === null || !known.has(c.group)));
  if (loose.length)
    groups.push({
      name: groups.length ? ctx.m.otherServices : '',
      components: loose.map((c) => componentView(ctx, c)),
    });
  return groups.filter((g) => g.components.length > 0);
}

function title(ctx: Ctx, what?: string): string {
  const site = `${pick(ctx.snap.site.name, ctx.lang)} ${ctx.m.statusPage}`;
  return what ? `${what} · ${site}` : site;
}

/** One page to render: its path relative to the mount (with `?page=` for history pages) and its HTML on demand. */
export interface PageToRender {
  path: string;
  status: number;
  /** Rendered one at a time, so requests are served in between. */
  render(): string;
}

/** Every HTML page of the snapshot in this language for this mount prefix. */
export function htmlPages(
  snap: StatusSnapshot,
  lang: SiteLang,
  prefix: string,
  opts: { emailSubscriptions: boolean } = { emailSubscriptions: true },
): PageToRender[] {
  const m = messages(lang);
  const serviceNames = new Map(snap.components.map((c) => [c.key, pick(c.name, lang)]));
  const ctx: Ctx = { snap, lang, m, prefix, serviceNames };
  const out: PageToRender[] = [];
  const page = (path: string, template: string, data: Record<string, unknown>, status = 200) =>
    out.push({ path, status, render: () => eta.render(template, { h: helpers(ctx, path), ...data }) });

  const head = headline(snap);
  page('/', '@home', {
    title: title(ctx),
    overall: head.key,
    indicator: head.indicator,
    overallLabel: headlineText(head, m),
    active: snap.announcements.filter((a) => a.status !== 'resolved').map((a) => announcementView(ctx, a)),
    maintenances: snap.maintenances.filter((x) => x.state !== 'completed').map((x) => maintenanceView(ctx, x)),
    factChecks: snap.factChecks.map((f) => factCheckView(ctx, f)),
    sections: sections(ctx),
    emailSubscriptions: opts.emailSubscriptions,
    subServices: [...snap.components]
      .sort((a, b) => a.position - b.position)
      .map((c) => ({ key: c.key, name: pick(c.name, lang) })),
  });
  for (const a of snap.announcements)
    page(`/incidents/${encodeURIComponent(a.slug)}`, '@announcement', {
      title: title(ctx, pick(a.title, lang)),
      a: announcementView(ctx, a),
    });
  const history = [...snap.announcements].sort(
    (x, y) => (y.startedAt ?? y.publishedAt) - (x.startedAt ?? x.publishedAt),
  );
  const pages = Math.max(1, Math.ceil(history.length / HISTORY_PAGE_SIZE));
  for (let n = 1; n <= pages; n++) {
    const path = n === 1 ? '/history' : `/history?page=${n}`;
    page(path, '@history', {
      title: title(ctx, m.history),
      items: history.slice((n - 1) * HISTORY_PAGE_SIZE, n * HISTORY_PAGE_SIZE).map((a) => ({
        title: pick(a.title, lang),
        href: link(ctx, `/incidents/${encodeURIComponent(a.slug)}`),
        status: a.status,
        statusLabel: m.status[a.status],
        at: a.startedAt ?? a.publishedAt,
        services: names(ctx, a.services),
      })),
      newer: n > 1 ? link(ctx, n === 2 ? '/history' : `/history?page=${n - 1}`) : null,
      older: n < pages ? link(ctx, `/history?page=${n + 1}`) : null,
      pageLabel: m.page(n, pages),
    });
  }
  for (const c of snap.components) {
    const key = `/services/${encodeURIComponent(c.key)}`;
    page(key, '@service', {
      title: title(ctx, pick(c.name, lang)),
      feedBase: key,
      c: componentView(ctx, c),
      items: snap.announcements.filter((a) => a.services.includes(c.key)).map((a) => announcementView(ctx, a)),
      maintenances: snap.maintenances.filter((x) => x.services.includes(c.key)).map((x) => maintenanceView(ctx, x)),
    });
  }
  for (const x of snap.maintenances)
    page(`/maintenance/${encodeURIComponent(x.id)}`, '@maintenance', {
      title: title(ctx, pick(x.title, lang)),
      x: maintenanceView(ctx, x),
    });
  page('/404', '@notFound', { title: title(ctx, m.notFound) }, 404);
  return out;
}
