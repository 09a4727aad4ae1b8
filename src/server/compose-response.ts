/**
 * Wires what happens after detection (issue 9): plans and their activation, connectors and containment
 * actions; the reactions between them travel through the outbox (incident events start plans, an
 * action's end asks for the plan's next actions). Called by compose.ts once the core services exist.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from './platform/config.js';
import type { Bus } from './platform/bus.js';
import { afterCommit, type Store } from './platform/db/connect.js';
import type { Db } from './platform/db/types.js';
import { AppError } from './platform/errors.js';
import type { Clock } from './platform/ids.js';
import type { JobRunner } from './platform/jobs/job-runner.js';
import type { Outbox } from './platform/jobs/outbox.js';
import { createSecretBox, loadSecretKeys } from './platform/secret-box.js';
import type { AuditService } from './modules/audit/index.js';
import type { createAlertService } from './modules/alert/index.js';
import {
  BUILTIN_ACTION_KINDS,
  createActionService,
  createConnectorService,
  type ActionEvents,
  type ChannelKindSpec,
  type ConnectorKindSpec,
} from './modules/connector/index.js';
import type { IncidentEvents, IncidentService } from './modules/incident/index.js';
import type { ObligationEvents } from './modules/obligation/index.js';
import {
  createActivationService,
  createPlanService,
  type ActivationPorts,
  type ActivePlan,
} from './modules/plan/index.js';
import { createOncallAdmin, createOncallService } from './modules/oncall/index.js';
import { CHANNEL_KINDS, createPagingService, type ChannelResolver } from './modules/paging/index.js';
import type { FactChecker } from './modules/media/index.js';
import { createStatementService, createTemplateStore } from './modules/statement/index.js';
import type { UserService } from './modules/user/index.js';
import type { StatusEvents, StatusPublisher } from './modules/status/index.js';

/** Who drafts a plan step's statement (no person: the plan). */
const PLANS_ACTOR = { id: null, label: 'system (plans)' };
import type { AnnouncementReader, SubscribeThrottlePolicy } from './modules/subscription/index.js';

/** The outbox's events. */
export type DomainEvents = IncidentEvents & ActionEvents & StatusEvents & ObligationEvents;

export interface ResponseOptions {
  /** The plans that may start (default: the active version of each stored plan). */
  runnablePlans?: (db: Db) => Promise<ActivePlan[]>;
  /** Replaces some of the ports activation reaches on-call, paging and actions through (tests). */
  activationPorts?: ActivationPorts;
  /** Connector kinds besides the built-in containment kinds (the staff channels of paging). */
  // biome-ignore lint/suspicious/noExplicitAny: each kind has its own config and secret types
  connectorKinds?: ConnectorKindSpec<any, any>[];
  /** Told once when the embedded mode creates its secret key file (default: one line on stderr at log level info or below). */
  onNotice?: (message: string) => void;
  /** The staff channels paging sends through (default: the channel connectors of the connector service). */
  channel?: ChannelResolver;
  /** The ports statements publish to the status site and check the fact register through (issue 11). */
  statementPorts?: { status?: StatusPublisher; facts?: FactChecker };
  /** The published announcements subscribers are told about (compose.ts gives the status module's; tests may give a fake). */
  announcements?: AnnouncementReader;
  /** Limits of the public subscribe form (default: 10 per IP and 3 per address an hour). */
  subscribeThrottle?: SubscribeThrottlePolicy;
  /** Who may be added to on-call (the training module's required on-call course; compose.ts gives it). */
  oncallGate?: (db: Db, userIds: string[]) => Promise<void>;
}

export function wireResponse(
  core: {
    store: Store;
    config: Config;
    clock: Clock;
    bus: Bus;
    jobs: JobRunner;
    outbox: Outbox<DomainEvents>;
    audit: AuditService;
    users: UserService;
    incidents: IncidentService;
    alerts: ReturnType<typeof createAlertService>;
  },
  opts: ResponseOptions,
) {
  const { store, config, clock, bus, jobs, outbox, audit, users, incidents, alerts } = core;

  // Connectors and containment actions: secrets sealed with TOCSIN_SECRET_KEY (or <data dir>/secret.key).
  const notice =
    opts.onNotice ??
    ((m: string) => {
      if (['info', 'debug', 'trace'].includes(config.logLevel)) process.stderr.write(`tocsin: ${m}\n`);
    });
  const secretBox = createSecretBox(() =>
    loadSecretKeys({ ...config.secretKeys, dataDir: config.dataDir }, (file) =>
      notice(`TOCSIN_SECRET_KEY is not set: created ${file} (mode 0600) to seal connector secrets; back it up`),
    ),
  );
  const connectors = createConnectorService({
    store,
    audit,
    clock,
    secretBox,
    guard: { denyCidrs: config.probes.denyCidrs, allowLoopback: config.probes.allowLoopback },
    kinds: [...BUILTIN_ACTION_KINDS, ...CHANNEL_KINDS, ...(opts.connectorKinds ?? [])],
  });
  const actions = createActionService({ store, audit, clock, bus, jobs, connectors, incidents, users, events: outbox });

  // On-call and paging: pages go out through the channel connectors (email, WeCom, ... in the connector service).
  const oncall = createOncallService({ store, clock });
  const oncallAdmin = createOncallAdmin({
    store,
    clock,
    audit,
    users,
    publicUrl: config.publicUrl,
    gate: opts.oncallGate,
  });
  const channelOf: ChannelResolver = async (name) => {
    const conn = await connectors.resolve(name).catch(() => null);
    if (conn?.spec.purpose !== 'channel') return null;
    return { spec: conn.spec as ChannelKindSpec, ctx: conn.context };
  };
  const paging = createPagingService({
    store,
    audit,
    clock,
    bus,
    jobs,
    oncall,
    users,
    incidents,
    channel: opts.channel ?? channelOf,
    publicUrl: config.publicUrl,
    signingKey: config.pagingKey ?? randomBytes(32).toString('hex'),
  });

  // Statements (issue 11): drafted from templates, one approval path; a plan's communication step drafts its own.
  const statements = createStatementService({
    store,
    audit,
    bus,
    clock,
    users,
    incidents,
    templates: createTemplateStore(),
    reviews: config.statementReviews,
    status: opts.statementPorts?.status,
    facts: opts.statementPorts?.facts,
  });

  const ports: ActivationPorts = {
    async draftStatement(tx, ask) {
      const { id, publish } = await statements.draftForPlan(tx, PLANS_ACTOR, ask);
      afterCommit(tx, publish);
      return id;
    },
    onCall: (schedule, at, db) => oncall.onCallByName(schedule, at, db),
    async page(tx, ask) {
      const reason = `${ask.subject.en} / ${ask.subject['zh-CN']}`;
      const escalating = new Set(ask.escalations.map((e) => e.roleId));
      // A role with an escalation policy is paged up that policy's levels; the others directly.
      for (const e of ask.escalations) {
        const policyId = await oncall.policyIdByName(e.policy, tx);
        const userId = ask.recipients.find((r) => r.roleId === e.roleId)?.userId;
        if (!policyId && !userId) continue; // nobody to page: the activation lists the role as a problem
        const { publish } = await paging.page(tx, {
          incidentId: ask.incidentId,
          reason,
          ...(policyId ? { policyId } : { userIds: userId ? [userId] : [] }),
          key: `${ask.key}:${e.roleId}`,
        });
        afterCommit(tx, publish);
      }
      const direct = [...new Set(ask.recipients.filter((r) => !escalating.has(r.roleId)).map((r) => r.userId))];
      if (direct.length) {
        const { publish } = await paging.page(tx, {
          incidentId: ask.incidentId,
          reason,
          userIds: direct,
          key: `${ask.key}:direct`,
        });
        afterCommit(tx, publish);
      }
    },
    async requestAction(tx, ask) {
      try {
        const { publish } = await actions.request(tx, {
          incidentId: ask.incidentId,
          planId: ask.planId,
          planVersion: ask.planVersion,
          stepId: ask.stepId,
          connector: ask.connector,
          action: ask.action,
          parameters: ask.parameters,
          approval: ask.approval,
          key: ask.key,
          dryRun: ask.dryRun,
          requestedBy: null,
        });
        afterCommit(tx, publish);
        return null;
      } catch (err) {
        // A connector that does not exist, an action it lacks, parameters it refuses: a problem of the activation.
        if (err instanceof AppError) return err.message;
        throw err;
      }
    },
    actionStates: (db, keys) => actions.statesOf(keys, db),
    ...opts.activationPorts,
  };

  const plans = createPlanService({ store, audit, clock, users });
  const activations = createActivationService({
    store,
    audit,
    bus,
    clock,
    users,
    incidents,
    alertFacts: (incidentId, db, choice) => alerts.factsOfIncident(incidentId, db, choice),
    runnablePlans: opts.runnablePlans ?? ((db) => plans.activePlans(db)),
    publicUrl: config.publicUrl,
    ports,
  });
  // A plan starts by itself when an incident is declared, and is looked at again when its facts change.
  outbox.subscribe('incident.declared', 'plans', async (e) => {
    await activations.evaluate(e.payload.incidentId);
  });
  outbox.subscribe('incident.changed', 'plans', async (e) => {
    await activations.evaluate(e.payload.incidentId);
  });
  // A plan's action succeeded: the actions that waited for it are asked for.
  outbox.subscribe('action.settled', 'plans', async (e) => {
    await activations.onActionSettled(e.payload);
  });

  return { secretBox, connectors, actions, plans, activations, oncall, oncallAdmin, paging, statements };
}
