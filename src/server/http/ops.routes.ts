/**
 * Routes for operators and their machines, on every role's port: `/healthz` (liveness: the process
 * answers), `/api/v1/health` (the store answers; as before the roles), `/readyz` (readiness: every check of the readiness registry passes; 503 problem+json naming
 * the failing ones), and `/metrics` (Prometheus text). Who may read /metrics: with
 * TOCSIN_METRICS_TOKEN set, whoever sends it as a bearer token, on any role; without it, anyone on a
 * worker's port (which should not face users) and no one on a port that serves the API and console.
 */
import type { FastifyInstance } from 'fastify';
import { safeEqual } from '../platform/crypto.js';
import { AppError, forbidden } from '../platform/errors.js';
import type { Readiness } from '../platform/readiness.js';
import type { Telemetry } from '../platform/telemetry.js';

export interface OpsDeps {
  /** The store's round trip (GET /api/v1/health). */
  ping: () => Promise<void>;
  readiness: Readiness;
  telemetry: Telemetry;
  /** TOCSIN_METRICS_TOKEN, or null. */
  metricsToken: string | null;
  /** Whether /metrics is open without a token when none is configured (a worker's port). */
  metricsOpenWithoutToken: boolean;
}

const noToken = () =>
  new AppError(
    401,
    'unauthorized',
    'Unauthorized',
    'send the metrics token (TOCSIN_METRICS_TOKEN) as Authorization: Bearer <token>',
    undefined,
    { 'www-authenticate': 'Bearer realm="metrics"' },
  );

function checkMetricsAccess(deps: OpsDeps, authorization: string | undefined): void {
  const expected = deps.metricsToken;
  if (expected === null) {
    if (deps.metricsOpenWithoutToken) return;
    throw forbidden(
      "this port serves the API and console: its /metrics needs TOCSIN_METRICS_TOKEN set (then scrape with that bearer token), or scrape a worker's port",
    );
  }
  if (!authorization) throw noToken();
  const m = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!m) throw noToken();
  if (!safeEqual(m[1]!, expected)) throw forbidden('the bearer token is not the metrics token (TOCSIN_METRICS_TOKEN)');
}

export function installOpsRoutes(app: FastifyInstance, deps: OpsDeps): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  // The API's health (clients and self probes use it; on a worker too, whose self probes reach its own port).
  app.get('/api/v1/health', async (_req, reply) => {
    try {
      await deps.ping();
      return { status: 'ok' };
    } catch {
      return reply.code(503).type('application/problem+json').send({
        type: 'about:blank#unavailable',
        title: 'Store not ready',
        status: 503,
        code: 'unavailable',
        detail: 'the store does not answer yet; try again shortly',
      });
    }
  });

  app.get('/readyz', async (_req, reply) => {
    const report = await deps.readiness.ready();
    if (report.ok) return { status: 'ready', checks: report.checks };
    const failing = Object.entries(report.checks)
      .filter(([, c]) => !c.ok)
      .map(([name, c]) => `${name}: ${c.detail ?? 'not ready'}`);
    return reply
      .code(503)
      .type('application/problem+json')
      .send({
        type: 'about:blank#unavailable',
        title: 'Not ready',
        status: 503,
        code: 'unavailable',
        detail: `not ready: ${failing.join('; ')}`,
        checks: report.checks,
      });
  });

  app.get('/metrics', async (req, reply) => {
    checkMetricsAccess(deps, req.headers.authorization);
    const { contentType, body } = await deps.telemetry.scrape();
    return reply.type(contentType).header('cache-control', 'no-store').send(body);
  });
}
