/**
 * Errors on /scim/ routes in the SCIM error schema (RFC 7644 section 3.12), which SCIM clients read,
 * instead of problem+json: `{ schemas: [Error], status: "400", scimType?, detail }`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SCIM_ERROR_SCHEMA, SCIM_MEDIA_TYPE, SCIM_TYPES, type ScimType } from '../../shared/scim-schemas.js';
import { AppError } from '../platform/errors.js';
import { toProblem } from './problem.js';

export const isScimUrl = (url: string) => url === '/scim' || url.startsWith('/scim/');

function scimTypeOf(err: unknown, status: number, code: string): ScimType | undefined {
  const given = err instanceof AppError ? err.params?.scimType : undefined;
  if (typeof given === 'string' && (SCIM_TYPES as readonly string[]).includes(given)) return given as ScimType;
  if (code === 'malformed_json' || code === 'malformed_body') return 'invalidSyntax';
  if (code === 'validation') return 'invalidValue';
  if (status === 409) return 'uniqueness';
  return undefined;
}

/** The SCIM error body for `err`: a 422 of a service becomes 400 invalidValue, as SCIM has no 422. */
export function toScimError(err: unknown): { status: number; body: Record<string, unknown> } {
  const p = toProblem(err);
  const status = p.status === 422 ? 400 : p.status;
  const scimType = scimTypeOf(err, status, p.code);
  const fields = p.errors?.length ? `: ${p.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}` : '';
  const detail = p.code === 'validation' && p.errors?.length ? `invalid request${fields}` : (p.detail ?? p.title);
  return {
    status,
    body: { schemas: [SCIM_ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail },
  };
}

export function sendScimError(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, body } = toScimError(err);
  if (status >= 500) req.log.error({ err }, 'SCIM request failed');
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="tocsin-scim"');
  return reply
    .code(status)
    .header('content-type', SCIM_MEDIA_TYPE)
    .send(Buffer.from(JSON.stringify(body)));
}

export const scimNotFound = (req: FastifyRequest) =>
  new AppError(404, 'not-found', 'Not found', `no SCIM resource ${req.method} ${req.url.split('?')[0]}`);
