/**
 * The two ways in through a directory: the OIDC redirect (start: state, nonce and PKCE verifier kept in
 * the store, bound to the browser by a cookie; callback: all three checked, the state good once) and
 * the LDAP username/password form (throttled like passwords: the same counters, keyed by provider and name).
 */
import type { Config } from '../../platform/config.js';
import { randomToken, sha256Hex } from '../../platform/crypto.js';
import type { Store } from '../../platform/db/connect.js';
import { AppError, unauthorized } from '../../platform/errors.js';
import type { Clock } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import type { Throttle } from '../auth/index.js';
import { directoryFailed, type IdentityService } from './identity.service.js';
import { insertOidcLogin, takeOidcLogin } from './identity.repository.js';
import { DirectoryUnavailable, ldapAuthenticate } from './ldap.js';
import { ProviderFailed, type OidcClient } from './oidc.js';

const LOGIN_TTL_MS = 10 * 60_000;

export function createDirectorySignIn(deps: {
  store: Store;
  audit: AuditService;
  clock: Clock;
  config: Pick<Config, 'publicUrl'>;
  identity: IdentityService;
  oidc: OidcClient;
  throttle: Throttle;
}) {
  const { store, audit, clock, config, identity, oidc, throttle } = deps;
  /** Fixed from TOCSIN_PUBLIC_URL: never taken from the request. */
  const redirectUri = (id: string) => `${config.publicUrl}/auth/oidc/${id}/callback`;

  return {
    /** Where to send the browser, and the cookie that binds the sign-in to it. */
    async oidcStart(providerId: string): Promise<{ url: string; browserToken: string }> {
      const p = identity.provider(providerId, 'oidc');
      let flow: Awaited<ReturnType<OidcClient['start']>>;
      try {
        flow = await oidc.start(p, redirectUri(p.id));
      } catch (err) {
        if (err instanceof ProviderFailed) throw directoryFailed(`${p.label} could not be reached (${err.message})`);
        throw err;
      }
      const browserToken = randomToken(24);
      const now = clock.now();
      await insertOidcLogin(
        store.db,
        {
          state: flow.state,
          provider: p.id,
          nonce: flow.nonce,
          code_verifier: flow.verifier,
          browser_hash: sha256Hex(browserToken),
          expires_at: now + LOGIN_TTL_MS,
        },
        now,
      );
      return { url: flow.url, browserToken };
    },

    /** The provider sent the browser back: checks state (once, same browser), then code, nonce and PKCE. */
    async oidcCallback(providerId: string, rawQuery: string, browserToken: string | undefined) {
      const p = identity.provider(providerId, 'oidc');
      const params = new URLSearchParams(rawQuery);
      const state = params.get('state') ?? '';
      const row = state ? await takeOidcLogin(store.db, state) : undefined;
      if (
        !row ||
        row.provider !== p.id ||
        row.expires_at <= clock.now() ||
        !browserToken ||
        sha256Hex(browserToken) !== row.browser_hash
      )
        throw new AppError(
          400,
          'bad-request',
          'Bad request',
          'this sign-in has expired or was started in another browser',
          undefined,
          undefined,
          {
            code: 'auth.oidc_state_invalid',
          },
        );
      if (params.get('error'))
        throw directoryFailed(`${p.label} refused the sign-in (${params.get('error')!.slice(0, 100)})`);
      let person: Awaited<ReturnType<OidcClient['callback']>>;
      try {
        person = await oidc.callback(p, new URL(`${redirectUri(p.id)}?${rawQuery}`), {
          state: row.state,
          nonce: row.nonce,
          verifier: row.code_verifier,
          redirectUri: redirectUri(p.id),
        });
      } catch (err) {
        if (err instanceof ProviderFailed)
          throw directoryFailed(`${p.label} did not confirm the sign-in (${err.message})`);
        throw err;
      }
      return identity.signIn(p, { ...person, username: null });
    },

    /** Directory username and password (search-then-bind), after reserving the attempt with the throttle. */
    async ldapSignIn(providerId: string, username: string, password: string, ip: string) {
      const p = identity.provider(providerId, 'ldap');
      const reservation = await throttle.reserve(`${p.id}:${username}`, ip);
      let person: Awaited<ReturnType<typeof ldapAuthenticate>>;
      try {
        person = await ldapAuthenticate(p, username, password);
      } catch (err) {
        if (err instanceof DirectoryUnavailable) {
          await store.transaction((tx) => throttle.succeeded(tx, reservation, false)); // not the person's failure
          throw directoryFailed(`${p.label} could not be reached; a break-glass account can sign in meanwhile`);
        }
        throw err;
      }
      if (!person) {
        await store.transaction(async (tx) => {
          await audit.append(
            tx,
            { id: null, label: 'anonymous' },
            { action: 'session.login_failed', targetType: 'user', targetId: null, after: { provider: p.id } },
          );
        });
        throw unauthorized('the directory name or password is wrong', { code: 'auth.bad_credentials' });
      }
      await store.transaction((tx) => throttle.succeeded(tx, reservation, true));
      return identity.signIn(p, {
        subject: person.dn,
        username,
        email: person.email,
        name: person.name,
        groups: person.groups,
        providerMfa: false,
        refreshToken: null,
      });
    },
  };
}

export type DirectorySignIn = ReturnType<typeof createDirectorySignIn>;
