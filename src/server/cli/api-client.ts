/**
 * The one HTTP client of the CLI commands that talk to a running Tocsin through its API (`rules`,
 * `incidents`, `alerts`, `ingest`, `demo --scenario`): where the server is, the token, and every failure
 * as one line (server down, no token, 401, 403 naming the scope needed, 404, the problem's detail).
 */
import type { TokenScope } from '../../shared/enums.js';
import { listenerUrl } from '../platform/listen-address.js';
import { CliError } from './context.js';

/** How the CLI finds the server, for `--help` texts. */
export const SERVER_HELP =
  'TOCSIN_URL, else http://TOCSIN_HOST:TOCSIN_PORT (0.0.0.0 reached as 127.0.0.1, :: as ::1), else http://127.0.0.1:8080';

/** A running Tocsin and the API token to call it with. */
export interface ApiTarget {
  baseUrl: string;
  token: string;
}

/**
 * The server's address: TOCSIN_URL, else the address `tocsin serve` listens on with the same
 * TOCSIN_HOST / TOCSIN_PORT, else http://127.0.0.1:8080. A bad value is a one-line error.
 */
export function serverUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.TOCSIN_URL?.trim();
  if (url) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new CliError(`TOCSIN_URL is not a URL: "${url}" (write it like http://127.0.0.1:8080)`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new CliError(`TOCSIN_URL must start with http:// or https:// (it is "${url}")`);
    return url.replace(/\/+$/, '');
  }
  const host = env.TOCSIN_HOST?.trim() || '127.0.0.1';
  const portText = env.TOCSIN_PORT?.trim() || '8080';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    const why =
      port === 0
        ? 'TOCSIN_PORT=0 lets `serve` pick a free port; set TOCSIN_URL to the address it printed'
        : `TOCSIN_PORT must be a port number 1–65535 (it is "${portText}")`;
    throw new CliError(why);
  }
  return listenerUrl(host, port);
}

/** The target for `command`, which needs a token with `scope`; no token is a one-line error saying how to make one. */
export function apiTarget(o: { token?: string }, command: string, scope: TokenScope): ApiTarget {
  const token = o.token ?? process.env.TOCSIN_TOKEN;
  if (!token)
    throw new CliError(
      `${command} needs an API token with the ${scope} scope: --token or TOCSIN_TOKEN (create one with \`tocsin tokens create --email EMAIL --name NAME --scope ${scope}\`)`,
    );
  return { baseUrl: serverUrl(), token };
}

interface Problem {
  title?: string;
  detail?: string;
  errors?: { path: string; message: string }[];
}

/** A refusal from the server: one line for the terminal, the status and problem for callers that explain more. */
export class ApiCallError extends CliError {
  constructor(
    message: string,
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(message);
  }
}

/** Sends a request with the token; a server that cannot be reached is a one-line error. */
export async function apiFetch(
  t: ApiTarget,
  method: string,
  urlPath: string,
  init: { body?: string | Uint8Array<ArrayBuffer>; contentType?: string; timeoutMs?: number } = {},
): Promise<Response> {
  try {
    return await fetch(new URL(urlPath, t.baseUrl), {
      method,
      headers: {
        authorization: `Bearer ${t.token}`,
        ...(init.contentType ? { 'content-type': init.contentType } : {}),
      },
      body: init.body,
      signal: AbortSignal.timeout(init.timeoutMs ?? 60_000),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const why = e.name === 'TimeoutError' ? 'no answer in time' : (e.cause?.code ?? e.message);
    throw new CliError(`cannot reach Tocsin at ${t.baseUrl} (${why}); is it running? the CLI uses ${SERVER_HELP}`);
  }
}

/** The one-line error for a refused request; `scope` is what the command needs (named on 403). */
export async function refusal(
  res: Response,
  method: string,
  urlPath: string,
  scope?: TokenScope,
): Promise<ApiCallError> {
  const text = await res.text();
  let problem: Problem | null = null;
  try {
    problem = JSON.parse(text) as Problem;
  } catch {
    // not problem+json
  }
  const detail = problem?.detail ?? problem?.title ?? (text.slice(0, 200) || res.statusText);
  const fields = problem?.errors?.length
    ? ` (${problem.errors.map((e) => `${e.path || 'body'}: ${e.message}`).join('; ')})`
    : '';
  const where = `${method} ${urlPath.split('?')[0]}`;
  let message = `${where} answered ${res.status}: ${detail}${fields}`;
  if (res.status === 401)
    message = `the server refused the API token (${where} answered 401: ${detail}); is it revoked or expired? create one with \`tocsin tokens create\``;
  else if (res.status === 403 && scope)
    message = `${message}; this needs a token with the ${scope} scope (\`tocsin tokens create --scope ${scope}\`) whose user's role allows it`;
  return new ApiCallError(message, res.status, problem);
}

/** Calls the API with a JSON body (or none) and parses the JSON answer; any refusal is an ApiCallError. */
export async function apiCall<T>(
  t: ApiTarget,
  method: string,
  urlPath: string,
  body?: unknown,
  opts: { scope?: TokenScope; timeoutMs?: number } = {},
): Promise<T> {
  const res = await apiFetch(t, method, urlPath, {
    body: body === undefined ? undefined : JSON.stringify(body),
    contentType: body === undefined ? undefined : 'application/json',
    timeoutMs: opts.timeoutMs,
  });
  if (!res.ok) throw await refusal(res, method, urlPath, opts.scope);
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Every item of a paginated list (following `next`), at most `max`; `more` tells whether some were left. */
export async function listAll<T>(
  t: ApiTarget,
  urlPath: string,
  query: URLSearchParams,
  max: number,
  scope: TokenScope = 'read',
): Promise<{ items: T[]; more: boolean }> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const q = new URLSearchParams(query);
    q.set('limit', String(Math.min(200, max - items.length)));
    if (cursor) q.set('cursor', cursor);
    const page: { items: T[]; next: string | null } = await apiCall(t, 'GET', `${urlPath}?${q}`, undefined, { scope });
    items.push(...page.items);
    cursor = page.next;
  } while (cursor && items.length < max);
  return { items: items.slice(0, max), more: cursor !== null };
}
