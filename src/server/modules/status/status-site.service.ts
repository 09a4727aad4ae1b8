/**
 * The public read model (`StatusSnapshot`, src/shared/status-site.ts) built in a few queries: called on
 * every change and every minute by the site's renderer. Only what is public is read: the services marked
 * public, maintenance, and announcements (which only publishing an approved statement writes).
 */
import type {
  Announcement,
  ComponentGroup,
  FactCheck,
  FaqEntry,
  PublicComponent,
  StatusSnapshot,
} from '../../../shared/status-site.js';
import { worstState } from '../../../shared/status-site.js';
import type { Store } from '../../platform/db/connect.js';
import type { PublicFacts } from '../media/index.js';
import type { Clock } from '../../platform/ids.js';
import { announcementsForSite, updatesOf } from './announcement.repository.js';
import { historyOf, liveState, maintenancesByService } from './component-state.js';
import { publicFacts, toPublicMaintenance, toPublicUpdate } from './status.mapper.js';
import {
  listComponents,
  listGroups,
  maintenancesEndingSince,
  overridesSince,
  serviceHealthChanges,
} from './status.repository.js';
import { dayWindows, uptimeBars } from './uptime.js';

const DAY = 86_400_000;

export interface StatusSite {
  /** The whole public read model now (src/shared/status-site.ts). */
  snapshot(): Promise<StatusSnapshot>;
}

export interface SiteSettings {
  name: { zh: string; en: string };
  baseUrl: string;
  timeZone: string;
}

export function createStatusSite(deps: {
  store: Store;
  clock: Clock;
  site: SiteSettings;
  facts?: PublicFacts;
}): StatusSite {
  const { store, clock, site, facts } = deps;
  return {
    async snapshot() {
      const now = clock.now();
      const db = store.db;
      const windows = dayWindows(now, site.timeZone);
      const from = windows[0]!.start;
      const [groupRows, rows, overrides, maintenanceRows, announcementRows] = await Promise.all([
        listGroups(db),
        listComponents(db, true),
        overridesSince(db, from),
        maintenancesEndingSince(db, Math.min(from, now - 7 * DAY)),
        announcementsForSite(db, now - 90 * DAY),
      ]);
      const [changes, updates, published] = await Promise.all([
        serviceHealthChanges(
          db,
          rows.map((r) => r.service_id),
          from,
        ),
        updatesOf(
          db,
          announcementRows.map((a) => a.id),
        ),
        facts
          ? facts.forIncidents(db, [...new Set(announcementRows.map((a) => a.incident_id))])
          : { factChecks: new Map<string | null, FactCheck[]>(), faq: new Map<string, FaqEntry[]>() },
      ]);

      const shown = new Set(rows.map((r) => r.key));
      const maintenanceOf = maintenancesByService(maintenanceRows);
      const overridesOf = groupBy(overrides, (o) => o.service_id);
      const changesOf = groupBy(changes, (c) => c.service_id);
      const updatesByAnnouncement = groupBy(updates, (u) => u.announcement_id);
      const components: PublicComponent[] = rows.map((r) => {
        const mine = overridesOf.get(r.service_id) ?? [];
        const live = liveState(
          r,
          mine.find((o) => o.ended_at === null),
          maintenanceOf.get(r.key) ?? [],
          now,
        );
        const bars = uptimeBars(
          historyOf(r, changesOf.get(r.service_id) ?? [], mine, maintenanceOf.get(r.key) ?? []),
          windows,
          now,
        );
        return {
          key: r.key,
          name: { zh: r.name_zh, en: r.name_en },
          description: { zh: r.description_zh ?? '', en: r.description_en ?? '' },
          group: r.group_key,
          ...live,
          uptime: bars.days,
          uptimePct: bars.pct,
          position: Number(r.position ?? 0),
        };
      });

      const groups: ComponentGroup[] = groupRows.map((g) => ({
        key: g.key,
        name: { zh: g.name_zh, en: g.name_en },
        position: Number(g.position),
      }));
      // In page order: by group (ungrouped last), then by position within it (the query's order breaks ties).
      const groupOrder = new Map(groups.map((g, i) => [g.key, i]));
      const rank = (c: PublicComponent) =>
        c.group === null ? groups.length : (groupOrder.get(c.group) ?? groups.length);
      components.sort((x, y) => rank(x) - rank(y) || x.position - y.position);

      const factChecks: FactCheck[] = [...(published.factChecks.get(null) ?? [])].map((f) => ({
        ...f,
        announcement: null,
      }));
      const announcements: Announcement[] = announcementRows.map((a) => {
        const own = (published.factChecks.get(a.incident_id) ?? []).map((f) => ({ ...f, announcement: a.slug }));
        factChecks.push(...own);
        return {
          ...publicFacts(a, shown),
          updates: (updatesByAnnouncement.get(a.id) ?? [])
            .filter((u) => u.kind !== 'investigation')
            .map(toPublicUpdate),
          faq: published.faq.get(a.incident_id) ?? [],
          factChecks: own,
        };
      });
      // Unresolved first, then resolved; newest first within each (the query's order, kept by a stable sort).
      announcements.sort((x, y) => Number(x.status === 'resolved') - Number(y.status === 'resolved'));

      const maintenances = maintenanceRows
        .filter((m) => Number(m.ends_at) >= now - 7 * DAY)
        .map((m) => toPublicMaintenance(m, now, shown));

      return {
        generatedAt: now,
        site: { name: site.name, baseUrl: site.baseUrl, timeZone: site.timeZone },
        overall: worstState(components.map((c) => c.state)),
        groups,
        components,
        announcements,
        maintenances,
        factChecks: dedupe(factChecks).sort((x, y) => y.publishedAt - x.publishedAt),
      };
    },
  };
}

/** The items by key, in their order. */
function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(key(item));
    if (list) list.push(item);
    else out.set(key(item), [item]);
  }
  return out;
}

/** One entry per fact check (an incident with two announcements names its checks on both). */
function dedupe(list: FactCheck[]): FactCheck[] {
  const seen = new Set<string>();
  return list.filter((f) => !seen.has(f.id) && seen.add(f.id));
}
