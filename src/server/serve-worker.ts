/**
 * The worker part of a server process (role `worker` or `all`): the job runner's loop, correlation
 * ticks, and the schedulers that must run in one process at a time — probes, metric scrapes, metric
 * retention, job retention, activity retention, compensation portal codes' retention, customer escalation and
 * regulatory deadline warnings — each under its lease `scheduler:<name>` (platform/leases/run-once.ts; the
 * ones that are a task at an interval through platform/leases/periodic.ts),
 * so with several workers on one store each runs on one of them and moves when that one dies.
 */
import type { Services } from './compose.js';
import type { Config } from './platform/config.js';
import type { Logger } from './platform/logger.js';
import { periodic, type PeriodicTask } from './platform/leases/periodic.js';
import { createRunOnce, type RunningOnce } from './platform/leases/run-once.js';
import { createOutboundGuard } from './platform/outbound-guard.js';
import { startMetricsPruning, startScrapers } from './modules/metrics/index.js';
import { startProbeScheduler, type ProbeScheduler } from './modules/probe/index.js';

const JOB_PRUNE_EVERY_MS = 3_600_000;
const ESCALATION_EVERY_MS = 60_000;
/** Regulatory deadline warnings: points as near as 10 minutes before a 30-minute deadline need a short sweep. */
const OBLIGATION_WARNINGS_EVERY_MS = 15_000;
const INVESTIGATION_REMINDERS_EVERY_MS = 60_000;
/** Management reports are due once a month: an hourly sweep finds the day soon enough and retries a failed send. */
const MGMT_REPORTS_EVERY_MS = 3_600_000;

export interface WorkerParts {
  /** The run-once schedulers, by name (tests look at who holds what). */
  schedulers: Map<string, RunningOnce>;
  /** Stops the schedulers (giving their leases up) and correlation ticks; the job loop is stopped by the caller. */
  stopSchedulers(): Promise<void>;
}

export function startWorkerParts(
  services: Services,
  config: Config,
  logger: Logger,
  opts: { probeScheduler?: boolean; jobRunner?: boolean },
): WorkerParts {
  // Correlation windows that only time closes close while no events arrive (docs/ARCHITECTURE.md, "Live
  // detection"); in the at-scale mode stage two owns correlations and ticks them.
  if (!config.cluster.nats) services.detection.startTicking();
  // Durable jobs: due ones run every second; pruning done jobs is a run-once scheduler below.
  if (opts.jobRunner !== false) services.jobs.start({ prune: false });
  // Customer campaigns: the sender claims due messages (shared through the store like jobs).
  if (opts.jobRunner !== false) services.campaigns.sender.start();

  const runOnce = createRunOnce({
    leases: services.leases,
    clock: services.clock,
    onError: (err, where) => logger.error({ err }, `${where} failed`),
    onChange: (name, held) =>
      logger.info({ scheduler: name, held }, held ? 'scheduler runs here' : 'scheduler stopped here'),
  });
  const schedulers = new Map<string, RunningOnce>();

  if (opts.probeScheduler !== false) {
    let probes: ProbeScheduler | null = null;
    schedulers.set(
      'probes',
      runOnce(
        'probes',
        () => {
          probes = startProbeScheduler(services.probes, {
            clock: services.clock,
            onError: (err, where) => logger.error({ err }, `${where} failed`),
          });
        },
        async () => {
          await probes?.stop({ abortChecks: false });
          probes = null;
        },
      ),
    );
  }

  const scrapeGuard = createOutboundGuard({ allowLoopback: config.probes.allowLoopback });
  let scrapers: ReturnType<typeof startScrapers> | null = null;
  schedulers.set(
    'metric-scrapes',
    runOnce(
      'metric-scrapes',
      () => {
        scrapers = startScrapers({
          targets: config.metrics.targets,
          metrics: services.metrics,
          clock: services.clock,
          logger,
          guard: scrapeGuard,
        });
      },
      async () => {
        await scrapers?.stop();
        scrapers = null;
      },
    ),
  );
  if (config.metrics.targets.length || config.metrics.detectors.length)
    logger.info(
      { targets: config.metrics.targets.length, detectors: config.metrics.detectors.length },
      'metrics scraping and anomaly detectors',
    );

  let pruning: { stop(): void } | null = null;
  schedulers.set(
    'metric-retention',
    runOnce(
      'metric-retention',
      () => {
        pruning = startMetricsPruning(services.metrics, { logger });
      },
      () => {
        pruning?.stop();
        pruning = null;
      },
    ),
  );

  const every = (task: PeriodicTask) => schedulers.set(task.name, periodic(runOnce, task));

  if (opts.jobRunner !== false)
    every({
      name: 'job-retention',
      everyMs: JOB_PRUNE_EVERY_MS,
      run: () => services.jobs.prune(),
      onError: (err) => logger.error({ err }, 'pruning done jobs failed'),
    });

  // The account-activity index keeps TOCSIN_ACTIVITY_RETENTION_DAYS (hourly, by one worker).
  every({
    name: 'activity-retention',
    everyMs: JOB_PRUNE_EVERY_MS,
    run: () => services.scoping.activity.prune(),
    onError: (err) => logger.error({ err }, 'pruning account activity failed'),
  });

  // Evidence of incidents closed longer than TOCSIN_EVIDENCE_RETENTION_DAYS ago, not on legal hold (hourly, by one worker).
  every({
    name: 'evidence-retention',
    everyMs: JOB_PRUNE_EVERY_MS,
    run: () =>
      services.evidence.pruneExpired().then((n) => {
        if (n.deleted > 0) logger.info(n, 'evidence past its retention deleted');
      }),
    onError: (err) => logger.error({ err }, 'evidence retention failed'),
  });

  // The compensation portal's one-time codes and sessions, a day after both ended (hourly, by one worker).
  every({
    name: 'compensation-portal-codes',
    everyMs: JOB_PRUNE_EVERY_MS,
    run: () => services.compensation.prunePortalCodes(),
    onError: (err) => logger.error({ err }, 'pruning compensation portal codes failed'),
  });

  // Escalation to customer owners (issue 12): overdue inquiries and first contacts, callbacks come due —
  // each pages once (recorded in the store), so one worker sweeps every minute.
  if (opts.jobRunner !== false)
    every({
      name: 'customer-escalation',
      everyMs: ESCALATION_EVERY_MS,
      run: () =>
        services.escalations
          .sweep((err) => logger.error({ err }, 'an escalation failed (tried again next minute)'))
          .then((n) => {
            if (n.inquiries + n.ownerSla + n.callbacks > 0) logger.info(n, 'escalated to customer owners');
          }),
      onError: (err) => logger.error({ err }, 'escalation sweep failed'),
    });

  // Regulatory deadline warnings (issue 13): each point fires once (recorded in the store), so one worker sweeps.
  if (opts.jobRunner !== false)
    every({
      name: 'obligation-warnings',
      everyMs: OBLIGATION_WARNINGS_EVERY_MS,
      run: () =>
        services.obligations.warnings
          .sweep((err) => logger.error({ err }, 'a regulatory deadline warning failed (tried again next sweep)'))
          .then((n) => {
            if (n.warned + n.missed > 0) logger.info(n, 'regulatory deadline warnings');
          }),
      onError: (err) => logger.error({ err }, 'regulatory deadline sweep failed'),
    });

  // Deadlines of requests from outside (issue 15): each point fires once per request and deadline.
  if (opts.jobRunner !== false)
    every({
      name: 'investigation-reminders',
      everyMs: INVESTIGATION_REMINDERS_EVERY_MS,
      run: () =>
        services.investigation.reminders
          .sweep((err) => logger.error({ err }, 'a request deadline reminder failed (tried again next sweep)'))
          .then((n) => {
            if (n.reminded > 0) logger.info(n, 'request deadline reminders');
          }),
      onError: (err) => logger.error({ err }, 'request deadline sweep failed'),
    });

  // Action items (issue 16): the owner reminded before the due date, overdue items escalated — each point once per item.
  if (opts.jobRunner !== false)
    every({
      name: 'action-item-reminders',
      everyMs: INVESTIGATION_REMINDERS_EVERY_MS,
      run: () =>
        services.actionItemReminders
          .sweep((err) => logger.error({ err }, 'an action item reminder failed (tried again next sweep)'))
          .then((n) => {
            if (n.reminded + n.escalated > 0) logger.info(n, 'action item reminders');
          }),
      onError: (err) => logger.error({ err }, 'action item reminder sweep failed'),
    });

  // Management reports (issue 16): on TOCSIN_MGMT_REPORT_DAY, last month's (quarter's, year's) reports made
  // and emailed in both languages — each once per kind, period and language (recorded in the store).
  if (opts.jobRunner !== false)
    every({
      name: 'management-reports',
      everyMs: MGMT_REPORTS_EVERY_MS,
      run: () =>
        services.managementReportDeliveries
          .sweep((err) => logger.error({ err }, 'a management report delivery failed (tried again next hour)'))
          .then((n) => {
            if (n.sent + n.failed > 0) logger.info(n, 'management reports sent');
          }),
      onError: (err) => logger.error({ err }, 'management report sweep failed'),
    });

  return {
    schedulers,
    async stopSchedulers() {
      services.detection.stopTicking();
      await Promise.all([...schedulers.values()].map((s) => s.stop()));
    },
  };
}
