/** What the typed kinds (trading core, EDR, firewall) share: their configuration, secrets, and reading answers. */
import { z } from 'zod';
import { ActionFailure } from '../action-kind.js';
import type { OutboundResponse } from '../connector-kind.js';

export const BaseUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
  .transform((u) => u.replace(/\/+$/, ''));

/** A typed kind's settings: where it is, how long a request may take, how often a run is tried. */
export const TypedConfig = z.strictObject({
  baseUrl: BaseUrl,
  timeoutMs: z.int().min(100).max(120_000).default(10_000),
  maxAttempts: z.int().min(1).max(10).default(4),
});
export type TypedConfig = z.infer<typeof TypedConfig>;

/** The API key, sent as `x-api-key` (optional: the sandbox does not ask for one). */
export const ApiKeySecrets = z.strictObject({ apiKey: z.string().min(1).max(4096).optional() });
export type ApiKeySecrets = z.infer<typeof ApiKeySecrets>;

export const hostOf = (c: TypedConfig) => [new URL(c.baseUrl).hostname.replace(/^\[|\]$/g, '')];

/** A JSON request to the kind's base URL with its API key. */
export function jsonRequest(
  c: TypedConfig,
  s: ApiKeySecrets,
  method: string,
  path: string,
  body?: unknown,
): { method: string; url: string; headers: Record<string, string>; body?: string; timeoutMs: number } {
  return {
    method,
    url: c.baseUrl + path,
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(s.apiKey ? { 'x-api-key': s.apiKey } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    timeoutMs: c.timeoutMs,
  };
}

/** The JSON body of an answer; a body that is not JSON is a garbage answer (a retry may help). */
export function answerJson(res: OutboundResponse | null): Record<string, unknown> | null {
  if (res === null) return null;
  try {
    const v = JSON.parse(res.body) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // falls through
  }
  throw new ActionFailure(`garbage answer (HTTP ${res.status}, not a JSON object)`, true);
}

/** One value or several: a list, or text with values separated by commas or spaces (a rendered template). */
export const OneOrMany = (item: z.ZodString, what: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => [...new Set((Array.isArray(v) ? v : [v]).flatMap((x) => x.split(/[\s,]+/)).filter(Boolean))])
    .pipe(z.array(item).min(1, `at least one ${what}`).max(500));

export const Account = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'an account id: letters, digits, "-" or "_"');

/** An optional free-text reason. */
export const Reason = z.string().max(500).optional();

export const seg = encodeURIComponent;

/** The test of a typed kind: a GET that changes nothing. */
export async function testGet(
  ctx: {
    http(r: ReturnType<typeof jsonRequest>): Promise<OutboundResponse>;
    config: TypedConfig;
    secrets: ApiKeySecrets;
  },
  path: string,
  what: (body: Record<string, unknown>) => string,
): Promise<{ ok: boolean; detail: string }> {
  try {
    const res = await ctx.http(jsonRequest(ctx.config, ctx.secrets, 'GET', path));
    if (res.status < 200 || res.status > 299) return { ok: false, detail: `GET ${path} answered HTTP ${res.status}` };
    return { ok: true, detail: what(answerJson(res) ?? {}) };
  } catch (err) {
    return { ok: false, detail: `GET ${path} failed: ${(err as Error).message}` };
  }
}
