/** Metrics module: samples posted and scraped (Prometheus/OpenMetrics) become series and points; anomaly detectors on them raise alerts. */
export { createMetricsService } from './metrics.service.js';
export { startScrapers, startMetricsPruning, scrapeOnce } from './scraper.js';
