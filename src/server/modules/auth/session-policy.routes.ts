/** HTTP routes of the session policy (issue 17): view and change it, and sign-out everywhere. */
import { z } from 'zod';
import { SessionPolicy, SessionPolicyView, SessionsEnded } from '../../../shared/session-policy-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { forbidden } from '../../platform/errors.js';
import type { AuthService } from './auth.service.js';
import { SESSION_COOKIE } from './principal.js';
import type { SessionPolicyService } from './session-policy.service.js';

const IdParams = z.strictObject({ id: z.string().min(1).max(64) });

export function sessionPolicyRoutes(deps: {
  policy: SessionPolicyService;
  auth: AuthService;
  secureCookies: boolean;
}): AnyRoute[] {
  const { policy, auth } = deps;
  const cookieOpts = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: deps.secureCookies };
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/settings/session-policy',
      summary: 'The session policy: idle and absolute timeouts, single session, IP allow-lists, API token lifetime',
      tags: ['settings'],
      access: 'session_policy.read',
      response: { status: 200, schema: SessionPolicyView },
      handler: ({ req, principal }) => policy.view(principal, req.ip),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/settings/session-policy',
      summary:
        'Replace the session policy (audited with before and after); refused when the allow-list of your own way in leaves out your address',
      tags: ['settings'],
      access: 'session_policy.manage',
      body: SessionPolicy,
      response: { status: 200, schema: SessionPolicyView },
      handler: ({ req, principal, body }) => policy.update(principal, body, req.ip),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/me/sessions',
      summary: 'Sign out everywhere: end every session of yours, this one included',
      tags: ['session'],
      access: 'signed-in',
      response: { status: 200, schema: SessionsEnded },
      handler: async ({ reply, principal }) => {
        if (principal.via !== 'session')
          throw forbidden('signing out everywhere is done from a signed-in console session, not with an API token', {
            code: 'auth.session_only',
          });
        // Knowing the password is not enough to end the owner's sessions: the second factor first.
        if (principal.restrictedTo === 'mfa')
          throw forbidden('finish signing in with your second factor first', { code: 'auth.mfa_pending' });
        const ended = await auth.signOutEverywhere(principal);
        reply.clearCookie(SESSION_COOKIE, cookieOpts);
        return { ended };
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/users/:id/sessions',
      summary: 'Sign a person out everywhere (administrators): every one of their sessions ends; their API tokens stay',
      tags: ['users'],
      access: 'user.manage',
      params: IdParams,
      response: { status: 200, schema: SessionsEnded },
      handler: async ({ principal, params }) => ({ ended: await auth.signOutUser(principal, params.id) }),
    }),
  ] as AnyRoute[];
}
