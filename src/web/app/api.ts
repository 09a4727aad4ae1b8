/** The console's one fetch wrapper: JSON in and out, CSRF header on writes, problem+json errors, 401 → login. */
import type { Problem } from './types.js';

export const API = '/api/v1';

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** Remember the CSRF token of the current session (sent on every non-GET request). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The current session's CSRF token (for a request sent outside `api()`, an upload with progress). */
export const currentCsrfToken = (): string | null => csrfToken;

/** Register what happens when the server says the session is gone (the console shows the login). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

/** An HTTP error carrying the server's RFC 9457 problem document. */
export class ApiError extends Error {
  readonly problem: Problem;
  readonly status: number;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.problem = problem;
    this.status = problem.status;
  }
}

export interface ApiOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  /** Don't treat 401 as "session gone" (login and MFA steps answer 401 for a wrong password or code). */
  authAttempt?: boolean;
  signal?: AbortSignal;
  /** Bytes to send as they are (a file upload) instead of a JSON body. */
  raw?: { body: Blob; contentType: string };
  /** Files as multipart/form-data: no Content-Type is set here, the browser writes it with its boundary. */
  form?: FormData;
}

/** Build a query string from defined, non-empty values. */
export function qs(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

async function toProblem(res: Response): Promise<Problem> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await res.json()) as Partial<Problem>;
      return {
        type: body.type ?? 'about:blank',
        title: body.title ?? res.statusText,
        status: body.status ?? res.status,
        code: typeof body.code === 'string' ? body.code : undefined,
        params: body.params,
        detail: body.detail,
        errors: body.errors,
      };
    } catch {
      // fall through to a generic problem
    }
  }
  return { type: 'about:blank', title: res.statusText || `HTTP ${res.status}`, status: res.status };
}

/** Call the API; resolves with the parsed JSON body (undefined for 204) or rejects with an ApiError. */
export async function api<T>(path: string, opts: ApiOptions = {}): Promise<T> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.raw) headers['Content-Type'] = opts.raw.contentType;
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(`${API}${path}`, {
      method,
      headers,
      body: opts.form ?? (opts.raw ? opts.raw.body : opts.body === undefined ? undefined : JSON.stringify(opts.body)),
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError({ type: 'tocsin:network', title: 'network', status: 0 });
  }

  if (!res.ok) {
    const problem = await toProblem(res);
    if (res.status === 401 && !opts.authAttempt) onUnauthorized?.();
    throw new ApiError(problem);
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}
