/** Metric series and their points. */

/** A metric series: name + canonical labels (JSON, keys sorted), its source and last value. */
export interface MetricSeriesTable {
  id: string;
  series_key: string;
  name: string;
  labels: string;
  source: string;
  last_value: number | null;
  last_time: number | null;
  created_at: number;
}

/** Points of metric series, pruned after TOCSIN_METRICS_RETENTION_DAYS. */
export interface MetricPointsTable {
  series_id: string;
  time: number;
  value: number;
}
