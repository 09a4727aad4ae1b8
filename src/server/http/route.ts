/** Declarative routes: one definition gives validation, authorization, OpenAPI and the route-walk test. */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { z } from 'zod';
import type { Permission } from '../../shared/permissions.js';
import type { ProblemParams } from '../../shared/problem-codes.js';
import { hasLoneSurrogate } from '../../shared/text.js';
import { AppError, forbidden, unauthorized, type FieldError } from '../platform/errors.js';
import { multipartLib } from '../platform/heavy-libs.js';
import { can, type Principal } from '../modules/auth/index.js';

/** `public`: anyone; `signed-in`: any principal, even one still owing MFA; else a permission. */
export type Access = 'public' | 'signed-in' | Permission;

export interface RouteDef<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  summary: string;
  tags: string[];
  access: Access;
  body?: B;
  query?: Q;
  params?: P;
  /** Status and schema of the success response, for OpenAPI. */
  response?: { status: number; schema?: z.ZodType; contentType?: string };
  /**
   * The body arrives unparsed, as a Buffer in `req.body` (any content type, up to `bodyLimit` bytes),
   * for the handler to read itself; `content` describes it in OpenAPI (media type -> schema). With
   * `multipart`, a multipart/form-data body is not read at all: the handler streams it (`req.parts()`,
   * @fastify/multipart) within those limits.
   */
  raw?: {
    bodyLimit: number;
    content: Record<string, z.ZodType | undefined>;
    multipart?: { files: number; fileSize: number };
  };
  handler: (ctx: {
    req: FastifyRequest;
    reply: FastifyReply;
    principal: Principal;
    body: z.infer<B>;
    query: z.infer<Q>;
    params: z.infer<P>;
  }) => Promise<unknown>;
}

export type AnyRoute = RouteDef<z.ZodType, z.ZodType, z.ZodType>;

/** Every route registered through `defineRoutes`, for OpenAPI and the permission walk. */
export const routeRegistry: AnyRoute[] = [];

const joinPath = (parts: unknown[]) => parts.map(String).filter(Boolean).join('.');

/** The values zod words an issue with, kept as params of the field error (numbers and short text only). */
function issueParams(i: z.core.$ZodIssue): ProblemParams | undefined {
  switch (i.code) {
    case 'too_small':
      return { minimum: Number(i.minimum), origin: i.origin };
    case 'too_big':
      return { maximum: Number(i.maximum), origin: i.origin };
    case 'invalid_type':
      return { expected: i.expected };
    case 'invalid_format':
      return { format: i.format };
    case 'invalid_value':
      return { values: i.values.map(String).join(', ').slice(0, 500) };
    case 'not_multiple_of':
      return { divisor: Number(i.divisor) };
    default:
      return undefined;
  }
}

/** One error per failing field, with zod's issue code and params; an unknown key is named by its own path, not its parent's. */
export function fieldErrors(err: z.ZodError, prefix: string): FieldError[] {
  return err.issues.flatMap((i): FieldError[] =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({
          path: joinPath([prefix, ...i.path, k]),
          message: `unknown field "${k}"`,
          code: 'unrecognized_keys',
          params: { key: k },
        }))
      : [{ path: joinPath([prefix, ...i.path]), message: i.message, code: i.code, params: issueParams(i) }],
  );
}

/**
 * Paths of strings that are not storable text, alike on both stores: U+0000 (PostgreSQL cannot keep
 * it in text) and lone surrogates (`"\ud800"` in JSON: not Unicode; the drivers would store U+FFFD
 * instead, silently). Field names are checked too.
 */
function badTextPaths(value: unknown, path: string[], out: FieldError[]): FieldError[] {
  if (typeof value === 'string') {
    if (value.includes('\u0000'))
      out.push({ path: joinPath(path), message: 'contains a NUL character', code: 'nul_character' });
    if (hasLoneSurrogate(value))
      out.push({ path: joinPath(path), message: LONE_SURROGATE_MESSAGE, code: 'lone_surrogate' });
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) badTextPaths(v, [...path, String(i)], out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (hasLoneSurrogate(k))
        out.push({
          path: joinPath([...path, k]),
          message: `the field name ${LONE_SURROGATE_MESSAGE}`,
          code: 'lone_surrogate',
        });
      badTextPaths(v, [...path, k], out);
    }
  }
  return out;
}

const LONE_SURROGATE_MESSAGE =
  'contains a lone UTF-16 surrogate (an unpaired \\ud800–\\udfff escape), which is not Unicode text';

function invalidRequest(where: string, errors: FieldError[]): AppError {
  return new AppError(
    400,
    'validation',
    'Invalid request',
    `the request ${where} is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    errors,
    undefined,
    { code: 'validation' },
  );
}

function parse<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string): z.infer<T> {
  if (!schema) return undefined as z.infer<T>;
  const r = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!r.success) throw invalidRequest(where, fieldErrors(r.error, where));
  const bad = badTextPaths(r.data, [where], []);
  if (bad.length) throw invalidRequest(where, bad);
  return r.data;
}

/** Checks who may call the route; returns the principal (an anonymous one for public routes). */
function authorize(req: FastifyRequest, access: Access): Principal {
  const p = req.principal;
  if (access === 'public') return p as Principal;
  if (!p) throw unauthorized();
  if (access === 'signed-in') return p;
  if (p.restrictedTo === 'mfa')
    throw forbidden('finish signing in with your second factor first', { code: 'auth.mfa_pending' });
  if (p.restrictedTo === 'password')
    throw forbidden('change your password first (POST /api/v1/me/password)', { code: 'auth.password_change_required' });
  if (p.restrictedTo === 'enrol')
    throw forbidden('enrol a second factor first (required for your role)', { code: 'auth.mfa_enrolment_required' });
  if (!can(p, access)) {
    const params = { role: p.user.role, permission: access };
    throw p.scopes && !p.scopes.includes('admin')
      ? forbidden(`this token's scopes or your role (${p.user.role}) do not allow ${access}`, {
          code: 'permission.token_scope',
          params,
        })
      : forbidden(`your role (${p.user.role}) may not ${access}`, { code: 'permission.denied', params });
  }
  return p;
}

export function defineRoute<
  B extends z.ZodType = z.ZodUndefined,
  Q extends z.ZodType = z.ZodUndefined,
  P extends z.ZodType = z.ZodUndefined,
>(def: RouteDef<B, Q, P>): RouteDef<B, Q, P> {
  return def;
}

/** Registers routes on the app (and in the registry). */
export function registerRoutes(app: FastifyInstance, routes: AnyRoute[]): void {
  for (const def of routes) {
    routeRegistry.push(def);
    const options: RouteOptions = {
      method: def.method,
      url: def.url,
      handler: async (req, reply) => {
        const principal = authorize(req, def.access);
        const params = parse(def.params, req.params, 'params');
        const query = parse(def.query, req.query, 'query');
        const body = parse(def.body, req.body, 'body');
        const result = await def.handler({ req, reply, principal, body, query, params });
        if (reply.sent) return reply;
        if (def.response?.status) reply.code(def.response.status);
        if (result === undefined) return reply.code(def.response?.status ?? 204).send();
        return result;
      },
    };
    const raw = def.raw;
    if (!raw) {
      app.route(options);
      continue;
    }
    // Body parsers belong to an encapsulation context: in its own, this route reads raw bytes up to
    // its own limit, and every other route keeps the JSON parser and the application's body limit.
    void app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      if (raw.multipart)
        await scope.register(await multipartLib(), {
          throwFileSizeLimit: true,
          limits: {
            files: raw.multipart.files,
            fileSize: raw.multipart.fileSize,
            fields: 20,
            fieldSize: 16 * 1024,
            parts: raw.multipart.files + 20,
          },
        });
      else
        scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: raw.bodyLimit }, (_req, body, done) =>
          done(null, body),
        );
      scope.route({ ...options, bodyLimit: raw.bodyLimit });
    });
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}
