/** Builds the store, bus and every service from configuration, once. Tests and the CLI use it too. */
import type { Config } from './platform/config.js';
import { createLocalBus, type Bus } from './platform/bus.js';
import { migrate, openStore, type Store } from './platform/db/connect.js';
import { systemClock, type Clock } from './platform/ids.js';
import { createAlertService, createSuppressionService } from './modules/alert/index.js';
import { createAuditService } from './modules/audit/index.js';
import { createAuthService, createTokenService, type ThrottlePolicy } from './modules/auth/index.js';
import { createCatalogService } from './modules/catalog/index.js';
import { createDetectionPipeline, loadRuleSet, type RuleSetReport } from './modules/detection/index.js';
import { createIncidentService, createTimelineService } from './modules/incident/index.js';
import { createComplaintService, createIngestService, type EventSink } from './modules/ingest/index.js';
import { createUserService } from './modules/user/index.js';

export interface ComposeOptions {
  clock?: Clock;
  bus?: Bus;
  throttle?: ThrottlePolicy;
  /** Skip migrations (the caller ran them). */
  skipMigrate?: boolean;
  /** Where ingested events go (default: the live detection pipeline: rules -> alerts -> incidents). */
  sink?: EventSink;
  /** Told about detection failures and the rule set's compile report (default: one line on stderr for failures). */
  onDetection?: { error?: (err: unknown, where: string) => void; ruleSet?: (report: RuleSetReport) => void };
}

/** Opens the store, migrates it, and wires every service. */
export async function compose(config: Config, opts: ComposeOptions = {}) {
  const store = await openStore(config.database);
  if (!opts.skipMigrate) await migrate(store);
  return wire(store, config, opts);
}

export function wire(store: Store, config: Config, opts: ComposeOptions = {}) {
  const clock = opts.clock ?? systemClock;
  const bus = opts.bus ?? createLocalBus();
  const audit = createAuditService({ store, clock });
  const users = createUserService({ store, audit, clock });
  const auth = createAuthService({ store, audit, clock, config, throttle: opts.throttle });
  const tokens = createTokenService({ store, audit, clock });
  const catalog = createCatalogService({ store, audit, clock });
  const incidents = createIncidentService({ store, audit, bus, clock });
  const timeline = createTimelineService({ store, audit, bus, clock, incidents });
  const alerts = createAlertService({ store, audit, bus, clock, incidents, catalog });
  const suppressions = createSuppressionService({ store, audit, clock, catalog });
  const detection = createDetectionPipeline({
    loadEngine: () => {
      const { engine, report } = loadRuleSet({ ...config.detection, clock: () => clock.now() });
      opts.onDetection?.ruleSet?.(report);
      return engine;
    },
    raise: (matches) => alerts.raise(matches),
    now: () => clock.now(),
    onError: opts.onDetection?.error ?? ((err, where) => process.stderr.write(`tocsin: detection ${where} failed: ${(err as Error).message}\n`)),
  });
  const sink: EventSink = opts.sink ?? ((events) => detection.sink(events));
  const ingest = createIngestService({ store, clock, config: config.ingest, sink });
  const complaints = createComplaintService({ store, audit, clock, sink });
  return { config, store, clock, bus, audit, users, auth, tokens, catalog, incidents, timeline, alerts, suppressions, detection, ingest, complaints, close: () => {
      detection.stopTicking();
      return store.close();
    } };
}

export type Services = ReturnType<typeof wire>;
