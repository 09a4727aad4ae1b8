/**
 * A read-only JSON API in the shapes of Atlassian Statuspage's public API v2 (summary, status,
 * components, incidents, unresolved incidents, scheduled maintenances), so widgets and monitors written
 * for Statuspage work against Tocsin. Names and bodies are in the request's language.
 */
import type {
  Announcement,
  ComponentState,
  Maintenance,
  PublicComponent,
  StatusSnapshot,
} from '../shared/status-site.js';
import { worstState } from '../shared/status-site.js';
import { headline, headlineText } from './headline.js';
import { htmlToText } from './html-text.js';
import { messages, pick, type SiteLang } from './i18n.js';

const COMPONENT_STATUS: Record<ComponentState, string> = {
  operational: 'operational',
  maintenance: 'under_maintenance',
  degraded: 'degraded_performance',
  partial_outage: 'partial_outage',
  major_outage: 'major_outage',
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
// The bodies are sanitized HTML; the API carries plain text, as Statuspage's does.
const text = htmlToText;

export type ApiDocuments = Record<
  'summary' | 'status' | 'components' | 'incidents' | 'unresolved' | 'maintenances',
  unknown
>;

/** Every JSON document of the API for this snapshot and language. */
export function renderApi(snap: StatusSnapshot, lang: SiteLang): ApiDocuments {
  const m = messages(lang);
  const pageId = 'tocsin';
  const page = {
    id: pageId,
    name: pick(snap.site.name, lang),
    url: snap.site.baseUrl,
    time_zone: snap.site.timeZone,
    updated_at: iso(lastChange(snap)),
  };
  const head = headline(snap);
  const status = {
    indicator: head.indicator,
    description: headlineText(head, m),
  };
  const groupIds = new Set(snap.groups.map((g) => g.key));
  const component = (c: PublicComponent) => ({
    id: c.key,
    name: pick(c.name, lang),
    status: COMPONENT_STATUS[c.state],
    created_at: iso(
      c.uptime.find((d) => d.worst !== null) ? Date.parse(c.uptime.find((d) => d.worst !== null)!.day) : c.since,
    ),
    updated_at: iso(c.since),
    position: c.position,
    description: pick(c.description, lang) || null,
    showcase: true,
    start_date: c.uptime.find((d) => d.worst !== null)?.day ?? null,
    group_id: c.group && groupIds.has(c.group) ? `group:${c.group}` : null,
    page_id: pageId,
    group: false,
    only_show_if_degraded: false,
  });
  const components = [
    ...snap.groups.map((g) => {
      const members = snap.components.filter((c) => c.group === g.key);
      const worst = worstState(members.map((c) => c.state));
      return {
        id: `group:${g.key}`,
        name: pick(g.name, lang),
        status: COMPONENT_STATUS[worst],
        created_at: null,
        updated_at: iso(members.reduce((t, c) => Math.max(t, c.since), 0) || null),
        position: g.position,
        description: null,
        showcase: false,
        start_date: null,
        group_id: null,
        page_id: pageId,
        group: true,
        only_show_if_degraded: false,
        components: members.map((c) => c.key),
      };
    }),
    ...snap.components.map(component),
  ];
  const byKey = new Map(snap.components.map((c) => [c.key, c]));
  const affected = (keys: string[]) => keys.flatMap((k) => (byKey.has(k) ? [component(byKey.get(k)!)] : []));
  const incident = (a: Announcement) => {
    const monitoring = a.updates.filter((u) => u.status === 'monitoring').at(-1);
    return {
      id: a.id,
      name: pick(a.title, lang),
      status: a.status,
      created_at: iso(a.publishedAt),
      updated_at: iso(a.updatedAt),
      monitoring_at: iso(monitoring?.at ?? null),
      resolved_at: iso(a.resolvedAt),
      impact: a.impact,
      shortlink: `${snap.site.baseUrl}/incidents/${encodeURIComponent(a.slug)}`,
      started_at: iso(a.startedAt ?? a.publishedAt),
      page_id: pageId,
      incident_updates: a.updates.map((u) => ({
        id: u.id,
        status: u.status,
        body: text(pick(u.body, lang)),
        incident_id: a.id,
        created_at: iso(u.at),
        updated_at: iso(u.at),
        display_at: iso(u.at),
        affected_components: null,
        deliver_notifications: true,
        custom_tweet: null,
        tweet_id: null,
      })),
      components: affected(a.services),
    };
  };
  const maintenance = (x: Maintenance) => ({
    id: x.id,
    name: pick(x.title, lang),
    status: x.state,
    created_at: iso(x.updatedAt),
    updated_at: iso(x.updatedAt),
    monitoring_at: null,
    resolved_at: x.state === 'completed' ? iso(x.endsAt) : null,
    impact: 'maintenance',
    shortlink: `${snap.site.baseUrl}/maintenance/${encodeURIComponent(x.id)}`,
    started_at: iso(x.startsAt),
    page_id: pageId,
    incident_updates: [
      {
        id: `${x.id}:body`,
        status: x.state,
        body: text(pick(x.body, lang)),
        incident_id: x.id,
        created_at: iso(x.updatedAt),
        updated_at: iso(x.updatedAt),
        display_at: iso(x.updatedAt),
        affected_components: null,
        deliver_notifications: true,
        custom_tweet: null,
        tweet_id: null,
      },
    ],
    components: affected(x.services),
    scheduled_for: iso(x.startsAt),
    scheduled_until: iso(x.endsAt),
  });
  const incidents = snap.announcements.map(incident);
  const unresolved = snap.announcements.filter((a) => a.status !== 'resolved').map(incident);
  const maintenances = snap.maintenances.map(maintenance);
  const upcoming = snap.maintenances.filter((x) => x.state !== 'completed').map(maintenance);
  return {
    summary: { page, components, incidents: unresolved, scheduled_maintenances: upcoming, status },
    status: { page, status },
    components: { page, components },
    incidents: { page, incidents },
    unresolved: { page, incidents: unresolved },
    maintenances: { page, scheduled_maintenances: maintenances },
  };
}

/**
 * When the published content last changed (not when the snapshot was built): stable between changes,
 * so unchanged documents keep their bytes, ETag and compressed forms from one render to the next.
 */
function lastChange(snap: StatusSnapshot): number {
  let last = 0;
  for (const a of snap.announcements) last = Math.max(last, a.updatedAt);
  for (const c of snap.components) last = Math.max(last, c.since);
  for (const x of snap.maintenances) last = Math.max(last, x.updatedAt);
  for (const f of snap.factChecks) last = Math.max(last, f.updatedAt);
  return last || snap.generatedAt;
}

/** JSON that stays inert if a page ever embeds or sniffs it: `<`, `>`, `&` and line separators escaped. */
export function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
