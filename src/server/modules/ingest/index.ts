/** Ingest module: events (API, syslog, files) and customer complaints become DetectionEvents for the sink. */
export { createIngestService, type EventSink } from './ingest.service.js';
export { createComplaintService } from './complaint.service.js';
export { startSyslogListener, type SyslogListener } from './syslog-listener.js';
