/**
 * The generic HTTP action: method, URL, headers and body are `{{ name }}` templates over the run's
 * parameters (shared/template.ts; values are JSON-escaped inside a JSON body), the answer's status must
 * be one of the expected ones, and with a signing key the request carries an HMAC-SHA256 signature:
 * `<signatureHeader>: sha256=<hex of HMAC(key, "<timestamp>.<body>")>` and `X-Tocsin-Timestamp: <unix seconds>`.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { renderTemplate, TemplateError, type TemplateValue } from '../../../../shared/template.js';
import { ActionFailure, type ActionDef, type ActionKindSpec } from '../action-kind.js';

const TEMPLATE = /\{\{[^{}]*\}\}/g;
const HeaderName = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'an HTTP header name');
const Aliases = z
  .array(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/))
  .max(20)
  .default([]);

const HttpConfig = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
  /** May hold templates in its path and query, not in its host. */
  url: z.string().refine((u) => {
    try {
      const parsed = new URL(u.replace(TEMPLATE, 'x'));
      return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && !u.split('/')[2]?.includes('{{');
    } catch {
      return false;
    }
  }, 'must be an http or https URL (templates only after the host)'),
  headers: z.record(HeaderName, z.string().max(2000)).default({}),
  body: z
    .string()
    .max(64 * 1024)
    .optional(),
  contentType: z.string().max(200).default('application/json'),
  expectedStatus: z.array(z.int().min(100).max(599)).min(1).max(20).default([200, 201, 202, 204]),
  signatureHeader: HeaderName.default('X-Tocsin-Signature'),
  /** A URL to GET for "test connection" (nothing is changed); none: the host is only resolved. */
  testUrl: z.url({ protocol: /^https?$/ }).optional(),
  timeoutMs: z.int().min(100).max(120_000).default(10_000),
  /** Retries after the first attempt (backoff between them). */
  retries: z.int().min(0).max(9).default(3),
  /** Plan action names (block_ip, ...) this connector also answers to. */
  actions: Aliases,
});
type HttpConfig = z.infer<typeof HttpConfig>;

const HttpSecrets = z.strictObject({
  /** Key of the HMAC-SHA256 signature (none: unsigned). */
  signingKey: z.string().min(1).max(4096).optional(),
  /** Headers whose values are secret (Authorization: Bearer ...). */
  headers: z.record(HeaderName, z.string().max(4096)).optional(),
});
type HttpSecrets = z.infer<typeof HttpSecrets>;

const Value = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.union([z.string(), z.number(), z.boolean()])),
]);
export const TemplateParameters = z.record(z.string(), Value);

const render = (text: string, values: Record<string, TemplateValue>, json = false) => {
  try {
    return renderTemplate(text, values, { json });
  } catch (err) {
    if (err instanceof TemplateError) throw new ActionFailure(err.message, false);
    throw err;
  }
};

const httpAction: ActionDef<HttpConfig, HttpSecrets, Record<string, TemplateValue>> = {
  name: 'http',
  parameters: TemplateParameters,
  async run(ctx, params) {
    const c = ctx.config;
    const json = /json/i.test(c.contentType);
    const body = c.body === undefined ? undefined : render(c.body, params, json);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(c.headers)) headers[k] = render(v, params);
    Object.assign(headers, ctx.secrets.headers ?? {});
    if (body !== undefined) headers['content-type'] = c.contentType;
    if (ctx.secrets.signingKey) {
      const ts = String(Math.floor(ctx.now() / 1000));
      headers['X-Tocsin-Timestamp'] = ts;
      headers[c.signatureHeader] = `sha256=${createHmac('sha256', ctx.secrets.signingKey)
        .update(`${ts}.${body ?? ''}`)
        .digest('hex')}`;
    }
    const url = render(c.url, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, encodeValue(v)])));
    const res = await ctx.send(
      { method: c.method, url, headers, body, timeoutMs: c.timeoutMs },
      { expect: c.expectedStatus },
    );
    return res === null ? null : { status: res.status };
  },
};

/** Values placed in a URL are percent-encoded. */
const encodeValue = (v: TemplateValue): TemplateValue =>
  Array.isArray(v) ? v.map((x) => encodeURIComponent(String(x))) : v === null ? null : encodeURIComponent(String(v));

export const httpKind: ActionKindSpec<HttpConfig, HttpSecrets> = {
  kind: 'http',
  purpose: 'action',
  title: { 'zh-CN': '通用 HTTP 动作', en: 'Generic HTTP action' },
  config: HttpConfig,
  secrets: HttpSecrets,
  hosts: (c) => [
    ...new Set(
      [c.url, c.testUrl]
        .filter((u): u is string => !!u)
        .map((u) => new URL(u.replace(TEMPLATE, 'x')).hostname.replace(/^\[|\]$/g, '')),
    ),
  ],
  aliases: (c) => c.actions,
  maxAttempts: (c) => c.retries + 1,
  async test(ctx) {
    const c = ctx.config;
    try {
      if (!c.testUrl) {
        const host = new URL(c.url.replace(TEMPLATE, 'x')).hostname.replace(/^\[|\]$/g, '');
        const r = await ctx.resolve(host);
        return {
          ok: true,
          detail: `${host} resolves to ${r.address} and is allowed (no test URL configured: nothing was called)`,
        };
      }
      const res = await ctx.http({
        method: 'GET',
        url: c.testUrl,
        headers: { ...(ctx.secrets.headers ?? {}) },
        timeoutMs: c.timeoutMs,
      });
      return { ok: res.status >= 200 && res.status < 300, detail: `GET ${c.testUrl} answered HTTP ${res.status}` };
    } catch (err) {
      return { ok: false, detail: (err as Error).message };
    }
  },
  actions: [httpAction],
};
