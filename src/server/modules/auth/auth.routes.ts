/** HTTP routes for sign-in, the session, MFA enrolment and API tokens. */
import { z } from 'zod';
import { page, Pagination } from '../../../shared/api-schemas.js';
import {
  ApiToken,
  ApiTokenCreate,
  ApiTokenCreated,
  LoginRequest,
  MfaCode,
  MfaEnrolment,
  SessionInfo,
} from '../../../shared/session-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { forbidden, unauthorized } from '../../platform/errors.js';
import type { AuthService } from './auth.service.js';
import { actorOf, can, SESSION_COOKIE } from './principal.js';
import type { Principal } from './principal.js';
import type { TokenService } from './token.service.js';

const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const TokenListQuery = Pagination.extend({ all: z.enum(['true', 'false']).optional() });
const tags = ['session'];

/**
 * The second factor belongs to a person at a console: an API token (even a read-only one) must not
 * enrol or confirm it, or it could lock the account's owner out; a session still owing its code may
 * do nothing but give it (403 like every other route, so the console does not think it is signed out).
 */
function assertConsoleSession(p: Principal, allowPendingMfa: boolean): void {
  if (p.via !== 'session')
    throw forbidden('the second factor is managed from a signed-in console session, not with an API token', {
      code: 'auth.session_only',
    });
  if (!allowPendingMfa && p.restrictedTo === 'mfa')
    throw forbidden('finish signing in with your second factor first', { code: 'auth.mfa_pending' });
}

export function authRoutes(deps: { auth: AuthService; tokens: TokenService; secureCookies: boolean }): AnyRoute[] {
  const { auth, tokens } = deps;
  const cookieOpts = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: deps.secureCookies };
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/session',
      summary: 'Sign in with email and password',
      tags,
      access: 'public',
      body: LoginRequest,
      response: { status: 200, schema: SessionInfo },
      handler: async ({ req, reply, body }) => {
        const { cookie, info } = await auth.login(body.email, body.password, req.ip);
        reply.setCookie(SESSION_COOKIE, cookie, { ...cookieOpts, expires: new Date(info.expiresAt) });
        return info;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/session',
      summary: 'The current session',
      tags,
      access: 'signed-in',
      response: { status: 200, schema: SessionInfo },
      handler: async ({ principal }) => {
        if (!principal.session) throw unauthorized('API tokens have no session', { code: 'auth.no_session' });
        return principal.session;
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/session',
      summary: 'Sign out',
      tags,
      access: 'signed-in',
      response: { status: 204 },
      handler: async ({ reply, principal }) => {
        await auth.logout(principal);
        reply.clearCookie(SESSION_COOKIE, cookieOpts);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/session/mfa',
      summary: 'Second sign-in step: a TOTP code',
      tags,
      access: 'signed-in',
      body: MfaCode,
      response: { status: 200, schema: SessionInfo },
      handler: ({ req, principal, body }) => {
        assertConsoleSession(principal, true);
        return auth.verifyMfa(principal, body.code, req.ip);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/me/mfa/enrol',
      summary: 'Start TOTP enrolment',
      tags,
      access: 'signed-in',
      response: { status: 200, schema: MfaEnrolment },
      handler: async ({ principal }) => {
        assertConsoleSession(principal, false);
        return auth.enrolMfa(principal);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/me/mfa/verify',
      summary: 'Confirm TOTP enrolment with a code',
      tags,
      access: 'signed-in',
      body: MfaCode,
      response: { status: 204 },
      handler: async ({ principal, body }) => {
        assertConsoleSession(principal, false);
        await auth.confirmMfa(principal, body.code);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/tokens',
      summary: 'API tokens (your own; admins may pass all=true)',
      tags: ['tokens'],
      access: 'token.own',
      query: TokenListQuery,
      response: { status: 200, schema: page(ApiToken) },
      handler: ({ principal, query }) =>
        tokens.list(
          query.all === 'true' && can(principal, 'token.manage') ? undefined : principal.user.id,
          query.cursor,
          query.limit,
        ),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/tokens',
      summary: 'Create an API token for yourself (shown once)',
      tags: ['tokens'],
      access: 'token.own',
      body: ApiTokenCreate,
      response: { status: 201, schema: ApiTokenCreated },
      handler: ({ principal, body }) =>
        tokens.create(actorOf(principal), principal.user.id, {
          name: body.name,
          scopes: body.scopes,
          expiresAt: body.expiresAt ? Date.parse(body.expiresAt) : undefined,
        }),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/tokens/:id',
      summary: 'Revoke an API token',
      tags: ['tokens'],
      access: 'token.own',
      params: IdParams,
      response: { status: 204 },
      handler: ({ principal, params }) =>
        tokens.revoke(actorOf(principal), params.id, can(principal, 'token.manage') ? undefined : principal.user.id),
    }),
  ] as AnyRoute[];
}
