/** Renders every error as RFC 9457 problem+json; nothing else (no stack trace) leaves the server. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ProblemCode, ProblemParams } from '../../shared/problem-codes.js';
import { AppError, type FieldError } from '../platform/errors.js';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  /** Stable code (shared/problem-codes.ts) and the values its message is worded with. */
  code: ProblemCode;
  params?: ProblemParams;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
}

const fastifyProblem = (err: FastifyError): ProblemBody | null => {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        type: 'about:blank#malformed-json',
        title: 'Malformed JSON',
        status: 400,
        code: 'malformed_json',
        detail: `the request body is not valid JSON: ${err.message}`,
      };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        type: 'about:blank#too-large',
        title: 'Payload too large',
        status: 413,
        code: 'too_large',
        detail: 'the request body is larger than this server accepts',
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        type: 'about:blank#unsupported-media-type',
        title: 'Unsupported media type',
        status: 415,
        code: 'unsupported_media_type',
        detail: 'send application/json',
      };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return {
        type: 'about:blank#bad-request',
        title: 'Bad request',
        status: 400,
        code: 'bad_request',
        detail: 'Content-Length does not match the body',
      };
    default:
      if (err.statusCode === 429)
        return {
          type: 'about:blank#too-many-requests',
          title: 'Too many requests',
          status: 429,
          code: 'too_many_requests',
          detail: err.message,
        };
      if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
        return {
          type: 'about:blank#bad-request',
          title: 'Bad request',
          status: err.statusCode,
          code: 'bad_request',
          detail: err.message,
        };
      }
      return null;
  }
};

export function toProblem(err: unknown): ProblemBody {
  if (err instanceof AppError) {
    return {
      type: `about:blank#${err.type}`,
      title: err.title,
      status: err.status,
      code: err.code,
      params: err.params,
      detail: err.message,
      errors: err.errors,
    };
  }
  const mapped = fastifyProblem(err as FastifyError);
  if (mapped) return mapped;
  return {
    type: 'about:blank#internal',
    title: 'Internal server error',
    status: 500,
    code: 'internal',
    detail: 'something went wrong on the server; it has been logged',
  };
}

/** Sends `err` as problem+json (logging it when it is the server's fault). */
export function sendProblem(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = toProblem(err);
  // An overload (503 with Retry-After) is expected and answered; only the server's own faults are logged as errors.
  if (problem.status >= 500 && !(err instanceof AppError && err.status === 503))
    req.log.error({ err }, 'request failed');
  if (err instanceof AppError && err.headers) reply.headers(err.headers);
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .send({ ...problem, instance: req.url.split('?')[0] });
}

export function installProblemHandlers(
  app: FastifyInstance,
  send: (err: unknown, req: FastifyRequest, reply: FastifyReply) => FastifyReply = sendProblem,
): void {
  app.setErrorHandler((err, req, reply) => send(err, req, reply));
}
