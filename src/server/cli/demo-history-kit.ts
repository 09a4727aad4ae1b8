/**
 * What the demo history's files share (demo-history.ts and the files it calls): time units, the seeded
 * PRNG, the people of the history, a past incident as made, and what the history counts.
 */
import type { Grade } from '../../shared/enums.js';
import type { Principal } from '../modules/auth/index.js';
import type { HistoryKind } from './demo-history-data.js';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

/** A small seeded PRNG (mulberry32): the same history for the same seed. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const between = (lo: number, hi: number) => lo + (hi - lo) * next();
  return {
    next,
    between,
    int: (lo: number, hi: number) => Math.floor(between(lo, hi + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}
export type Prng = ReturnType<typeof prng>;

/** What the history holds, for the printed summary and the test. */
export interface DemoHistory {
  /** First and last day of the period, `YYYY-MM-DD` (UTC). */
  from: string;
  to: string;
  incidents: number;
  falsePositives: number;
  reviews: number;
  actionItems: { total: number; overdue: number; acceptedRisk: number };
  counts: HistoryCounts;
  elapsedMs: number;
}

/** The people of the history, by role in it. */
export interface HistoryCast {
  commander: Principal;
  responders: Principal[];
  communications: Principal;
  customerService: Principal;
  compliance: Principal;
  compliance2: Principal;
  executive: Principal;
  admin: Principal;
  all: Principal[];
}

/** One past incident as the history made it. */
export interface PastIncident {
  key: string;
  id: string;
  kind: HistoryKind;
  grade: Grade;
  detectedAt: number;
  falsePositive: boolean;
  recoveredAt: number | null;
  customersAffected: number | null;
}

/** What the history's records count. */
export interface HistoryCounts {
  statements: number;
  reports: number;
  lateReports: number;
  inquiries: number;
  ratings: number;
  vulnerabilities: number;
  vulnerabilitiesPastSla: number;
  drills: number;
  trainingRecords: number;
  phishingResults: number;
  risks: number;
}

export const emptyCounts = (): HistoryCounts => ({
  statements: 0,
  reports: 0,
  lateReports: 0,
  inquiries: 0,
  ratings: 0,
  vulnerabilities: 0,
  vulnerabilitiesPastSla: 0,
  drills: 0,
  trainingRecords: 0,
  phishingResults: 0,
  risks: 0,
});
