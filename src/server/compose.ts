/** Builds the store, bus and every service from configuration, once. Tests and the CLI use it too. */
import path from 'node:path';
import { createAttackTimeline } from './modules/attack-timeline/index.js';
import type { Db } from './platform/db/types.js';
import type { Config } from './platform/config.js';
import { createLocalBus, type Bus } from './platform/bus.js';
import type { Nats } from './platform/cluster/nats.js';
import { createNatsSignals, type Signals } from './platform/cluster/signals.js';
import { migrate, openStore, type Store } from './platform/db/connect.js';
import { systemClock, type Clock } from './platform/ids.js';
import { createJobRunner } from './platform/jobs/job-runner.js';
import { createOutbox } from './platform/jobs/outbox.js';
import { createAlertService, createSuppressionService } from './modules/alert/index.js';
import { createAuditService } from './modules/audit/index.js';
import {
  createAuthService,
  createCredentialsService,
  createSessionPolicyService,
  createThrottle,
  createTokenService,
  type ThrottlePolicy,
} from './modules/auth/index.js';
import {
  createDirectorySignIn,
  createIdentityService,
  createOidcClient,
  createScimService,
} from './modules/identity/index.js';
import { createAccessReviewService } from './modules/access-review/index.js';
import { createCatalogService } from './modules/catalog/index.js';
import {
  createDetectionPipeline,
  createWorkerPipeline,
  createRuleService,
  type DetectionEvent,
  type RuleSetReport,
} from './modules/detection/index.js';
import { createIncidentService, createTimelineService } from './modules/incident/index.js';
import type { Obligations } from './modules/obligation/index.js';
import { wireObligations } from './compose-obligations.js';
import { createMedia } from './modules/media/index.js';
import { createScoping, indexingSink } from './modules/scoping/index.js';
import { createOwners, type AudiencePort } from './modules/owner/index.js';
import { type CompensationOptions, wireCompensation } from './compose-compensation.js';
import { diskBlobStore } from './platform/blobs/blob-store.js';
import { wireManagementReports, type MgmtReportOptions } from './compose-mgmt-reports.js';
import { createEvidence } from './modules/evidence/index.js';
import { createVulnerabilities } from './modules/vulnerability/index.js';
import { createInvestigationReportService } from './modules/investigation-report/index.js';
import { bundledInjectScripts, createDrillService } from './modules/drill/index.js';
import { createActionItemReminders, createActionItemService } from './modules/action-item/index.js';
import { createReviewService, type ReviewService } from './modules/review/index.js';
import { createRiskService } from './modules/risk/index.js';
import { createTrainingService } from './modules/training/index.js';
import { wireKpi } from './compose-kpi.js';
import { wireResponse, type DomainEvents, type ResponseOptions } from './compose-response.js';
import { countingSink, wireOps } from './compose-ops.js';
import { wireSubscriptions } from './compose-subscriptions.js';
import { wireInquiries, type InquiryOptions } from './compose-inquiries.js';
import { type CampaignOptions, wireCampaigns } from './compose-campaigns.js';
import { subscriptionPublicRoutes } from './modules/subscription/index.js';
import { createCustomerModule } from './modules/customer/index.js';
import { loadSecretKeys } from './platform/secret-box.js';
import { createComplaintService, createIngestService, type EventSink } from './modules/ingest/index.js';
import { createJobsService } from './modules/jobs/index.js';
import { createMetricsService } from './modules/metrics/index.js';
import { createProbeService } from './modules/probe/index.js';
import { createSettingsService } from './modules/settings/index.js';
import { createStatusModule } from './modules/status/index.js';
import { lazyBundledObligationCatalog, loadObligationCatalog } from './modules/obligation/index.js';
import { createReportService, createReportTemplates } from './modules/report/index.js';
import { createIocDetection, createIocService, createTaxii } from './modules/ioc/index.js';
import { createEntityGraph } from './modules/entity-graph/index.js';
import { VERSION } from './version.js';
import {
  attackCatalog,
  createAttackService,
  createRequestReminders,
  createRequestService,
} from './modules/investigation/index.js';
import { createUserService } from './modules/user/index.js';
import { createPublicSite, type PublicRoutesInstaller } from '../site/index.js';

/** Events waiting for the rule engine on its worker thread at most (at least TOCSIN_INGEST_MAX_EVENTS). */
const DETECTION_CAPACITY = 200_000;

export interface ComposeOptions
  extends ResponseOptions,
    InquiryOptions,
    CampaignOptions,
    CompensationOptions,
    MgmtReportOptions {
  clock?: Clock;
  bus?: Bus;
  /** Signals between processes (at scale: NATS; compose makes them from config.cluster). */
  signals?: Signals;
  throttle?: ThrottlePolicy;
  /** Skip migrations (the caller ran them). */
  skipMigrate?: boolean;
  /** Where ingested events go (default: the live detection pipeline: rules -> alerts -> incidents). */
  sink?: EventSink;
  /** Told about probe failures (an alert that could not be raised, a run that failed to record). */
  onProbeError?: (err: unknown, where: string) => void;
  /** Told about detection failures and the rule set's compile report (default: one line on stderr for failures). */
  onDetection?: { error?: (err: unknown, where: string) => void; ruleSet?: (report: RuleSetReport) => void };
  /** Told about warnings without personal data (a directory that could not be asked, a break-glass sign-in). */
  onWarning?: (fields: Record<string, unknown>, message: string) => void;
  /** Told about failures of the job runner's loop (a job's own failure is recorded on the job). */
  onJobError?: (err: unknown, where: string) => void;
  /**
   * The NATS connection of the at-scale mode (compose() opens it when TOCSIN_NATS_URL is set, with the
   * event stream ready; `close()` closes it): ingest publishes to the event stream, and worker and all
   * processes run stage one from it (docs/ARCHITECTURE.md, "Detection across processes").
   */
  nats?: Nats;
  /** The at-scale mode's modules (compose-cluster.ts), which compose() imports when there is a NATS connection. */
  cluster?: typeof import('./compose-cluster.js');
  /** The customers of affected sets, for assigning owners (the scoping module at merge; absent: 422). */
  ownerAudience?: AudiencePort;
}

/** Opens the store, migrates it, and wires every service. */
export async function compose(config: Config, opts: ComposeOptions = {}) {
  const store = await openStore(config.database);
  if (!opts.skipMigrate) await migrate(store);
  // At scale (TOCSIN_NATS_URL): console events and signals between processes go through NATS, and
  // ingested events through the event stream (made sure of here: another partition count is refused).
  const cluster = opts.nats || config.cluster.nats ? await import('./compose-cluster.js') : undefined;
  const nats =
    opts.nats ??
    (cluster && config.cluster.nats
      ? await cluster.connectNats(config.cluster.nats, `tocsin ${config.cluster.role}`)
      : null);
  if (cluster && nats)
    await cluster
      .ensureEventStream(nats, {
        partitions: config.cluster.eventPartitions,
        retentionMs: config.cluster.eventsRetentionMs,
      })
      .catch(async (err: unknown) => {
        await nats.close();
        await store.close();
        throw err;
      });
  const natsBus = cluster && nats && !opts.bus ? await cluster.createNatsBus(nats, { onNotice: opts.onNotice }) : null;
  const signals = nats ? createNatsSignals(nats) : opts.signals;
  const services = wire(store, config, {
    ...opts,
    bus: natsBus ?? opts.bus,
    signals,
    nats: nats ?? undefined,
    cluster,
  });
  if (nats) {
    const closeServices = services.close;
    services.close = async (closeOpts) => {
      await closeServices(closeOpts);
      await natsBus?.close();
      await nats.close();
    };
  }
  await services.rules.load();
  return services;
}

export function wire(store: Store, config: Config, opts: ComposeOptions = {}) {
  const clock = opts.clock ?? systemClock;
  const bus = opts.bus ?? createLocalBus({ clock });
  // Metrics of Tocsin itself, readiness checks, leases (compose-ops.ts).
  const ops = wireOps({ store, clock, config });
  const { telemetry } = ops;
  // Durable jobs (platform/jobs): modules register their handlers here; serve.ts starts the loop.
  const jobs = createJobRunner({
    store,
    clock,
    onError: opts.onJobError,
    onAttemptFailed: () => telemetry.countJobFailed(),
  });
  telemetry.watchJobs(() => jobs.counts());
  // Domain events between modules (platform/jobs/outbox.ts): written with the change, delivered as jobs.
  const outbox = createOutbox<DomainEvents>({ runner: jobs, clock });
  const audit = createAuditService({ store, clock });
  const users = createUserService({ store, audit, clock });
  const throttle = createThrottle({ store, clock, policy: opts.throttle });
  // The session policy (issue 17): cached, re-read on a change here or another process's signal.
  const sessionPolicy = createSessionPolicyService({ store, audit, clock, config, signals: opts.signals });
  const auth = createAuthService({ store, audit, clock, config, throttle, users, policy: sessionPolicy });
  const credentials = createCredentialsService({ store, audit, throttle, users });
  const tokens = createTokenService({ store, audit, clock, users, signals: opts.signals, policy: sessionPolicy });
  // Sign-in through the firm's directory (issue 17): opens sessions through auth; auth asks it to re-check them.
  const oidcClient = createOidcClient();
  const identity = createIdentityService({
    store,
    audit,
    clock,
    config,
    users,
    auth,
    oidc: oidcClient,
    // A directory that cannot be asked, a break-glass use: warnings in the process log (no personal data).
    warn: opts.onWarning,
  });
  auth.setDirectoryHooks({ current: identity.current, breakGlassUsed: identity.breakGlassUsed });
  if (config.identity.providers.length) tokens.setDirectoryCheck((u) => identity.current(u, null));
  // SCIM provisioning (issue 17, docs/scim.md): the providers' clients create, update and disable users.
  const scim = createScimService({ store, audit, clock, config, users, tokens });
  const directorySignIn = createDirectorySignIn({ store, audit, clock, config, identity, oidc: oidcClient, throttle });
  const accessReview = createAccessReviewService({ store, audit, clock, users, identity, auth, tokens });
  const catalog = createCatalogService({ store, audit, clock });
  // The obligation clocks re-evaluate in every incident change's transaction (wired below, once paging exists).
  let obligations: Obligations | undefined;
  let reviews: ReviewService | undefined;
  const incidents = createIncidentService({
    store,
    audit,
    bus,
    clock,
    users,
    events: outbox,
    onChanged: async (tx, id, now) => {
      await obligations?.reevaluate(tx, id);
      // A resolved incident of grade I-III gets its post-incident review in the same transaction (issue 16).
      await reviews?.onIncidentChanged(tx, id, now);
    },
    primeChange: (tx) => obligations?.prime(tx),
  });
  const timeline = createTimelineService({ store, audit, bus, clock, incidents, users });
  // Sources that name catalog services (TOCSIN_SOURCES_FILE): their events' alerts name those services.
  const sourceServices = new Map(config.ingest.sources.map((s) => [s.name, s.services ?? []]));
  const alerts = createAlertService({
    store,
    audit,
    bus,
    clock,
    incidents,
    catalog,
    ruleTitleZh: (id) => rules.titleZh(id),
    sourceServices: (name) => sourceServices.get(name),
    onIntakeTime: (seconds) => telemetry.observeAlertIntake(seconds),
  });
  const suppressions = createSuppressionService({ store, audit, clock, catalog });
  const detectionError =
    opts.onDetection?.error ??
    ((err: unknown, where: string) =>
      process.stderr.write(`tocsin: detection ${where} failed: ${(err as Error).message}\n`));
  const onWorker = config.detection.thread === 'worker';
  const pipelineDeps = {
    // The rule service builds the engine: rule folders and uploads, without the disabled rules (on the
    // worker thread, it builds only the spec: the worker compiles it and reports back).
    loadEngine: () => rules.buildEngine(),
    raise: alerts.raise,
    now: () => clock.now(),
    onError: detectionError,
    onEngineTime: (seconds: number) => telemetry.observeEngine(seconds),
  };
  const detection = onWorker
    ? createWorkerPipeline({
        ...pipelineDeps,
        // Never less than one request may carry: a request refused for room is then only ever refused for a while (503), never for good.
        maxInFlight: Math.max(DETECTION_CAPACITY, config.ingest.maxEvents),
        onBuilt: (report) => rules.acceptReport(report),
        youngGenerationMb: config.detection.youngGenerationMb,
      })
    : createDetectionPipeline(pipelineDeps);
  const rules = createRuleService(
    {
      store,
      audit,
      clock,
      pipeline: detection,
      users,
      config: config.detection,
      onRuleSet: opts.onDetection?.ruleSet,
      onError: detectionError,
      signals: opts.signals,
    },
    { remoteCompile: onWorker },
  );
  telemetry.watchDetection(() => detection.stats);
  // At-scale mode: ingest's events go to the event stream; worker and all processes run stage one from it.
  const nats = opts.nats;
  const cluster = opts.cluster;
  if (nats && !cluster) throw new Error('wire: a NATS connection needs opts.cluster (compose() imports it)');
  // Events counted by source for /metrics as they are handed over.
  const sink: EventSink = countingSink(
    opts.sink ??
      (nats
        ? cluster!.createEventStreamSink({ nats, partitions: config.cluster.eventPartitions })
        : Object.assign((events: DetectionEvent[]) => detection.sink(events), {
            admit: (count: number) => detection.admit(count),
          })),
    telemetry,
  );
  if (nats) ops.readiness.add('nats', () => nats.ready());
  const stageOne =
    nats && config.cluster.role !== 'web'
      ? cluster!.createStageOne({
          nats,
          evaluate: (datas, partitions, activity, seqs) =>
            detection.evaluateMessages(datas, partitions, activity, seqs),
          raise: alerts.raise,
          // The activity index is fed here at scale, not on the web process from ingest (scoping, below).
          index: config.activity.index ? (batches) => scoping.activity.indexArrays(batches) : undefined,
          correlationPartitions: config.detection.correlationPartitions,
          correlationRetentionMs: config.detection.correlationRetentionMs,
          onError: detectionError,
          onLag: (n) => telemetry.setLag('stage1', n),
        })
      : null;
  // Impact scoping (issue 12): the account-activity index is fed from ingest's batches (indexingSink) in
  // the embedded mode; at scale by stage one in the workers, and an affected set waits for stage one.
  const scoping = createScoping({
    store,
    audit,
    clock,
    incidents,
    users,
    config: config.activity,
    alertAccounts: (db, incidentId) => alerts.accountsNamedIn(db, incidentId),
    // The customer module (declared below; read at call time).
    customers: {
      get directory() {
        return customers.directory;
      },
    },
    activityIndexed: nats ? () => cluster!.stageOneCaughtUp(nats, { timeoutMs: config.activity.waitMs }) : undefined,
    onError: detectionError,
  });
  const ingest = createIngestService({
    store,
    clock,
    config: config.ingest,
    sink: nats ? sink : indexingSink(sink, scoping.activity),
  });
  const complaints = createComplaintService({ store, audit, clock, sink });
  const metrics = createMetricsService({
    store,
    clock,
    config: config.metrics,
    raise: alerts.raise,
    onError: opts.onDetection?.error,
  });
  const probes = createProbeService({
    store,
    audit,
    bus,
    clock,
    config: config.probes,
    raise: alerts.raise,
    onError: opts.onProbeError,
  });
  const settings = createSettingsService({ settings: config.settings, version: VERSION });
  // Media desk (issue 11): rumor-vs-fact register, media inquiries, FAQ; its ports feed the status site and statements.
  // Its inquiries are answered by statements of the response part, wired below (called only per request).
  const media = createMedia({
    store,
    audit,
    bus,
    clock,
    incidents,
    users,
    statements: { answerable: (db, id, incidentId) => response.statements.answerable(db, id, incidentId) },
  });
  // The public status site's domain (issue 11): announcements only through status.publisher.
  const status = createStatusModule({
    store,
    audit,
    bus,
    clock,
    events: outbox,
    site: config.status,
    facts: media.publicFacts,
  });
  // Statements publish to the status site and check the fact register (tests may give fakes).
  const statementPorts = opts.statementPorts ?? { status: status.publisher, facts: media.factChecker };
  // Training records (issue 16): the required on-call course gates who may be added to on-call.
  const training = createTrainingService({ store, audit, clock, users, timeZone: config.status.timeZone });
  const response = wireResponse(
    { store, config, clock, bus, jobs, outbox, audit, users, incidents, alerts },
    { ...opts, statementPorts, oncallGate: (db, ids) => training.coverage.assertOnCallReady(db, ids) },
  );
  // Regulatory obligations (issue 13): the firm's edited catalog (TOCSIN_OBLIGATIONS_DIR), read here — a
  // file with a problem refuses the start, naming file, path and reason — or the shipped one, read when
  // first used (lazyBundledObligationCatalog); the same for the clocks and the reports. Warnings page
  // through the paging module.
  const obligationCatalog = config.obligationsDir
    ? loadObligationCatalog(config.obligationsDir)
    : lazyBundledObligationCatalog();
  obligations = wireObligations({
    catalog: obligationCatalog,
    store,
    bus,
    clock,
    audit,
    users,
    incidents,
    outbox,
    pager: { page: (tx, req) => response.paging.page(tx, req) },
  });
  // Investigation (issue 15): ATT&CK mapping (the bundled catalogue, the alerts' rules' tags), the register
  // of requests from outside with deadline reminders paged through the paging module.
  const investigation = {
    attack: createAttackService({
      store,
      clock,
      audit,
      incidents,
      users,
      catalog: attackCatalog(),
      ruleTags: (db, incidentId) => alerts.ruleTagsOfIncident(db, incidentId),
    }),
    requests: createRequestService({ store, clock, audit, incidents, users }),
    reminders: createRequestReminders({
      store,
      clock,
      audit,
      incidents,
      users,
      pager: { page: (tx, req) => response.paging.page(tx, req) },
    }),
  };
  // Subscribers hear of what the status module published (tests may give another reader).
  const announcements = opts.announcements ?? {
    get: (db: Db, id: string, updateId: string | null) => status.announcements.forSubscribers(db, id, updateId),
  };
  const subscribers = wireSubscriptions(
    { store, config, clock, jobs, outbox, audit, secretBox: response.secretBox },
    { ...opts, announcements },
  );
  // Customer inquiries (issue 12): the help portal on the public pages, the staff inbox, the call centre.
  const { inquiries, helpRoutes } = wireInquiries(
    {
      store,
      config,
      clock,
      jobs,
      audit,
      users,
      incidents,
      secretBox: response.secretBox,
      status,
      facts: media.publicFacts,
      // The owner module (declared below; called only once serving).
      escalation: {
        escalateInquiry: (tx, q) => owners.escalation.escalateInquiry(tx, q),
        routeInquiry: (tx, q) => owners.escalation.routeInquiry(tx, q),
      },
    },
    // A question is linked to the customer its phone or email belongs to (the customer module, declared below).
    {
      ...opts,
      customers: opts.customers ?? {
        findByContact: (c, db) => customers.customers.findByContact(c, db),
        numbersOf: (ids, db) => customers.customers.numbersOf(ids, db),
      },
    },
  );
  // Customer campaigns (issue 12): approved customer notices fanned out to customers and sent by the worker.
  const campaigns = wireCampaigns(
    {
      store,
      config,
      clock,
      bus,
      jobs,
      audit,
      incidents,
      notices: { noticeText: (db, id, incidentId) => response.statements.noticeText(db, id, incidentId) },
      // The customer module (declared below; called only once serving).
      customers: {
        get directory() {
          return customers.directory;
        },
        contactsOf: (ids, db) => customers.customers.contactsOf(ids, db),
      },
      setCustomerIds: (db, q) => scoping.sets.customerIds(db, q),
    },
    opts,
  );
  // The public status site (src/site), rendered on change from the status module's read model.
  const publicSite = createPublicSite({
    site: status.site,
    bus,
    prefixes: config.publicPort === null ? ['/status'] : ['/status', ''],
    emailSubscriptions: config.mail.smtpUrl !== null,
    onError: opts.onNotice
      ? (err) => opts.onNotice!(`public status site not rendered: ${(err as Error).message}`)
      : undefined,
  });
  // Customers (issue 12): personal data sealed with the connectors' secret box, found by keyed hashes of the same keys.
  const customers = createCustomerModule({
    store,
    audit,
    clock,
    jobs,
    secretBox: response.secretBox,
    secretKeys: () => {
      void response.secretBox.keyId; // creates the key file first when missing, with the box's notice
      return loadSecretKeys({ ...config.secretKeys, dataDir: config.dataDir }, () => {});
    },
  });
  // A dedicated owner for every affected customer (issue 12): pools, assignment, worklists, callback reminders.
  const owners = createOwners({
    store,
    audit,
    bus,
    clock,
    jobs,
    incidents,
    users,
    sla: config.ownerSla,
    timeZone: config.status.timeZone,
    // Escalations page the owner through the paging module (a page of one person, idempotent by key).
    pager: {
      page: async (tx, req) => {
        const r = await response.paging.page(tx, req);
        return { pageId: r.pageId, publish: r.publish };
      },
    },
    customers: customers.directory,
    audience: opts.ownerAudience ?? {
      customerIds: (db, setId, incidentId) =>
        scoping.sets.customerIds(db, { setId, incidentId, after: null, limit: 500_000 }),
    },
  });
  // Compensation (issue 14): assessment runs, claims, negotiation, approval tiers, mediation, ledger.
  // With its customer's side: notices on claim events and the portal's acceptance (compose-compensation.ts).
  const blobs = diskBlobStore(config.blobDir);
  const { compensation, compensationRoutes, filingRoutes, closeSender } = wireCompensation(
    {
      store,
      audit,
      clock,
      incidents,
      users,
      customers: customers.directory,
      secretBox: response.secretBox,
      config,
      jobs,
      contacts: (ids, db) => customers.customers.contactsOf(ids, db),
      payees: (ids, db) => customers.customers.payeesOf(ids, db),
      payoutEncoding: config.payoutFileEncoding,
      blobs,
    },
    opts,
  );
  const attackTimeline = createAttackTimeline({ store, incidents });
  // The evidence locker (issue 15): items kept by their hash in the same blob store, custody in the audit chain.
  const evidence = createEvidence({
    store,
    audit,
    clock,
    incidents,
    users,
    blobs,
    maxBytes: config.evidenceMaxBytes,
    retentionMs: config.evidenceRetentionMs,
    alerts: { get: (p, id) => alerts.get(p, id) },
    attackTimeline: { build: (p, key) => attackTimeline.build(p, key) },
    actions: { get: (p, id) => response.actions.get(p, id) },
    // Export packages: the signing key's private half sealed like connector secrets; requests they answer.
    secretBox: response.secretBox,
    requests: {
      forPackage: (db, p, id, incidentId) => investigation.requests.forPackage(db, p, id, incidentId),
      recordHandover: (tx, p, id, entry) => investigation.requests.recordHandover(tx, p, id, entry),
    },
  });
  // Regulator reports (issue 13): drafted from the incident's facts, approved, filed; the filing goes to the outbox.
  const reports = createReportService({
    store,
    audit,
    clock,
    users,
    incidents,
    records: {
      timeline: async (p, key) => (await timeline.list(p, key, 0, 500)).items,
      openTasks: async (p, key) =>
        (await timeline.listTasks(p, key, undefined, 200)).items
          .filter((t) => t.status === 'open' || t.status === 'in_progress')
          .map((t) => t.title),
    },
    catalog: () => obligationCatalog,
    templates: createReportTemplates(),
    events: outbox,
  });
  // IOCs (issue 15): per incident, from its alerts' events; shared as STIX 2.1, MISP and over TAXII 2.1.
  const iocs = createIocService({
    store,
    audit,
    clock,
    incidents,
    alertEvents: (db, incidentId, limit) => alerts.eventsOfIncident(db, incidentId, limit),
    firmName: config.status.name.en,
  });
  // IOCs back into detection: uploaded Sigma rules tagged with the incident (docs/iocs.md "Detection").
  const iocDetection = createIocDetection({ store, incidents, rules });
  const taxii = createTaxii({
    store,
    firmName: config.status.name.en,
    publicUrl: config.publicUrl,
    refs: (db, ids) => incidents.refs(db, ids),
  });
  // The investigation report (issue 15): filled from the investigation's modules as the reader, its approved
  // public summary published through the status module's publisher (as statements publish investigation results).
  const investigationReports = createInvestigationReportService({
    store,
    audit,
    clock,
    incidents,
    users,
    sources: {
      timeline: (p, key) => attackTimeline.build(p, key),
      attack: (p, key) => investigation.attack.ofIncident(p, key),
      affectedSets: async (p, key) => (await scoping.sets.list(p, key)).items,
      evidence: (p, key) => evidence.items.list(p, key),
      iocs: (p, key) => iocs.list(p, key),
    },
    status: {
      publisher: status.publisher,
      slugOfIncident: (db, incidentId) => status.announcements.slugOfIncident(db, incidentId),
    },
  });
  // Post-incident reviews and action items (issue 16): the review's facts read from the other modules as the
  // reader; action items' reminders and escalation page through the paging module.
  const actionItems = createActionItemService({ store, audit, clock, incidents, users });
  reviews = createReviewService({
    store,
    audit,
    clock,
    incidents,
    users,
    actionItems,
    dueDays: config.reviewDueDays,
    sources: {
      timeline: (p, key) => attackTimeline.build(p, key),
      statements: async (p, key) => (await response.statements.listForIncident(p, key, { limit: 200 })).items,
      campaigns: async (p, key) => (await campaigns.campaigns.listForIncident(p, key)).items,
      obligations: (p, key) => obligations!.view.ofIncident(p, key),
      tasks: async (p, key) => (await timeline.listTasks(p, key, undefined, 200)).items,
      actions: (p, key) => response.actions.listForIncident(p, key),
      inquiries: (p, key) => inquiries.inbox.stats(p, key),
      compensation: (p, key) => compensation.ledger.ledger(p, key),
    },
  });
  const actionItemReminders = createActionItemReminders({
    store,
    clock,
    audit,
    incidents,
    users,
    remindBeforeMs: config.actionItemRemindMs,
    timeZone: config.status.timeZone,
    pager: { page: (tx, req) => response.paging.page(tx, req) },
  });
  // Vulnerabilities (issue 16): scanner imports streamed, severity from CVSS, SLA, KEV/EPSS, mapped to services.
  const vulnerabilities = createVulnerabilities({
    store,
    audit,
    clock,
    serviceExists: async (key) => (await catalog.byKey(key)) !== null,
    maxBytes: config.vulnImportMaxBytes,
    spoolDir: path.join(config.dataDir, 'spool'),
  });
  // Drills (issue 16): a drill incident declared and its plan activated as the person starting it; scored from
  // the incident's activations, milestones, statements, regulator reports, campaigns and obligation clocks.
  const drills = createDrillService({
    store,
    audit,
    clock,
    jobs,
    incidents,
    users,
    plans: (db) => response.plans.activePlans(db),
    activate: (p, key, planId, note) => response.activations.activate(p, key, planId, note),
    declare: (p, input) =>
      incidents.create(p, { ...input, restricted: false, tags: ['drill'], services: [], drill: true }),
    sources: {
      activations: (p, key) => response.activations.list(p, key),
      statements: async (p, key) => (await response.statements.listForIncident(p, key, { limit: 200 })).items,
      reports: (p, key) => reports.listForIncident(p, key),
      campaigns: async (p, key) => (await campaigns.campaigns.listForIncident(p, key)).items,
      obligations: (p, key) => obligations!.view.ofIncident(p, key),
      timeline: async (p, key) => (await timeline.list(p, key, 0, 1000)).items,
    },
    scripts: bundledInjectScripts,
    periodMonths: config.drillPeriodMonths,
  });
  // Performance figures and dashboards (issue 16): combined from the modules' aggregate reads (compose-kpi.ts).
  const kpi = wireKpi({ store, clock, timeZone: config.status.timeZone, drills, training });
  const inquiriesSweep = (onError?: (err: unknown) => void) => inquiries.escalation.sweep(onError);
  /** Extra routes of the public pages (subscriptions), mounted on both listeners. */
  const publicRoutes: PublicRoutesInstaller[] = [
    subscriptionPublicRoutes({ subscriptions: subscribers.subscriptions, mail: config.mail.smtpUrl !== null }),
    helpRoutes,
    compensationRoutes,
    filingRoutes,
  ];
  /** `jobsWaitMs`: how long to wait for running jobs at most (default: until they finish). */
  const close = async (closeOpts: { jobsWaitMs?: number } = {}) => {
    await stageOne?.stop(); // the batch in hand is raised and acknowledged first
    await jobs.stop({ waitMs: closeOpts.jobsWaitMs }); // the jobs running now finish first
    await campaigns.sender.stop(); // the round in hand is recorded first
    closeSender();
    await detection.close();
    await rules.close(); // writes the last hit counts
    await scoping.activity.close(); // writes the buffered activity rows
    await store.close();
  };
  return {
    config,
    store,
    clock,
    bus,
    jobs,
    /** Domain events between modules (tests publish through it too). */
    outbox,
    ...ops,
    audit,
    users,
    auth,
    credentials,
    tokens,
    sessionPolicy,
    identity,
    directorySignIn,
    /** The security officer's access review (issue 17): accounts, sign-in methods, tokens. */
    accessReview,
    scim,
    catalog,
    incidents,
    timeline,
    alerts,
    suppressions,
    detection,
    /** Stage one from the event stream (at-scale mode, worker and all processes); serve starts it. */
    stageOne,
    /** The NATS connection of the at-scale mode (stream, bus, signals, stage two), or null; `close()` closes it. */
    nats: nats ?? null,
    rules,
    ingest,
    complaints,
    metrics,
    probes,
    settings,
    ...response,
    ...subscribers,
    jobsAdmin: createJobsService({ store, audit, jobs }),
    status,
    media,
    inquiries,
    /** Customer campaigns: `campaigns`, `receipts`, the worker's `sender`, the `fanout` job. */
    campaigns,
    customers,
    scoping,
    owners,
    /** Compensation (issue 14): `runs`, `claims`, `approvals`, `mediation`, `ledger` (with the policy). */
    compensation,
    attackTimeline,
    /** The evidence locker (issue 15): `items` (the API's), `locker` (the CLI's add and verify). */
    evidence,
    /** Live regulatory obligation clocks: `view`, `profiles`, `warnings` (the sweep), `reevaluate`. */
    obligations,
    /** Investigation (issue 15): `attack` (ATT&CK of incidents), `requests` (from outside), `reminders` (the sweep). */
    investigation,
    reports,
    /** IOCs of incidents (issue 15) and the read-only TAXII 2.1 collection of the shareable ones. */
    iocs,
    iocDetection,
    taxii,
    /** The entity graph of incidents (issue 15). */
    entityGraph: createEntityGraph({
      store,
      clock,
      incidents,
      alertEvents: (db, incidentId, limit) => alerts.eventsOfIncident(db, incidentId, limit),
    }),
    /** The investigation report of an incident (issue 15). */
    investigationReports,
    /** Action items (issue 16) and their reminder sweep. */
    actionItems,
    actionItemReminders,
    /** Post-incident reviews (issue 16). */
    reviews,
    /** Vulnerabilities (issue 16): `findings`, `feeds` (mappings, SLA, KEV, EPSS), imports. */
    vulnerabilities,
    /** The risk register (issue 16). */
    risks: createRiskService({ store, audit, clock, incidents, users, timeZone: config.status.timeZone }),
    /** Training records (issue 16): `records` (and imports), `coverage` (required courses, phishing, the on-call gate). */
    training,
    /** Drills (issue 16): tabletop and technical exercises, scores, calendar and coverage. */
    drills,
    /** Management reports (issue 16): `managementReports` (generate, list, files) and `managementReportDeliveries` (the sweep). */
    ...wireManagementReports({ store, audit, clock, blobs, config, kpi }, opts),
    /** Performance figures (issue 16): the snapshot and its drill-down. */
    kpi,
    /** Escalation to owners (issue 12): overdue inquiries, overdue first contacts, callbacks come due. */
    escalations: {
      async sweep(onError?: (err: unknown) => void) {
        const inquiries = await inquiriesSweep(onError);
        return { ...inquiries, ...(await owners.escalation.sweep(onError)) };
      },
    },
    publicSite,
    publicRoutes,
    close,
  };
}

export type Services = ReturnType<typeof wire>;
