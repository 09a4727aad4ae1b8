/** The incidents a performance figure counts (issue 16, docs/kpi.md). */

/** Which incidents count: detected in [fromMs, toMs), of these grades/categories/services, drills or not. */
export interface IncidentScope {
  fromMs: number;
  toMs: number;
  grades?: readonly string[];
  categories?: readonly string[];
  services?: readonly string[];
  /** Count drill incidents too (default: real incidents only). */
  drills?: boolean;
}
