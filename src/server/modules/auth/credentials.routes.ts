/** HTTP routes for passwords (own change, administrator reset) and the sign-in throttle of an account. */
import { z } from 'zod';
import { PasswordChange, PasswordReset, PasswordResetResult, SignInState } from '../../../shared/auth-schemas.js';
import { SessionInfo } from '../../../shared/session-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { forbidden } from '../../platform/errors.js';
import type { AuthService } from './auth.service.js';
import type { CredentialsService } from './credentials.service.js';
import { actorOf } from './principal.js';

const IdParams = z.strictObject({ id: z.string().min(1).max(64) });

export function credentialsRoutes(deps: { credentials: CredentialsService; auth: AuthService }): AnyRoute[] {
  const { credentials, auth } = deps;
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/me/password',
      summary: 'Change your own password (the current one is needed); your other sessions end',
      tags: ['session'],
      access: 'signed-in',
      body: PasswordChange,
      response: { status: 200, schema: SessionInfo },
      handler: async ({ req, principal, body }) => {
        if (principal.restrictedTo === 'mfa')
          throw forbidden('finish signing in with your second factor first', { code: 'auth.mfa_pending' });
        await credentials.change(principal, body, req.ip);
        // The same session, now without the restriction.
        return (await auth.sessionInfo(principal.sessionId!)) ?? principal.session;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/users/:id/password',
      summary:
        "Reset a user's password: a generated one-time password (shown once) or a given one, to be changed at the next sign-in; their sessions end",
      tags: ['users'],
      access: 'user.manage',
      params: IdParams,
      body: PasswordReset,
      response: { status: 200, schema: PasswordResetResult },
      handler: ({ principal, params, body }) => credentials.reset(actorOf(principal), params.id, body.password),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/users/:id/sign-in',
      summary: "A user's sign-in throttle: failures and waits per address, and the account-wide budget",
      tags: ['users'],
      access: 'user.manage',
      params: IdParams,
      response: { status: 200, schema: SignInState },
      handler: ({ params }) => credentials.signInState(params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/users/:id/unlock',
      summary: "Clear a user's sign-in throttle (every address starts afresh and passes the budgets for an hour)",
      tags: ['users'],
      access: 'user.manage',
      params: IdParams,
      response: { status: 200, schema: SignInState },
      handler: ({ principal, params }) => credentials.unlock(actorOf(principal), params.id),
    }),
  ] as AnyRoute[];
}
