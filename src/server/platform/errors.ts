/** Errors that carry an HTTP meaning; the HTTP layer renders them as RFC 9457 problem+json. */
import { isProblemCode, type FieldCode, type ProblemCode, type ProblemParams } from '../../shared/problem-codes.js';

export interface FieldError {
  path: string;
  message: string;
  /** Stable code of the failure (zod's issue code, or one of ours), for clients to word it. */
  code?: FieldCode;
  params?: ProblemParams;
}

/** A problem's stable code and the values its message is worded with (see shared/problem-codes.ts). */
export interface ProblemInfo {
  code: ProblemCode;
  params?: ProblemParams;
}

export class AppError extends Error {
  /** Stable code: the one given, else the generic code of the problem type (`not-found` -> `not_found`). */
  readonly code: ProblemCode;
  readonly params: ProblemParams | undefined;

  constructor(
    readonly status: number,
    /** The problem type's slug (`about:blank#<type>`). */
    readonly type: string,
    readonly title: string,
    detail?: string,
    readonly errors?: FieldError[],
    /** Response headers that go with it (`Retry-After` on a 503, say). */
    readonly headers?: Readonly<Record<string, string>>,
    problem?: ProblemInfo,
  ) {
    super(detail ?? title);
    this.name = 'AppError';
    const generic = type.replace(/-/g, '_');
    this.code = problem?.code ?? (isProblemCode(generic) ? generic : status >= 500 ? 'internal' : 'bad_request');
    this.params = problem?.params;
  }
}

export const notFound = (what: string, problem?: ProblemInfo) =>
  new AppError(404, 'not-found', 'Not found', `${what} was not found`, undefined, undefined, problem);
export const conflict = (detail: string, problem?: ProblemInfo) =>
  new AppError(409, 'conflict', 'Conflict', detail, undefined, undefined, problem);
export const forbidden = (detail = 'You do not have permission to do this', problem?: ProblemInfo) =>
  new AppError(403, 'forbidden', 'Forbidden', detail, undefined, undefined, problem);
export const unauthorized = (detail = 'Sign in first', problem?: ProblemInfo) =>
  new AppError(401, 'unauthorized', 'Unauthorized', detail, undefined, undefined, problem);
export const invalid = (detail: string, errors?: FieldError[], problem?: ProblemInfo) =>
  new AppError(422, 'validation', 'Invalid request', detail, errors, undefined, problem);
/** 429, with `Retry-After` (whole seconds, at least 1) when the wait is known. */
export const tooMany = (detail: string, retryAfterSeconds?: number, problem?: ProblemInfo) =>
  new AppError(
    429,
    'too-many-requests',
    'Too many requests',
    detail,
    undefined,
    retryAfterSeconds === undefined ? undefined : { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    problem,
  );
/** 403 for a role or token that lacks `permission`. */
export const denied = (role: string, permission: string, detail = `your role (${role}) may not ${permission}`) =>
  forbidden(detail, { code: 'permission.denied', params: { role, permission } });
/** 413: more than the server takes in one request, however often it is sent; the detail names the limit. */
export const tooLarge = (detail: string, type = 'too-large', problem?: ProblemInfo) =>
  new AppError(413, type, 'Payload too large', detail, undefined, undefined, problem);
/** 503 with `Retry-After` (whole seconds, at least 1): a real, passing overload; the same request will be taken later. */
export const unavailable = (
  detail: string,
  retryAfterS: number,
  type = 'overloaded',
  title = 'Service busy',
  problem?: ProblemInfo,
) =>
  new AppError(
    503,
    type,
    title,
    detail,
    undefined,
    { 'retry-after': String(Math.max(1, Math.ceil(retryAfterS))) },
    problem,
  );
