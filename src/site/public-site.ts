/**
 * The public status site, rendered on change: on `status.changed` from the bus (every web process hears
 * it) and every 60 s (uptime bars move with time), never per request. A render builds a whole new set
 * of pages per mount prefix and swaps it in at once; requests keep reading the set they found.
 */
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import type { Bus } from '../server/platform/bus.js';
import type { StatusSnapshot } from '../shared/status-site.js';
import { renderBadge } from './badge.js';
import { renderBanner } from './banner.js';
import { headline } from './headline.js';
import { renderFeeds } from './feeds.js';
import { SITE_LANGS } from './i18n.js';
import { buildPageSet, type CompressionCache, type PageSet, type Source } from './page-set.js';
import { SITE_CSS } from './site-css.js';
import { renderApi, safeJson } from './statuspage-api.js';
import { htmlPages } from './views.js';

/** The read model's port (the status module's `StatusSite`). */
export interface SnapshotSource {
  snapshot(): Promise<StatusSnapshot>;
}

export interface PublicSiteDeps {
  site: SnapshotSource;
  bus?: Bus;
  /** Mount prefixes to render links for: '/status' (main listener), '' (TOCSIN_PUBLIC_PORT). */
  prefixes: string[];
  /** Re-render period (default 60 s). */
  refreshMs?: number;
  /** Whether the home page offers the email subscription form (false without a mail server). Default true. */
  emailSubscriptions?: boolean;
  onError?: (err: unknown) => void;
}

export interface PublicSite {
  /** The set for a prefix now; the first call waits for the first render. */
  current(prefix: string): PageSet | Promise<PageSet>;
  /** Asks for a render (coalesced: one runs at a time, and one more after it when asked meanwhile). */
  refresh(): Promise<void>;
  /** Resolves when no render is running or asked for (tests). */
  settled(): Promise<void>;
  /** Listens for `status.changed` and starts the periodic render. */
  start(): void;
  stop(): void;
}

/** Lets requests through once the render has held the event loop for a few milliseconds. */
function timeSlicer(sliceMs = 4): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < sliceMs) return;
    await yieldToRequests();
    since = performance.now();
  };
}

/** Every source of one prefix: pages, feeds, API, badge, banner and style sheet, in both languages. */
async function sourcesOf(snap: StatusSnapshot, prefix: string, emailSubscriptions: boolean): Promise<Source[]> {
  const out: Source[] = [];
  const slice = timeSlicer();
  for (const lang of SITE_LANGS) {
    for (const p of htmlPages(snap, lang, prefix, { emailSubscriptions })) {
      out.push({ lang, path: p.path, kind: 'html', body: p.render(), status: p.status });
      await slice();
    }
    const feeds = (base: string, f: ReturnType<typeof renderFeeds>) => {
      out.push({ lang, path: `${base}/feed.atom`, kind: 'atom', body: f.atom });
      out.push({ lang, path: `${base}/feed.rss`, kind: 'rss', body: f.rss });
      out.push({ lang, path: `${base}/feed.json`, kind: 'feedjson', body: f.json });
    };
    feeds('', renderFeeds(snap, lang));
    for (const c of snap.components) {
      await slice();
      feeds(`/services/${encodeURIComponent(c.key)}`, renderFeeds(snap, lang, c.key));
    }
    await slice();
    const api = renderApi(snap, lang);
    const json = (name: string, doc: unknown) =>
      out.push({ lang, path: `/api/v2/${name}`, kind: 'json', body: safeJson(doc) });
    json('summary.json', api.summary);
    json('status.json', api.status);
    json('components.json', api.components);
    json('incidents.json', api.incidents);
    json('incidents/unresolved.json', api.unresolved);
    json('scheduled-maintenances.json', api.maintenances);
    out.push({ lang, path: '/badge.svg', kind: 'svg', body: renderBadge(headline(snap), lang) });
    out.push({ lang, path: '/banner.js', kind: 'js', body: renderBanner(lang) });
    out.push({ lang, path: '/site.css', kind: 'css', body: SITE_CSS });
  }
  return out;
}

export function createPublicSite(deps: PublicSiteDeps): PublicSite {
  const sets = new Map<string, PageSet>();
  let first: Promise<void> | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let compressed: CompressionCache | undefined;
  let timer: NodeJS.Timeout | null = null;
  let unsubscribe: (() => void) | null = null;

  async function renderOnce(): Promise<void> {
    const snap = await deps.site.snapshot();
    const next = new Map<string, PageSet>();
    let cache = compressed;
    for (const prefix of deps.prefixes) {
      const set = await buildPageSet(await sourcesOf(snap, prefix, deps.emailSubscriptions ?? true), cache);
      cache = new Map([...(cache ?? []), ...set.compressed]);
      next.set(prefix, set);
    }
    // Only what the newest sets use is kept for the next render.
    compressed = new Map();
    for (const set of next.values()) for (const [k, v] of set.compressed) compressed.set(k, v);
    for (const [prefix, set] of next) sets.set(prefix, set);
  }

  function refresh(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          try {
            await renderOnce();
          } catch (err) {
            // The last good set stays served; the next change or tick tries again.
            deps.onError?.(err);
            if (sets.size === 0) throw err;
          }
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  }

  return {
    current(prefix) {
      const set = sets.get(prefix);
      if (set) return set;
      if (!deps.prefixes.includes(prefix)) throw new Error(`public site not rendered for prefix '${prefix}'`);
      first ??= refresh().finally(() => {
        first = null;
      });
      return first.then(() => sets.get(prefix)!);
    },
    refresh,
    async settled() {
      while (running) await running.catch(() => {});
    },
    start() {
      if (timer) return;
      if (deps.bus) {
        const sub = deps.bus.subscribe((event) => {
          // 'status.changed' joins the stream's events with the status module (issue 11).
          if ((event.event as string) === 'status.changed') void refresh().catch(() => {});
        });
        unsubscribe = () => sub.close();
      }
      timer = setInterval(() => void refresh().catch(() => {}), deps.refreshMs ?? 60_000);
      timer.unref();
      void refresh().catch(() => {});
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
      unsubscribe?.();
      unsubscribe = null;
    },
  };
}
