/**
 * The JSON body parser of every route that takes JSON (all but the raw ones: events, metrics).
 * Fastify's own decodes the body as UTF-8 with replacement, so an invalid byte in a title became
 * U+FFFD and was stored; here the bytes are checked first and such a body is refused with 400.
 */
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../platform/errors.js';

/** 400: JSON text must be UTF-8 (RFC 8259); nothing was stored. */
export const notUtf8 = () =>
  new AppError(
    400,
    'malformed-json',
    'Malformed JSON',
    'the body is not valid UTF-8 (JSON text must be UTF-8): nothing was stored',
  );

/** Replaces the application/json parser with one that checks the bytes are UTF-8 before parsing. */
export function installJsonParser(app: FastifyInstance): void {
  // Fastify's parser, with its own handling of empty bodies and __proto__ / constructor keys.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  // application/scim+json: what SCIM clients send (RFC 7644 section 3.1), the same JSON.
  app.addContentTypeParser(['application/json', 'application/scim+json'], { parseAs: 'buffer' }, (req, body, done) => {
    const bytes = body as Buffer;
    if (!isUtf8(bytes)) {
      done(notUtf8(), undefined);
      return;
    }
    parseJson(req, bytes.toString('utf8'), done);
  });
}
