/** The public state rule and the uptime bars: days of the site's time zone, at fixed clock times. */
import { describe, expect, it } from 'vitest';
import { combine, dayWindows, localDay, uptimeBars, type ServiceHistory } from './uptime.js';

const SH = 'Asia/Shanghai';
/** 2026-03-10 12:00 in Shanghai (04:00 UTC). */
const NOW = Date.parse('2026-03-10T12:00:00+08:00');

const history = (h: Partial<ServiceHistory>): ServiceHistory => ({
  current: 'operational',
  changes: [],
  overrides: [],
  maintenances: [],
  ...h,
});

describe('public state', () => {
  it('lets an override win over the probes, and maintenance raise operational but not something worse', () => {
    expect(combine('major_outage', 'operational', false)).toBe('operational');
    expect(combine('operational', 'partial_outage', false)).toBe('partial_outage');
    expect(combine('operational', null, true)).toBe('maintenance');
    expect(combine('degraded', null, true)).toBe('degraded');
    expect(combine(null, null, false)).toBeNull();
  });
});

describe('days of the site time zone', () => {
  it('gives 90 calendar days ending today, each starting at midnight in Shanghai (16:00 UTC)', () => {
    const days = dayWindows(NOW, SH);
    expect(days).toHaveLength(90);
    expect(days.at(-1)).toEqual({
      day: '2026-03-10',
      start: Date.parse('2026-03-09T16:00:00Z'),
      end: Date.parse('2026-03-10T16:00:00Z'),
    });
    expect(days[0]!.day).toBe('2025-12-11');
    for (const d of days) expect(d.end - d.start).toBe(86_400_000);
    // 23:30 UTC on the 9th is already the 10th in Shanghai.
    expect(localDay(Date.parse('2026-03-09T16:30:00Z'), SH)).toBe('2026-03-10');
  });

  it('follows a zone with daylight saving time (a 23-hour day)', () => {
    const days = dayWindows(Date.parse('2026-03-09T12:00:00-04:00'), 'America/New_York', 3);
    expect(days.map((d) => d.day)).toEqual(['2026-03-07', '2026-03-08', '2026-03-09']);
    expect(days[1]!.end - days[1]!.start).toBe(23 * 3_600_000);
  });
});

describe('uptime bars', () => {
  const days = dayWindows(NOW, SH);
  const byDay = (bars: ReturnType<typeof uptimeBars>) => new Map(bars.days.map((d) => [d.day, d]));

  it('splits an outage across midnight in Shanghai between the two days', () => {
    // Watched since 2026-03-08 10:00; down 23:30 on the 8th to 00:30 on the 9th (Shanghai time).
    const bars = uptimeBars(
      history({
        current: 'operational',
        changes: [
          { at: Date.parse('2026-03-08T10:00:00+08:00'), from: 'unknown', to: 'up' },
          { at: Date.parse('2026-03-08T23:30:00+08:00'), from: 'up', to: 'down' },
          { at: Date.parse('2026-03-09T00:30:00+08:00'), from: 'down', to: 'up' },
        ],
      }),
      days,
      NOW,
    );
    const d = byDay(bars);
    expect(bars.days).toHaveLength(90);
    expect(d.get('2026-03-07')).toEqual({ day: '2026-03-07', worst: null, upPct: null });
    // The 8th: watched 14 h, down the last 30 min.
    expect(d.get('2026-03-08')).toEqual({ day: '2026-03-08', worst: 'major_outage', upPct: 96.43 });
    // The 9th: the first 30 min of 24 h down.
    expect(d.get('2026-03-09')).toEqual({ day: '2026-03-09', worst: 'major_outage', upPct: 97.92 });
    // Today, up to noon, all up.
    expect(d.get('2026-03-10')).toEqual({ day: '2026-03-10', worst: 'operational', upPct: 100 });
    // 60 minutes down of 14 + 24 + 12 hours watched.
    expect(bars.pct).toBe(Math.round((1 - 60 / (50 * 60)) * 10_000) / 100);
  });

  it('counts an override instead of the probes while it was in force, and maintenance as up', () => {
    const bars = uptimeBars(
      history({
        current: 'operational',
        overrides: [
          {
            from: Date.parse('2026-03-09T08:00:00+08:00'),
            to: Date.parse('2026-03-09T09:12:00+08:00'),
            state: 'partial_outage',
          },
        ],
        maintenances: [{ from: Date.parse('2026-03-10T02:00:00+08:00'), to: Date.parse('2026-03-10T04:00:00+08:00') }],
      }),
      days,
      NOW,
    );
    const d = byDay(bars);
    expect(d.get('2026-03-09')).toEqual({ day: '2026-03-09', worst: 'partial_outage', upPct: 95 });
    expect(d.get('2026-03-10')).toEqual({ day: '2026-03-10', worst: 'maintenance', upPct: 100 });
    expect(d.get('2025-12-11')!.upPct).toBe(100);
  });

  it('has no data for a service never probed nor overridden', () => {
    const bars = uptimeBars(history({ current: null }), days, NOW);
    expect(bars.days.every((x) => x.worst === null && x.upPct === null)).toBe(true);
    expect(bars.pct).toBeNull();
  });

  it('counts today only up to now', () => {
    const down = Date.parse('2026-03-10T06:00:00+08:00');
    const bars = uptimeBars(
      history({ current: 'major_outage', changes: [{ at: down, from: 'up', to: 'down' }] }),
      days,
      NOW,
    );
    // 6 h up, then 6 h down until noon.
    expect(byDay(bars).get('2026-03-10')).toEqual({ day: '2026-03-10', worst: 'major_outage', upPct: 50 });
  });
  it('counts a partial outage while one probe is down and another still answers, a major one when all are', () => {
    const at = (t: string) => Date.parse(`2026-03-09T${t}:00+08:00`);
    const bars = uptimeBars(
      history({
        current: 'operational',
        changes: [
          { at: at('00:00'), from: 'unknown', to: 'up' },
          { at: at('09:00'), from: 'up', to: 'down' },
          { at: at('11:00'), from: 'down', to: 'up' },
        ],
        probeChanges: [
          { probeId: 'web', at: at('00:00'), from: 'unknown', to: 'up' },
          { probeId: 'api', at: at('00:00'), from: 'unknown', to: 'up' },
          { probeId: 'api', at: at('09:00'), from: 'up', to: 'down' },
          { probeId: 'api', at: at('11:00'), from: 'down', to: 'up' },
        ],
      }),
      days,
      NOW,
    );
    expect(byDay(bars).get('2026-03-09')).toMatchObject({ worst: 'partial_outage' });
    // Both probes down for the last hour of it: that is a major outage.
    const both = uptimeBars(
      history({
        current: 'operational',
        changes: [
          { at: at('00:00'), from: 'unknown', to: 'up' },
          { at: at('09:00'), from: 'up', to: 'down' },
          { at: at('11:00'), from: 'down', to: 'up' },
        ],
        probeChanges: [
          { probeId: 'web', at: at('00:00'), from: 'unknown', to: 'up' },
          { probeId: 'api', at: at('00:00'), from: 'unknown', to: 'up' },
          { probeId: 'api', at: at('09:00'), from: 'up', to: 'down' },
          { probeId: 'web', at: at('10:00'), from: 'up', to: 'down' },
          { probeId: 'web', at: at('11:00'), from: 'down', to: 'up' },
          { probeId: 'api', at: at('11:00'), from: 'down', to: 'up' },
        ],
      }),
      days,
      NOW,
    );
    expect(byDay(both).get('2026-03-09')).toMatchObject({ worst: 'major_outage' });
  });
});
