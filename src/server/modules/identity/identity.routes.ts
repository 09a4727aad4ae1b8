/** Routes of sign-in through the firm's directory: the options, OIDC redirect and callback, LDAP sign-in, who signs in how. */
import { z } from 'zod';
import { SignInMethod, SecurityNotice, LdapLoginRequest, SignInOptions } from '../../../shared/identity-schemas.js';
import { SessionInfo } from '../../../shared/session-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { AppError } from '../../platform/errors.js';
import { SESSION_COOKIE } from '../auth/index.js';
import type { DirectorySignIn } from './identity-signin.js';
import type { IdentityService } from './identity.service.js';

const OIDC_COOKIE = 'tocsin_oidc';
const ProviderParams = z.strictObject({ provider: z.string().min(1).max(64) });
const tags = ['session'];

export function identityRoutes(deps: {
  identity: IdentityService;
  signIn: DirectorySignIn;
  secureCookies: boolean;
}): AnyRoute[] {
  const { identity, signIn } = deps;
  const sessionCookie = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: deps.secureCookies };
  // Lax: the provider's redirect back is a cross-site navigation, and this cookie must come with it.
  const oidcCookie = { path: '/auth/oidc', httpOnly: true, sameSite: 'lax' as const, secure: deps.secureCookies };
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/auth/options',
      summary: 'How one may sign in: the directories configured (no secrets)',
      tags,
      access: 'public',
      response: { status: 200, schema: SignInOptions },
      handler: async () => identity.options(),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/ldap',
      summary: 'Sign in with a directory (LDAP / Active Directory) name and password',
      tags,
      access: 'public',
      body: LdapLoginRequest,
      response: { status: 200, schema: SessionInfo },
      handler: async ({ req, reply, body }) => {
        const { cookie, info } = await signIn.ldapSignIn(body.provider, body.username, body.password, req.ip);
        reply.setCookie(SESSION_COOKIE, cookie, { ...sessionCookie, expires: new Date(info.expiresAt) });
        return info;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/auth/oidc/:provider/start',
      summary: 'Start signing in at an OIDC provider (redirects there)',
      tags,
      access: 'public',
      params: ProviderParams,
      response: { status: 302 },
      handler: async ({ reply, params }) => {
        const { url, browserToken } = await signIn.oidcStart(params.provider);
        reply.setCookie(OIDC_COOKIE, browserToken, { ...oidcCookie, maxAge: 600 });
        return reply.redirect(url, 302);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/auth/oidc/:provider/callback',
      summary: 'Where the OIDC provider sends the browser back (redirects to the console)',
      tags,
      access: 'public',
      params: ProviderParams,
      query: z.looseObject({}),
      response: { status: 302 },
      handler: async ({ req, reply, params }) => {
        const rawQuery = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
        const browserToken = req.cookies[OIDC_COOKIE];
        reply.clearCookie(OIDC_COOKIE, oidcCookie);
        try {
          const { cookie, info } = await signIn.oidcCallback(params.provider, rawQuery, browserToken);
          reply.setCookie(SESSION_COOKIE, cookie, { ...sessionCookie, expires: new Date(info.expiresAt) });
          return reply.redirect('/', 302);
        } catch (err) {
          // A person at a browser: back to the sign-in page, which says why (never a provider's URL: no open redirect).
          if (err instanceof AppError) return reply.redirect(`/?signInError=${encodeURIComponent(err.code)}`, 302);
          throw err;
        }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/auth/sign-in-methods',
      summary: 'Who can sign in how: each account, its method, break-glass flag and last sign-in',
      tags,
      access: 'user.manage',
      response: { status: 200, schema: z.object({ items: z.array(SignInMethod) }) },
      handler: async () => ({ items: await identity.signInMethods() }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/auth/security-notices',
      summary: 'Your security notices (break-glass sign-ins), newest first',
      tags,
      access: 'user.manage',
      response: { status: 200, schema: z.object({ items: z.array(SecurityNotice) }) },
      handler: async ({ principal }) => ({ items: await identity.notices(principal.user.id) }),
    }),
  ] as AnyRoute[];
}
