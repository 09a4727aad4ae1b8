/** The scoring rule (docs/drills.md "Scoring"): met, missed, not reached (never zero), no target, withheld. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintPlanFile } from '../plan/index.js';
import { dueMinutes, scoreDrill } from './drill-score.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 4, 21, 1, 0);
const plan = lintPlanFile(path.join(import.meta.dirname, '../../../../plans/account-takeover.yml')).plan!;
const none = {
  activatedAt: null,
  containedAt: null,
  holdingStatementAt: null,
  cacReportAt: null,
  csrcReportAt: null,
  customerNoticeAt: null,
  deadlines: new Map<string, number>(),
};

describe('drill score', () => {
  it('reads due offsets', () => {
    expect([dueMinutes('+15m'), dueMinutes('+2h'), dueMinutes('+1d')]).toEqual([15, 120, 1440]);
  });

  it('says not reached, never zero, and counts it against the drill', () => {
    const s = scoreDrill(T0, plan, none);
    expect(s.measures.find((m) => m.measure === 'activation')).toMatchObject({ result: 'not_reached', minutes: null });
    // No clock runs for the CAC: shown, not counted.
    expect(s.measures.find((m) => m.measure === 'cac_report')).toMatchObject({ result: 'no_target', target: null });
    expect(s).toMatchObject({ met: 0, targets: 5, score: 0 });
  });

  it('compares with the plan and the regulator deadlines; withheld parts are not counted', () => {
    const s = scoreDrill(T0, plan, {
      ...none,
      activatedAt: T0 + 2 * MIN,
      containedAt: T0 + 150 * MIN,
      holdingStatementAt: undefined,
      cacReportAt: T0 + 200 * MIN,
      deadlines: new Map([['cac-report', T0 + 240 * MIN]]),
    });
    const by = Object.fromEntries(s.measures.map((m) => [m.measure, m]));
    expect(by.activation).toMatchObject({ result: 'met', minutes: 2 });
    expect(by.containment).toMatchObject({ result: 'missed', minutes: 150, target: { minutes: 120 } });
    expect(by.holding_statement!.result).toBe('withheld');
    expect(by.cac_report).toMatchObject({ result: 'met', target: { source: 'regulator', minutes: 240 } });
    expect(s).toMatchObject({ met: 2, targets: 5 });
    expect(s.score).toBeCloseTo(0.4);
  });

  it('has no score without targets (not 0 %)', () => {
    expect(scoreDrill(T0, null, none)).toMatchObject({ score: null, targets: 0, met: 0 });
  });
});
