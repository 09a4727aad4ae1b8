/** Probe module: HTTP and TCP checks of the firm's services at an interval, feeding each service's health. */
export { createProbeService } from './probe.service.js';
export { startProbeScheduler, type ProbeScheduler } from './scheduler.js';
