/** Starts the server: store, migrations, first administrator, HTTP. */
import type { FastifyInstance } from 'fastify';
import { compose, type Services } from './compose.js';
import type { Config } from './platform/config.js';
import type { Clock } from './platform/ids.js';
import { createLogger, type Logger } from './platform/logger.js';
import { buildApp } from './http/app.js';
import { startSyslogListener, type SyslogListener } from './modules/ingest/index.js';
import { startMetricsPruning, startScrapers } from './modules/metrics/index.js';
import { startProbeScheduler } from './modules/probe/index.js';
import { createOutboundGuard } from './platform/outbound-guard.js';

export interface Running {
  app: FastifyInstance;
  services: Services;
  url: string;
  /** The syslog listener, when TOCSIN_SYSLOG_PORT is set. */
  syslog: SyslogListener | null;
  stop(): Promise<void>;
}

/**
 * For tests: a clock to drive, and whether the probe scheduler's and the job runner's timers run
 * (tests call `probes.runDue` and `jobs.runDue`).
 */
export interface ServeOptions {
  clock?: Clock;
  probeScheduler?: boolean;
  jobRunner?: boolean;
}

/** Starts Tocsin; `onFirstAdmin` receives a generated one-time password (never logged). */
export async function serve(
  config: Config,
  onFirstAdmin: (email: string, password: string | null) => void,
  opts: ServeOptions = {},
): Promise<Running> {
  const logger = createLogger(config.logLevel);
  const services = await compose(config, {
    clock: opts.clock,
    onProbeError: (err, where) => logger.error({ err }, `${where} failed`),
    onJobError: (err, where) => logger.error({ err }, `${where} failed`),
    onDetection: {
      error: (err, where) => logger.error({ err }, `detection ${where} failed`),
      ruleSet: (r) => {
        logger.info({ dirs: r.dirs, compiled: r.compiled, errors: r.errors.length }, 'detection rules loaded');
        for (const e of r.errors) logger.warn({ file: e.file, rule: e.ruleId, reason: e.reason }, 'rule not loaded');
      },
    },
    onNotice: (message) => logger.warn(message),
  });
  // Compile the rules before the first event arrives, so the first alert is not late (no engine runs
  // in a web process of the at-scale mode: it publishes events to the stream).
  const clustered = config.cluster.nats !== null;
  if (!clustered || config.cluster.role !== 'web') services.detection.warm();
  // Correlation windows that only time closes close while no events arrive (docs/ARCHITECTURE.md, "Live
  // detection"); in the at-scale mode stage two owns correlations.
  if (!clustered) services.detection.startTicking();
  // At-scale mode, worker and all processes: stage one from the event stream (`services.close()` stops it).
  await services.stageOne?.start();
  const first = await services.users.ensureFirstAdmin(config.admin);
  if (first) onFirstAdmin(first.email, first.password);
  const app = await buildApp(services, { logger, webDir: config.webDir });
  await app.listen({ port: config.port, host: config.host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  // Self probes (the demo's) check this listener on the port it really got, whatever the store says.
  services.probes.setSelfAddress({ host: config.host, port });
  logger.info({ url, store: config.database.kind }, 'Tocsin is listening');
  const syslog = config.ingest.syslog
    ? await startSyslog(config.ingest.syslog, services, logger, () => app.close())
    : null;
  const scrapeGuard = createOutboundGuard({ allowLoopback: config.probes.allowLoopback });
  const scrapers = startScrapers({
    targets: config.metrics.targets,
    metrics: services.metrics,
    clock: services.clock,
    logger,
    guard: scrapeGuard,
  });
  const pruning = startMetricsPruning(services.metrics, { logger });
  if (config.metrics.targets.length || config.metrics.detectors.length)
    logger.info(
      { targets: config.metrics.targets.length, detectors: config.metrics.detectors.length },
      'metrics scraping and anomaly detectors',
    );
  const probes =
    opts.probeScheduler === false
      ? { stop: () => services.probes.stop() }
      : startProbeScheduler(services.probes, {
          clock: services.clock,
          onError: (err, where) => logger.error({ err }, `${where} failed`),
        });
  // Durable jobs: due ones run every second; `services.close()` stops the loop after the running ones finish.
  if (opts.jobRunner !== false) services.jobs.start();
  let stopping = false;
  return {
    app,
    services,
    url,
    syslog,
    async stop() {
      if (stopping) return;
      stopping = true;
      pruning.stop();
      await scrapers.stop();
      await syslog?.close();
      await probes.stop();
      await app.close();
      await services.close();
    },
  };
}

async function startSyslog(
  at: { host: string; port: number },
  services: Services,
  logger: Logger,
  closeApp: () => Promise<void>,
): Promise<SyslogListener> {
  try {
    const syslog = await startSyslogListener({ ingest: services.ingest, ...at, logger });
    logger.info({ host: at.host, port: syslog.port }, 'syslog listener on UDP and TCP');
    return syslog;
  } catch (err) {
    await closeApp();
    await services.close();
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'EADDRINUSE'
        ? 'the port is in use'
        : code === 'EACCES'
          ? 'the port needs privileges'
          : (err as Error).message;
    throw new Error(
      `cannot listen for syslog on ${at.host}:${at.port}: ${why}; choose another with TOCSIN_SYSLOG_PORT`,
    );
  }
}
