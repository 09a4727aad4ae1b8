/**
 * One sandbox stand-in: a small loopback HTTP server (node:http) speaking a JSON contract
 * (docs/sandbox.md). Every stand-in records each request it receives, honours the Idempotency-Key
 * header on the actions that change something, answers errors as problem+json, and has an admin
 * surface under /_sandbox/ (the recorded requests, failure injection) that is itself not recorded.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../platform/ids.js';

export interface RecordedRequest {
  standIn: string;
  method: string;
  path: string;
  /** Request headers, secrets (authorization, cookies, API keys) replaced by "[redacted]". */
  headers: Record<string, string>;
  /** The parsed JSON body, the text when it is not JSON, null when empty. */
  body: unknown;
  at: string;
  /** The status answered; null while it hangs (failure injection). */
  status: number | null;
}

export interface Reply {
  status: number;
  body: unknown;
}

export interface RouteContext {
  params: string[];
  body: unknown;
  query: URLSearchParams;
  now: number;
  /** Request headers (names lower-case) and the body as received, for stand-ins that verify signatures. */
  headers: Record<string, string>;
  raw: string;
}

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** Matched against the whole path; its groups are the context's params. */
  pattern: RegExp;
  handle: (ctx: RouteContext) => Reply;
}

/** A problem+json answer (RFC 9457) with the sandbox's stable code in `type`. */
export class SandboxProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
  ) {
    super(detail ?? title);
  }
}

export const problemBody = (p: SandboxProblem) => ({
  type: `urn:tocsin:sandbox:${p.code}`,
  title: p.title,
  status: p.status,
  ...(p.detail ? { detail: p.detail } : {}),
});

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);
const MAX_BODY = 1024 * 1024;
const IDEMPOTENT_METHODS = new Set(['POST', 'DELETE']);

const redact = (headers: http.IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [
      k,
      SECRET_HEADERS.has(k) ? '[redacted]' : Array.isArray(v) ? v.join(', ') : (v ?? ''),
    ]),
  );

const plainHeaders = (headers: http.IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new SandboxProblem(413, 'too-large', 'Payload too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const parseBody = (text: string): unknown => {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export interface StandInOptions {
  name: string;
  routes: Route[];
  /** Extra admin routes, under /_sandbox/ (not recorded, no failure injection). */
  adminRoutes?: Route[];
  clock?: Clock;
  /** false: requests are not kept in `requests` (a gateway taking 100,000 messages). Default true. */
  record?: boolean;
}

export class StandIn {
  readonly name: string;
  readonly requests: RecordedRequest[] = [];
  private readonly routes: Route[];
  private readonly adminRoutes: Route[];
  private readonly clock: Clock;
  private readonly record: boolean;
  private readonly server: http.Server;
  private readonly replays = new Map<string, { fingerprint: string; reply: Reply }>();
  private failures: { mode: 'error' | 'hang'; remaining: number } | null = null;
  private readonly hanging = new Set<http.ServerResponse>();

  constructor(opts: StandInOptions) {
    this.name = opts.name;
    this.routes = opts.routes;
    this.adminRoutes = [
      // What was received (GET), or forget it (DELETE).
      {
        method: 'GET',
        pattern: /^\/_sandbox\/requests$/,
        handle: () => ({ status: 200, body: { requests: this.requests } }),
      },
      {
        method: 'DELETE',
        pattern: /^\/_sandbox\/requests$/,
        handle: () => {
          this.requests.length = 0;
          return { status: 200, body: { cleared: true } };
        },
      },
      // The next N requests answer 500 or hang.
      {
        method: 'POST',
        pattern: /^\/_sandbox\/fail$/,
        handle: ({ body }) => {
          const { count, mode } = failureRequest(body);
          this.failures = count === 0 ? null : { mode, remaining: count };
          return { status: 200, body: { count, mode } };
        },
      },
      ...(opts.adminRoutes ?? []),
    ];
    this.clock = opts.clock ?? systemClock;
    this.record = opts.record ?? true;
    this.server = http.createServer((req, res) => {
      this.serve(req, res).catch((err: unknown) => {
        const p = err instanceof SandboxProblem ? err : new SandboxProblem(500, 'internal', 'Internal error');
        this.send(res, { status: p.status, body: problemBody(p) });
      });
    });
  }

  /** Listens on 127.0.0.1 (port 0: any free port); resolves to the base URL. */
  listen(port: number): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve(this.url);
      });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stops listening and drops the open connections, hanging requests included. */
  close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private send(res: http.ServerResponse, reply: Reply, replayed = false): void {
    const problem = reply.status >= 400;
    res.writeHead(reply.status, {
      'content-type': problem ? 'application/problem+json' : 'application/json; charset=utf-8',
      ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
    });
    res.end(JSON.stringify(reply.body));
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = req.method ?? 'GET';
    const text = await readBody(req);
    const body = parseBody(text);
    const input = { body, raw: text, headers: plainHeaders(req.headers) };
    if (url.pathname.startsWith('/_sandbox/')) return this.send(res, this.route(this.adminRoutes, method, url, input));

    const record: RecordedRequest = {
      standIn: this.name,
      method,
      path: url.pathname + url.search,
      headers: redact(req.headers),
      body,
      at: new Date(this.clock.now()).toISOString(),
      status: null,
    };
    if (this.record) this.requests.push(record);
    const answer = (reply: Reply, replayed = false) => {
      record.status = reply.status;
      this.send(res, reply, replayed);
    };

    if (this.failures) {
      const { mode } = this.failures;
      if (--this.failures.remaining <= 0) this.failures = null;
      if (mode === 'hang') {
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        return;
      }
      return answer({
        status: 500,
        body: problemBody(new SandboxProblem(500, 'injected-failure', 'Injected failure')),
      });
    }

    const key = req.headers['idempotency-key'];
    const idempotencyKey = typeof key === 'string' && IDEMPOTENT_METHODS.has(method) ? key : null;
    const fingerprint = `${method} ${url.pathname} ${text}`;
    if (idempotencyKey !== null) {
      const seen = this.replays.get(idempotencyKey);
      if (seen && seen.fingerprint !== fingerprint)
        return answer({
          status: 422,
          body: problemBody(
            new SandboxProblem(
              422,
              'idempotency-key-reused',
              'Idempotency key reused',
              'this Idempotency-Key was already used for a different request',
            ),
          ),
        });
      if (seen) return answer(seen.reply, true);
    }

    const reply = this.route(this.routes, method, url, input);
    // Only successful actions are remembered: a rejected request may be retried with the same key.
    if (idempotencyKey !== null && reply.status < 400) this.replays.set(idempotencyKey, { fingerprint, reply });
    answer(reply);
  }

  private route(
    routes: Route[],
    method: string,
    url: URL,
    input: { body: unknown; raw: string; headers: Record<string, string> },
  ): Reply {
    let pathMatched = false;
    for (const r of routes) {
      const m = r.pattern.exec(url.pathname);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== method) continue;
      try {
        return r.handle({ params: m.slice(1), ...input, query: url.searchParams, now: this.clock.now() });
      } catch (err) {
        if (err instanceof SandboxProblem) return { status: err.status, body: problemBody(err) };
        throw err;
      }
    }
    const p = pathMatched
      ? new SandboxProblem(
          405,
          'method-not-allowed',
          'Method not allowed',
          `${method} is not allowed on ${url.pathname}`,
        )
      : new SandboxProblem(404, 'not-found', 'Not found', `no route for ${method} ${url.pathname}`);
    return { status: p.status, body: problemBody(p) };
  }
}

/** The body of a failure injection request, `{"count": N, "mode": "error" | "hang"}` (defaults 1, error), or a 400 problem. */
export function failureRequest(body: unknown): { count: number; mode: 'error' | 'hang' } {
  const b = objectBody(body);
  const count = b.count ?? 1;
  const mode = b.mode ?? 'error';
  if (!Number.isInteger(count) || (count as number) < 0 || (mode !== 'error' && mode !== 'hang'))
    throw invalid('expected {"count": integer >= 0, "mode": "error" | "hang"}');
  return { count: count as number, mode };
}

/** The body as an object, or a 400 problem. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw new SandboxProblem(400, 'invalid-request', 'Invalid request', 'the body must be a JSON object');
  return body as Record<string, unknown>;
}

export const invalid = (detail: string) => new SandboxProblem(400, 'invalid-request', 'Invalid request', detail);
export const notFound = (detail: string) => new SandboxProblem(404, 'not-found', 'Not found', detail);
