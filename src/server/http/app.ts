/** buildApp(): the Fastify application with every route, without listening. */
import { attackTimelineRoutes } from '../modules/attack-timeline/index.js';
import { entityGraphRoutes } from '../modules/entity-graph/index.js';
import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from 'helmet';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from '../platform/logger.js';
import type { Services } from '../compose.js';
import { alertRoutes } from '../modules/alert/alert.routes.js';
import { auditRoutes } from '../modules/audit/audit.routes.js';
import { authRoutes } from '../modules/auth/auth.routes.js';
import { credentialsRoutes } from '../modules/auth/credentials.routes.js';
import { sessionPolicyRoutes } from '../modules/auth/session-policy.routes.js';
import { identityRoutes } from '../modules/identity/identity.routes.js';
import { accessReviewRoutes } from '../modules/access-review/index.js';
import { catalogRoutes } from '../modules/catalog/catalog.routes.js';
import { incidentRoutes } from '../modules/incident/incident.routes.js';
import { ruleRoutes } from '../modules/detection/rule.routes.js';
import { complaintRoutes } from '../modules/ingest/complaint.routes.js';
import { ingestRoutes } from '../modules/ingest/ingest.routes.js';
import { metricsRoutes } from '../modules/metrics/metrics.routes.js';
import { probeRoutes } from '../modules/probe/probe.routes.js';
import { activationRoutes } from '../modules/plan/activation.routes.js';
import { jobsRoutes } from '../modules/jobs/jobs.routes.js';
import { settingsRoutes } from '../modules/settings/settings.routes.js';
import { userRoutes } from '../modules/user/user.routes.js';
import { planRoutes } from '../modules/plan/plan.routes.js';
import { connectorRoutes } from '../modules/connector/connector.routes.js';
import { actionRoutes } from '../modules/connector/action.routes.js';
import { oncallRoutes } from '../modules/oncall/oncall.routes.js';
import { pagingRoutes } from '../modules/paging/paging.routes.js';
import { statusRoutes } from '../modules/status/status.routes.js';
import { mediaRoutes } from '../modules/media/media.routes.js';
import { inquiryRoutes } from '../modules/inquiry/index.js';
import { scopingRoutes } from '../modules/scoping/scoping.routes.js';
import { statementRoutes } from '../modules/statement/statement.routes.js';
import { reportRoutes } from '../modules/report/report.routes.js';
import { iocRoutes } from '../modules/ioc/ioc.routes.js';
import { taxiiRoutes } from '../modules/ioc/taxii.routes.js';
import { subscriptionRoutes } from '../modules/subscription/subscription.routes.js';
import { campaignRoutes } from '../modules/campaign/campaign.routes.js';
import { customerRoutes } from '../modules/customer/customer.routes.js';
import { ownerRoutes } from '../modules/owner/owner.routes.js';
import { obligationRoutes } from '../modules/obligation/obligation.routes.js';
import { compensationRoutes } from '../modules/compensation/compensation.routes.js';
import { claimRoutes } from '../modules/compensation/claim.routes.js';
import { attachmentRoutes } from '../modules/compensation/attachment.routes.js';
import { assessRoutes } from '../modules/compensation/assess.routes.js';
import { payoutRoutes } from '../modules/compensation/payout.routes.js';
import { evidenceRoutes } from '../modules/evidence/evidence.routes.js';
import { vulnerabilityRoutes } from '../modules/vulnerability/vulnerability.routes.js';
import { investigationRoutes } from '../modules/investigation/index.js';
import { investigationReportRoutes } from '../modules/investigation-report/index.js';
import { actionItemRoutes } from '../modules/action-item/index.js';
import { reviewRoutes } from '../modules/review/index.js';
import { riskRoutes } from '../modules/risk/index.js';
import { trainingRoutes } from '../modules/training/index.js';
import { drillRoutes } from '../modules/drill/index.js';
import { managementReportRoutes } from '../modules/management-report/index.js';
import { kpiRoutes } from '../modules/kpi/index.js';
import { installAuth } from './auth.plugin.js';
import { installJsonParser } from './json-parser.js';
import { buildOpenApi } from './openapi.js';
import { installProblemHandlers, sendProblem } from './problem.js';
import { registerRoutes, type AnyRoute } from './route.js';
import { installStream } from './stream.routes.js';
import { isScimUrl, scimNotFound, sendScimError } from './scim-error.js';
import { scimRoutes } from '../modules/identity/scim.routes.js';
import { installOpsRoutes } from './ops.routes.js';
import { VERSION } from '../version.js';
import { installPublicPages } from '../../site/index.js';

export interface AppOptions {
  logger?: Logger | false;
  /** Serve the built console from this folder when it exists. */
  webDir?: string;
  /** Keep-alive and re-authorization interval of live streams (default 15 s). */
  streamPingMs?: number;
  /**
   * `worker`: only /healthz, /readyz and /metrics (no API, console or streams); `web` and `all`
   * (default): everything. docs/ARCHITECTURE.md, "Processes and roles".
   */
  role?: 'all' | 'web' | 'worker';
}

const notFound = (req: FastifyRequest, reply: FastifyReply) =>
  isScimUrl(req.url)
    ? sendScimError(scimNotFound(req), req, reply)
    : reply
        .code(404)
        .type('application/problem+json')
        .send({
          type: 'about:blank#not-found',
          title: 'Not found',
          status: 404,
          code: 'not_found',
          detail: `no route ${req.method} ${req.url.split('?')[0]}`,
        });

/** Errors as problem+json, but in the SCIM error schema on /scim/ (what SCIM clients read). */
const sendError = (err: unknown, req: FastifyRequest, reply: FastifyReply) =>
  isScimUrl(req.url) ? sendScimError(err, req, reply) : sendProblem(err, req, reply);

/** Every API route, for OpenAPI, docs and the route-walk test. */
export function apiRoutes(s: Services): AnyRoute[] {
  return [
    ...authRoutes({ auth: s.auth, tokens: s.tokens, secureCookies: s.config.publicUrl.startsWith('https:') }),
    ...userRoutes({ users: s.users }),
    ...credentialsRoutes({ credentials: s.credentials, auth: s.auth }),
    ...sessionPolicyRoutes({
      policy: s.sessionPolicy,
      auth: s.auth,
      secureCookies: s.config.publicUrl.startsWith('https:'),
    }),
    ...identityRoutes({
      identity: s.identity,
      signIn: s.directorySignIn,
      secureCookies: s.config.publicUrl.startsWith('https:'),
    }),
    ...catalogRoutes({ catalog: s.catalog }),
    ...incidentRoutes({ incidents: s.incidents, timeline: s.timeline }),
    ...auditRoutes({ audit: s.audit }),
    ...alertRoutes({ alerts: s.alerts, suppressions: s.suppressions }),
    ...ingestRoutes({ ingest: s.ingest }),
    ...complaintRoutes({ complaints: s.complaints }),
    ...metricsRoutes({ metrics: s.metrics }),
    ...probeRoutes({ probes: s.probes }),
    ...ruleRoutes({ rules: s.rules }),
    ...settingsRoutes({ settings: s.settings }),
    ...activationRoutes({ activations: s.activations }),
    ...jobsRoutes({ jobs: s.jobsAdmin }),
    ...planRoutes({ plans: s.plans }),
    ...connectorRoutes({ connectors: s.connectors }),
    ...actionRoutes({ actions: s.actions }),
    ...oncallRoutes({ oncall: s.oncallAdmin }),
    ...pagingRoutes({ paging: s.paging, publicUrl: s.config.publicUrl }),
    ...statusRoutes({ status: s.status }),
    ...mediaRoutes(s.media),
    ...inquiryRoutes(s.inquiries.inbox),
    ...statementRoutes({ statements: s.statements }),
    ...reportRoutes({ reports: s.reports }),
    ...attackTimelineRoutes({ attackTimeline: s.attackTimeline, clock: s.clock }),
    ...subscriptionRoutes({ subscriptionAdmin: s.subscriptionAdmin }),
    ...campaignRoutes(s.campaigns),
    ...customerRoutes({ customers: s.customers }),
    ...scopingRoutes({ ...s.scoping, bodyLimitBytes: s.config.ingest.bodyLimitBytes }),
    ...ownerRoutes(s.owners),
    ...obligationRoutes(s.obligations),
    ...compensationRoutes(s.compensation),
    ...claimRoutes(s.compensation),
    ...attachmentRoutes(s.compensation),
    ...assessRoutes(s.compensation),
    ...payoutRoutes(s.compensation),
    ...evidenceRoutes(s.evidence),
    ...iocRoutes({ iocs: s.iocs, detection: s.iocDetection }),
    ...taxiiRoutes({ taxii: s.taxii }),
    ...investigationRoutes(s.investigation),
    ...entityGraphRoutes({ entityGraph: s.entityGraph }),
    ...investigationReportRoutes({ investigationReports: s.investigationReports }),
    ...actionItemRoutes({ actionItems: s.actionItems }),
    ...reviewRoutes({ reviews: s.reviews! }),
    ...vulnerabilityRoutes(s.vulnerabilities),
    ...riskRoutes({ risks: s.risks }),
    ...trainingRoutes({ training: s.training }),
    ...drillRoutes({ drills: s.drills }),
    ...managementReportRoutes({ managementReports: s.managementReports }),
    ...kpiRoutes({ kpi: s.kpi }),
    ...accessReviewRoutes({ accessReview: s.accessReview }),
    ...scimRoutes({ scim: s.scim }),
  ];
}

export async function buildApp(s: Services, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger as unknown as FastifyBaseLogger } : { logger: false }),
    bodyLimit: s.config.bodyLimitBytes,
    // req.ip is the client from X-Forwarded-For only when the peer is one of TOCSIN_TRUSTED_PROXIES.
    trustProxy: s.config.trustedProxies.length ? s.config.trustedProxies : false,
    // Errors raised before routing (a malformed %-escape in the path) are problems too, not Fastify's own JSON.
    frameworkErrors: (err, req, reply) => sendError(err, req, reply),
  });
  installProblemHandlers(app, sendError);
  const role = opts.role ?? 'all';
  const ops = {
    ping: () => s.store.ping(),
    readiness: s.readiness,
    telemetry: s.telemetry,
    metricsToken: s.config.metricsToken,
    metricsOpenWithoutToken: role === 'worker',
  };
  if (role === 'worker') {
    installOpsRoutes(app, ops);
    app.setNotFoundHandler(notFound);
    return app;
  }
  installJsonParser(app);
  const https = s.config.publicUrl.startsWith('https:');
  // helmet's headers, worked out once: @fastify/helmet built them anew for every request (parsing the
  // policy each time), a cost at ingest's request rate.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        // blob: for the evidence locker's safe previews (the server's re-encoded PNG, fetched with the session).
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        // Only over https: on plain http (a trial on the office network, any host name but localhost)
        // the browser would rewrite every asset to https and show a blank page. null drops helmet's default.
        upgradeInsecureRequests: https ? [] : null,
      },
    },
    hsts: https,
  });
  app.addHook('onRequest', (req, reply, done) =>
    securityHeaders(req.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)),
  );
  await app.register(cookie);
  installAuth(app, { auth: s.auth, tokens: s.tokens });
  installOpsRoutes(app, ops);

  const routes = apiRoutes(s);
  registerRoutes(app, routes);
  // Built on first request, not at start: converting every route's zod schemas is ~0.2 s of CPU that a
  // server (and each test's app) would otherwise pay at every start for a document few ever ask for.
  let openapi: Record<string, unknown> | undefined;
  app.get('/api/v1/openapi.json', async () => (openapi ??= buildOpenApi(routes, VERSION)));
  const streams = installStream(app, s.bus, (p) => s.auth.stillValid(p), opts.streamPingMs);
  s.telemetry.watchSseClients(streams);
  // The public status site: no session, its own headers (src/site/page-set.ts), rendered on change.
  await installPublicPages(app, { site: s.publicSite, prefix: '/status', installers: s.publicRoutes });

  const webDir = opts.webDir;
  const hasWeb = webDir && fs.existsSync(path.join(webDir, 'index.html'));
  // Source maps are never served (a production build has none; one left in the folder stays private).
  const isSourceMap = (p: string) => p.toLowerCase().endsWith('.map');
  if (hasWeb)
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      index: 'index.html',
      globIgnore: ['**/*.map'],
      allowedPath: (p) => !isSourceMap(p),
    });
  app.setNotFoundHandler((req, reply) => {
    const pathOnly = req.url.split('?')[0]!;
    // A missing asset is 404, not the console's page: only routes of the console fall back to index.html.
    if (
      req.url.startsWith('/api/') ||
      isScimUrl(req.url) ||
      req.method !== 'GET' ||
      !hasWeb ||
      isSourceMap(pathOnly) ||
      pathOnly.startsWith('/assets/')
    )
      return notFound(req, reply);
    return reply.sendFile('index.html');
  });
  return app;
}
