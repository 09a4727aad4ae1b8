/** Resolves the caller (session cookie or bearer token) and enforces CSRF on cookie-authenticated writes. */
import type {} from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import { safeEqual } from '../platform/crypto.js';
import { AppError, unauthorized } from '../platform/errors.js';
import { SESSION_COOKIE, type AuthService, type TokenService } from '../modules/auth/index.js';

export { SESSION_COOKIE };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function installAuth(app: FastifyInstance, deps: { auth: AuthService; tokens: TokenService }): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/') && !req.url.startsWith('/taxii2/') && !req.url.startsWith('/scim/')) return;
    const header = req.headers.authorization;
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      const principal = m ? await deps.tokens.resolve(m[1]!, req.ip) : null;
      if (!principal)
        throw unauthorized('the API token is unknown, revoked or expired', { code: 'auth.token_invalid' });
      req.principal = principal;
      return;
    }
    const cookie = req.cookies[SESSION_COOKIE];
    // Signing in needs no earlier session: a stale cookie must not turn the login into a CSRF failure.
    if (!cookie || (req.method === 'POST' && req.url.split('?')[0] === '/api/v1/session')) return;
    const principal = await deps.auth.resolveSession(cookie, req.ip);
    if (!principal) return; // expired or unknown: treated as signed out
    if (!SAFE_METHODS.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, principal.csrfToken!)) {
        throw new AppError(
          403,
          'csrf',
          'CSRF token missing or wrong',
          'send the X-CSRF-Token header from your session',
          undefined,
          undefined,
          { code: 'auth.csrf' },
        );
      }
    }
    req.principal = principal;
  });
}
