/**
 * OIDC with openid-client: discovery from the configured issuer (cached per provider), the
 * authorization code flow with PKCE (S256), state and nonce, and the refresh used by the re-check.
 * Requests go only to the configured issuer and the endpoints its discovery document names (openid-client
 * checks that the document's `issuer` is the one configured); no address comes from a request.
 */
import type * as OidcLib from 'openid-client';
import { openIdClient } from '../../platform/heavy-libs.js';
import type { OidcProviderConfig } from '../../platform/identity-file.js';

export interface OidcPerson {
  subject: string;
  email: string;
  name: string;
  groups: string[];
  /** The provider showed a second factor (`amr` or `acr` as configured). */
  providerMfa: boolean;
  refreshToken: string | null;
}

/** The provider could not be asked, or answered with an error. */
export class ProviderFailed extends Error {
  /** `refused`: the provider said no (`invalid_grant`: the grant was revoked, the person removed), not unreachable. */
  constructor(
    message: string,
    readonly refused = false,
  ) {
    super(message);
  }
}

export function createOidcClient() {
  const configs = new Map<string, Promise<OidcLib.Configuration>>();

  function configOf(p: OidcProviderConfig): Promise<OidcLib.Configuration> {
    let c = configs.get(p.id);
    if (!c) {
      c = openIdClient().then((oidc) =>
        oidc.discovery(
          new URL(p.issuer),
          p.clientId,
          p.clientSecret ?? undefined,
          p.clientSecret ? undefined : oidc.None(),
          { execute: p.allowHttp ? [oidc.allowInsecureRequests] : [], timeout: Math.ceil(p.timeoutMs / 1000) },
        ),
      );
      configs.set(p.id, c);
      // A failed discovery is tried again at the next sign-in, not cached.
      c.catch(() => configs.delete(p.id));
    }
    return c;
  }

  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const list = (v: unknown) =>
    Array.isArray(v) ? v.filter((x) => typeof x === 'string') : typeof v === 'string' ? [v] : [];

  async function person(
    p: OidcProviderConfig,
    config: OidcLib.Configuration,
    tokens: OidcLib.TokenEndpointResponse & OidcLib.TokenEndpointResponseHelpers,
    expectedSubject?: string,
  ): Promise<OidcPerson> {
    const claims = tokens.claims();
    if (!claims) throw new ProviderFailed('no ID token');
    if (expectedSubject && claims.sub !== expectedSubject) throw new ProviderFailed('the subject changed');
    let all: Record<string, unknown> = { ...claims };
    // Claims missing from the ID token (often the groups) are asked of the userinfo endpoint.
    if (all[p.claims.groups] === undefined || !all[p.claims.email]) {
      const oidc = await openIdClient();
      const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
      all = { ...info, ...all, [p.claims.groups]: all[p.claims.groups] ?? info[p.claims.groups] };
    }
    const amr = list(claims.amr);
    return {
      subject: claims.sub,
      // An address the provider says it has not verified names nobody: it could take over another's account.
      email: all.email_verified === false ? '' : text(all[p.claims.email]),
      name: text(all[p.claims.name]) || claims.sub,
      groups: list(all[p.claims.groups]),
      providerMfa: amr.some((a) => p.mfaAmr.includes(a)) || (!!claims.acr && p.mfaAcr.includes(String(claims.acr))),
      refreshToken: tokens.refresh_token ?? null,
    };
  }

  const wrap = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ProviderFailed) throw err;
      const e = err as { code?: string; error?: string };
      throw new ProviderFailed(e.error ?? e.code ?? (err as Error).name, e.error === 'invalid_grant');
    }
  };

  return {
    /** The provider's authorization URL and the checks the callback must meet. */
    start: (p: OidcProviderConfig, redirectUri: string) =>
      wrap(async () => {
        const config = await configOf(p);
        const oidc = await openIdClient();
        const verifier = oidc.randomPKCECodeVerifier();
        const state = oidc.randomState();
        const nonce = oidc.randomNonce();
        const url = oidc.buildAuthorizationUrl(config, {
          redirect_uri: redirectUri,
          scope: p.scopes.join(' '),
          code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
          state,
          nonce,
          // Ask for the authentication methods in the ID token (OIDC Core 5.5): the provider's MFA is read from them.
          ...(p.mfa === 'provider' ? { claims: JSON.stringify({ id_token: { amr: null, acr: null } }) } : {}),
        });
        return { url: url.href, state, nonce, verifier };
      }),

    /** Exchanges the code (state, nonce and PKCE checked) and reads the person. */
    callback: (
      p: OidcProviderConfig,
      currentUrl: URL,
      checks: { state: string; nonce: string; verifier: string; redirectUri: string },
    ) =>
      wrap(async () => {
        const config = await configOf(p);
        const oidc = await openIdClient();
        const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
          pkceCodeVerifier: checks.verifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        });
        return person(p, config, tokens);
      }),

    /** The person now, through the refresh token (the re-check). */
    refresh: (p: OidcProviderConfig, refreshToken: string, subject: string) =>
      wrap(async () => {
        const config = await configOf(p);
        const oidc = await openIdClient();
        const tokens = await oidc.refreshTokenGrant(config, refreshToken);
        if (!tokens.id_token) {
          const info = await oidc.fetchUserInfo(config, tokens.access_token, subject);
          return {
            subject,
            email: text(info[p.claims.email]),
            name: text(info[p.claims.name]) || subject,
            groups: list(info[p.claims.groups]),
            providerMfa: false,
            refreshToken: tokens.refresh_token ?? refreshToken,
          };
        }
        const r = await person(p, config, tokens, subject);
        return { ...r, refreshToken: r.refreshToken ?? refreshToken };
      }),
  };
}

export type OidcClient = ReturnType<typeof createOidcClient>;
