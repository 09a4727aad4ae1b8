/** Errors that carry an HTTP meaning; the HTTP layer renders them as RFC 9457 problem+json. */

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  /** Response headers that go with the problem (Retry-After on a 429). */
  headers?: Record<string, string>;

  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail?: string,
    readonly errors?: FieldError[],
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
export function tooMany(detail: string, retryAfterSeconds?: number): AppError {
  const err = new AppError(429, 'too-many-requests', 'Too many requests', detail);
  if (retryAfterSeconds !== undefined) err.headers = { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) };
  return err;
}
