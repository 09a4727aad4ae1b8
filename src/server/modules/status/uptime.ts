/**
 * A public component's state and its 90-day uptime bars (pure functions). One rule serves both, so the
 * bar of today and the state shown now never disagree:
 * - the probes' verdict (the probe module's service health: up, degraded, down; unknown is no data),
 * - replaced by a person's override while it is in force,
 * - raised to `maintenance` while a maintenance of the service is in progress, unless something is worse.
 * Days are calendar days of the site's time zone (Asia/Shanghai by default), counted only up to now.
 */
import type { ComponentState, UptimeDay } from '../../../shared/status-site.js';
import { worstState } from '../../../shared/status-site.js';
import { instantAt, localDay as zonedLocalDay } from '../../platform/zoned-time.js';

export const UPTIME_DAYS = 90;
const DAY_MS = 86_400_000;

/** The probe module's health state as a public state; null: no verdict (unknown, never probed). */
export function fromHealth(state: string | null | undefined): ComponentState | null {
  if (state === 'up') return 'operational';
  if (state === 'degraded') return 'degraded';
  if (state === 'down') return 'major_outage';
  return null;
}

/** A state from `from` until `to` (null: still in force). */
export interface Span {
  from: number;
  to: number | null;
  state: ComponentState;
}

export interface ServiceHistory {
  /** The probes' verdict now (after the last change). */
  current: ComponentState | null;
  /** The service's own health changes in the window, oldest first (probe module's states). */
  changes: { at: number; from: string; to: string }[];
  /**
   * Its probes' own health changes in the window, oldest first: while the service is down and one of
   * its probes still answers (up or degraded), the bar counts a partial outage, as the live state does.
   */
  probeChanges?: { probeId: string; at: number; from: string; to: string }[];
  overrides: Span[];
  maintenances: { from: number; to: number }[];
}

/** The state shown for a probe verdict, an override in force and a maintenance under way. */
export function combine(probe: ComponentState | null, override: ComponentState | null, maintenance: boolean) {
  const state = override ?? probe;
  if (state === null) return maintenance ? 'maintenance' : null;
  return maintenance ? worstState([state, 'maintenance']) : state;
}

/** `YYYY-MM-DD` of an epoch day. */
const isoDay = (epochDay: number) => new Date(epochDay * DAY_MS).toISOString().slice(0, 10);

/** `YYYY-MM-DD` of `ms` in `timeZone`. */
export function localDay(ms: number, timeZone: string): string {
  return isoDay(zonedLocalDay(ms, timeZone));
}

type Windows = { day: string; start: number; end: number }[];
/** The windows of the current day per zone: the snapshot asks every minute, the answer changes once a day. */
const windowsCache = new Map<string, { now: number; end: number; windows: Windows }>();

/** The last `days` calendar days up to the one holding `now`, oldest first, with their bounds. */
export function dayWindows(now: number, timeZone: string, days = UPTIME_DAYS): Windows {
  const key = `${timeZone}|${days}`;
  const hit = windowsCache.get(key);
  if (hit && hit.now <= now && now < hit.end) return hit.windows;
  const windows = computeWindows(now, timeZone, days);
  windowsCache.set(key, { now: windows.at(-1)!.start, end: windows.at(-1)!.end, windows });
  return windows;
}

function computeWindows(now: number, timeZone: string, days: number): Windows {
  const today = zonedLocalDay(now, timeZone);
  const out: Windows = [];
  for (let d = today - days + 1; d <= today; d++)
    out.push({ day: isoDay(d), start: instantAt(d, 0, timeZone), end: instantAt(d + 1, 0, timeZone) });
  return out;
}

const isUp = (s: ComponentState) => s === 'operational' || s === 'maintenance';

/** Whether one of the service's probes answered (up or degraded) at `t`, by the probes' changes. */
function someProbeAnswers(byProbe: Map<string, { at: number; from: string; to: string }[]>, t: number): boolean {
  for (const changes of byProbe.values()) {
    let state: string = changes[0]!.from;
    for (const c of changes) {
      if (c.at > t) break;
      state = c.to;
    }
    if (state === 'up' || state === 'degraded') return true;
  }
  return false;
}

/** The uptime bars of one service over `windows` (from dayWindows), up to `now`; and the share up overall. */
export function uptimeBars(
  h: ServiceHistory,
  windows: { day: string; start: number; end: number }[],
  now: number,
): { days: UptimeDay[]; pct: number | null } {
  const start = windows[0]!.start;
  const end = Math.min(now, windows.at(-1)!.end);
  const cuts = new Set<number>([start, end]);
  const within = (t: number | null) => t !== null && t > start && t < end;
  for (const c of h.changes) if (within(c.at)) cuts.add(c.at);
  const byProbe = new Map<string, { at: number; from: string; to: string }[]>();
  for (const c of h.probeChanges ?? []) {
    byProbe.set(c.probeId, [...(byProbe.get(c.probeId) ?? []), c]);
    if (within(c.at)) cuts.add(c.at);
  }
  for (const o of h.overrides) for (const t of [o.from, o.to]) if (within(t)) cuts.add(t!);
  for (const m of h.maintenances) for (const t of [m.from, m.to]) if (within(t)) cuts.add(t);
  for (const w of windows) if (within(w.start)) cuts.add(w.start);
  const points = [...cuts].sort((a, b) => a - b);

  const acc = windows.map(() => ({ known: 0, up: 0, worst: null as ComponentState | null }));
  let change = 0; // h.changes[change] is the first change after the segment's start
  let day = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i]!, points[i + 1]!];
    while (change < h.changes.length && h.changes[change]!.at <= a) change++;
    let probe =
      change > 0
        ? fromHealth(h.changes[change - 1]!.to)
        : h.changes.length
          ? fromHealth(h.changes[0]!.from)
          : h.current;
    if (probe === 'major_outage' && byProbe.size > 1 && someProbeAnswers(byProbe, a)) probe = 'partial_outage';
    const override = h.overrides.find((o) => o.from <= a && (o.to === null || a < o.to))?.state ?? null;
    const inMaintenance = h.maintenances.some((m) => m.from <= a && a < m.to);
    // No verdict and no override: no data, even in a maintenance (the bars do not invent an up day).
    const state = probe === null && override === null ? null : combine(probe, override, inMaintenance);
    while (day + 1 < windows.length && windows[day]!.end <= a) day++;
    if (state === null) continue;
    const d = acc[day]!;
    d.known += b - a;
    if (isUp(state)) d.up += b - a;
    d.worst = d.worst ? worstState([d.worst, state]) : state;
  }
  const pct = (up: number, known: number) => (known ? Math.round((up / known) * 10_000) / 100 : null);
  const known = acc.reduce((n, d) => n + d.known, 0);
  const up = acc.reduce((n, d) => n + d.up, 0);
  return {
    days: windows.map((w, i) => ({
      day: w.day,
      worst: acc[i]!.known ? acc[i]!.worst : null,
      upPct: pct(acc[i]!.up, acc[i]!.known),
    })),
    pct: pct(up, known),
  };
}
