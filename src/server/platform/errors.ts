/** Errors that carry an HTTP meaning; the HTTP layer renders them as RFC 9457 problem+json. */

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail?: string,
    readonly errors?: FieldError[],
    /** Response headers that go with it (`Retry-After` on a 503, say). */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(detail ?? title);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError(404, 'not-found', 'Not found', `${what} was not found`);
export const conflict = (detail: string) => new AppError(409, 'conflict', 'Conflict', detail);
export const forbidden = (detail = 'You do not have permission to do this') =>
  new AppError(403, 'forbidden', 'Forbidden', detail);
export const unauthorized = (detail = 'Sign in first') => new AppError(401, 'unauthorized', 'Unauthorized', detail);
export const invalid = (detail: string, errors?: FieldError[]) =>
  new AppError(422, 'validation', 'Invalid request', detail, errors);
export const tooMany = (detail: string) => new AppError(429, 'too-many-requests', 'Too many requests', detail);
/** 413: more than the server takes in one request, however often it is sent; the detail names the limit. */
export const tooLarge = (detail: string, code = 'too-large') => new AppError(413, code, 'Payload too large', detail);
/** 503 with `Retry-After` (whole seconds, at least 1): a real, passing overload; the same request will be taken later. */
export const unavailable = (detail: string, retryAfterS: number, code = 'overloaded', title = 'Service busy') =>
  new AppError(503, code, title, detail, undefined, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterS))) });
