/** Metrics module: samples posted and scraped (Prometheus/OpenMetrics) become series and points; anomaly detectors on them raise alerts. */
export { createMetricsService, type MetricsService } from './metrics.service.js';
export { startScrapers, startMetricsPruning, scrapeOnce, type Scrapers } from './scraper.js';
export { AnomalyDetector, type AnomalyParams, type Observation } from './anomaly/detector.js';
