/**
 * Starts a server process in its role (docs/ARCHITECTURE.md, "Processes and roles"): store and
 * migrations, the one-process guard when there is no NATS, first administrator, HTTP (the API, console
 * and streams for `web`/`all`; only /healthz, /readyz and /metrics for `worker`), syslog (web), the
 * worker parts (serve-worker.ts), and the graceful stop.
 */
import type { KpiSource } from './modules/management-report/index.js';
import type { FastifyInstance } from 'fastify';
import { compose, type Services } from './compose.js';
import type { Config } from './platform/config.js';
import type { Clock } from './platform/ids.js';
import { createLogger, type Logger } from './platform/logger.js';
import { holdSingleton, type Singleton } from './platform/leases/singleton.js';
import { buildApp } from './http/app.js';
import { startSyslogListener, type SyslogListener } from './modules/ingest/index.js';
import { startWorkerParts, type WorkerParts } from './serve-worker.js';
import { startInboundSmtp } from './modules/inquiry/index.js';
import { startStageTwo, type RunningStageTwo } from './serve-stage-two.js';
import { buildPublicApp } from '../site/index.js';

export interface Running {
  app: FastifyInstance;
  services: Services;
  url: string;
  role: Config['cluster']['role'];
  /** The syslog listener, when TOCSIN_SYSLOG_PORT is set (web and all). */
  syslog: SyslogListener | null;
  /** The inbound SMTP listener of customer inquiries (TOCSIN_INBOUND_SMTP_PORT; worker and all), else null. */
  inbound: { port: number; close(): Promise<void> } | null;
  /** The worker parts (worker and all), null on a web process. */
  worker: WorkerParts | null;
  /** The correlation partitions this worker owns (worker and all with NATS; serve-stage-two.ts), else null. */
  stageTwo: RunningStageTwo | null;
  /** The public status pages' own listener (TOCSIN_PUBLIC_PORT; web and all), else null. */
  publicApp: { app: FastifyInstance; url: string } | null;
  /**
   * Graceful stop: not ready, no new HTTP requests (streams ended, requests under way answered), no
   * new syslog, schedulers stopped and their leases given up, no new jobs and the running ones finished
   * (at most TOCSIN_SHUTDOWN_TIMEOUT_S), the store lease given up, the store closed.
   */
  stop(): Promise<void>;
}

/**
 * For tests: a clock to drive, whether the probe scheduler's and the job runner's timers run (tests
 * call `probes.runDue` and `jobs.runDue`), and a hook that sees the services before anything starts
 * (to register a job kind).
 */
export interface ServeOptions {
  clock?: Clock;
  probeScheduler?: boolean;
  jobRunner?: boolean;
  prepare?: (services: Services) => void | Promise<void>;
  /** The KPI figures of management reports (tests; the kpi module's service is wired in compose at merge). */
  kpiSource?: KpiSource;
}

/** Starts Tocsin; `onFirstAdmin` receives a generated one-time password (never logged). */
export async function serve(
  config: Config,
  onFirstAdmin: (email: string, password: string | null) => void,
  opts: ServeOptions = {},
): Promise<Running> {
  const logger = createLogger(config.logLevel);
  const role = config.cluster.role;
  const web = role !== 'worker';
  const worker = role !== 'web';
  const services = await compose(config, {
    clock: opts.clock,
    kpiSource: opts.kpiSource,
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
    onWarning: (fields, message) => logger.warn(fields, message),
  });
  // Without NATS one process serves a store: a second one is refused (platform/leases/singleton.ts).
  let singleton: Singleton | null = null;
  if (!config.cluster.nats) {
    try {
      singleton = await holdSingleton(services.leases, {
        onLost: (holder) =>
          logger.error(
            { holder: holder?.holder },
            'another process took this store lease (this one stalled past it): two servers may now run on one store',
          ),
      });
    } catch (err) {
      await services.close();
      throw err;
    }
    if (role !== 'all')
      logger.warn(
        { role },
        `role ${role} without TOCSIN_NATS_URL: no other process may join this store, so the ${web ? 'worker' : 'web'} part runs nowhere; use --role all, or set TOCSIN_NATS_URL`,
      );
  }
  try {
    return await start(config, services, logger, singleton, onFirstAdmin, opts, { web, worker });
  } catch (err) {
    await singleton?.stop().catch(() => {});
    await services.close();
    throw err;
  }
}

async function start(
  config: Config,
  services: Services,
  logger: Logger,
  singleton: Singleton | null,
  onFirstAdmin: (email: string, password: string | null) => void,
  opts: ServeOptions,
  parts: { web: boolean; worker: boolean },
): Promise<Running> {
  const role = config.cluster.role;
  await opts.prepare?.(services);
  // Compile the rules before the first event arrives, so the first alert is not late (events reach
  // this process's pipeline unless a web process hands them to NATS).
  if (parts.worker || !config.cluster.nats) services.detection.warm();
  if (parts.web) {
    const first = await services.users.ensureFirstAdmin(config.admin);
    if (first) onFirstAdmin(first.email, first.password);
    const lockedOut = await services.identity.breakGlassProblem();
    if (lockedOut) logger.warn({ breakGlass: config.identity.breakGlass.length }, lockedOut);
  }
  const app = await buildApp(services, { logger, webDir: config.webDir, role });
  let listening = false;
  services.readiness.add('http', () => listening || 'not listening yet');
  await app.listen({ port: config.port, host: config.host });
  listening = true;
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  // Self probes (the demo's) check this listener on the port it really got, whatever the store says.
  services.probes.setSelfAddress({ host: config.host, port });
  logger.info({ url, store: config.database.kind, role, nats: config.cluster.nats !== null }, 'Tocsin is listening');
  // Syslog is ingest: it belongs to the web part.
  const syslog =
    parts.web && config.ingest.syslog
      ? await startSyslog(config.ingest.syslog, services, logger, () => app.close())
      : null;
  // The public status site renders on change (bus) and every minute; on its own port when configured.
  let publicApp: Running['publicApp'] = null;
  if (parts.web) {
    services.publicSite.start();
    if (config.publicPort !== null) {
      try {
        publicApp = await startPublicListener(config, services);
      } catch (err) {
        services.publicSite.stop();
        await syslog?.close();
        await app.close();
        throw err;
      }
      logger.info({ url: publicApp.url }, 'public status pages listening');
    }
  }
  let workerParts: WorkerParts | null = null;
  if (parts.worker) {
    workerParts = startWorkerParts(services, config, logger, opts);
    // At-scale mode: stage one from the event stream (`services.close()` stops it, finishing its batch).
    await services.stageOne?.start();
    services.readiness.add('worker', () => true);
  }
  let stageTwo: RunningStageTwo | null = null;
  let inbound: Running['inbound'] = null;
  try {
    if (parts.worker) stageTwo = await startStageTwo(services, config, logger);
    // Customer email: one more way in for the worker part (it records inquiries; the web part serves them).
    if (parts.worker && config.inbound.port !== null) inbound = await startInbound(config, services, logger);
  } catch (err) {
    // NATS refused the stream or buckets, or the inbound port: nothing of this process may keep running.
    await stageTwo?.stop();
    await workerParts?.stopSchedulers();
    await syslog?.close();
    await publicApp?.app.close();
    services.publicSite.stop();
    await app.close();
    throw err;
  }

  let stopping: Promise<void> | null = null;
  async function stop(): Promise<void> {
    services.readiness.drain();
    // New connections are refused and requests on kept-alive ones get 503; streams end (preClose); requests under way are answered.
    await app.close();
    await publicApp?.app.close();
    services.publicSite.stop();
    await syslog?.close();
    await inbound?.close();
    await workerParts?.stopSchedulers();
    await stageTwo?.stop(); // partitions given back at once, their matches raised
    await services.probes.stop();
    const finished = await services.jobs.stop({ waitMs: config.shutdownTimeoutMs });
    if (!finished)
      logger.warn(
        { waitedMs: config.shutdownTimeoutMs },
        'jobs still running at shutdown are left to another runner (they run again when their lease ends)',
      );
    await singleton?.stop().catch((err) => logger.error({ err }, 'giving up the store lease failed'));
    await services.close({ jobsWaitMs: 0 });
  }
  return {
    app,
    services,
    url,
    role,
    syslog,
    inbound,
    worker: workerParts,
    stageTwo,
    publicApp,
    stop() {
      stopping ??= stop();
      return stopping;
    },
  };
}

async function startPublicListener(config: Config, services: Services): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildPublicApp({
    site: services.publicSite,
    installers: services.publicRoutes,
    trustedProxies: config.trustedProxies,
  });
  try {
    await app.listen({ port: config.publicPort!, host: config.host });
  } catch (err) {
    await app.close();
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? 'the port is in use' : (err as Error).message;
    throw new Error(
      `cannot listen for the public status pages on ${config.host}:${config.publicPort}: ${why}; choose another with TOCSIN_PUBLIC_PORT`,
    );
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.publicPort!;
  return { app, url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}` };
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

async function startInbound(config: Config, services: Services, logger: Logger): Promise<Running['inbound']> {
  const { host, allow, maxBytes } = config.inbound;
  try {
    return await startInboundSmtp({
      host,
      port: config.inbound.port!,
      allow,
      maxBytes,
      receive: (raw) => services.inquiries.email.receive(raw),
      logger,
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? 'the port is in use' : (err as Error).message;
    throw new Error(
      `cannot listen for inbound mail on ${host}:${config.inbound.port}: ${why}; choose another with TOCSIN_INBOUND_SMTP_PORT`,
    );
  }
}
