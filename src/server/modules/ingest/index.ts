/** Ingest module: events (API, syslog, files) and customer complaints become DetectionEvents for the sink. */
export {
  createIngestService,
  countingSink,
  type EventSink,
  type IngestRecord,
  type IngestService,
} from './ingest.service.js';
export { createComplaintService, COMPLAINT_LOGSOURCE, type ComplaintService } from './complaint.service.js';
export { startSyslogListener, type SyslogListener, type SyslogStats } from './syslog-listener.js';
