/**
 * A real OpenID Provider (the certified `oidc-provider` package) on a loopback port, for the OIDC
 * sign-in tests. Its interaction pages are minimal JSON endpoints the test drives like a browser would:
 * `GET /interaction/:uid` says which prompt is pending; `POST /interaction/:uid/login` (form `login`,
 * `mfa`: the person used a second factor, giving `amr` pwd+otp) and `POST /interaction/:uid/consent`.
 * Accounts (claims: name, email, groups) are a map the test changes to move a person between groups.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface OpAccount {
  name: string;
  email: string;
  groups: string[];
}

export interface TestOp {
  issuer: string;
  accounts: Map<string, OpAccount>;
  stop(): Promise<void>;
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return new URLSearchParams(body);
}

export async function startOp(
  clients: { clientId: string; clientSecret: string; redirectUris: string[] }[],
): Promise<TestOp> {
  const accounts = new Map<string, OpAccount>();
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    })),
    claims: {
      amr: null,
      acr: null,
      auth_time: null,
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'groups'],
    findAccount: (_ctx: unknown, id: string) => {
      const a = accounts.get(id);
      return a
        ? {
            accountId: id,
            claims: () => ({ sub: id, name: a.name, email: a.email, email_verified: true, groups: a.groups }),
          }
        : undefined;
    },
    // Refresh tokens without offline_access: the re-check asks through them.
    issueRefreshToken: () => true,
    features: { devInteractions: { enabled: false }, claimsParameter: { enabled: true } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['test-op-cookie-key'] },
    pkce: { required: () => true },
  });
  const handle = provider.callback();
  server.on('request', (req, res) => {
    const m = /^\/interaction\/([^/?]+)(?:\/(login|consent))?$/.exec(req.url ?? '');
    if (!m) return handle(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ prompt: details.prompt.name }));
        return;
      }
      if (m[2] === 'login') {
        const form = await readForm(req);
        const amr = form.get('mfa') === 'true' ? ['pwd', 'otp'] : ['pwd'];
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: form.get('login')!, amr } },
          {
            mergeWithLastSubmission: false,
          },
        );
        return;
      }
      const grant = details.grantId
        ? (await provider.Grant.find(details.grantId))!
        : new provider.Grant({ accountId: details.session!.accountId!, clientId: String(details.params.client_id) });
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId: await grant.save() } },
        {
          mergeWithLastSubmission: true,
        },
      );
    })().catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  return {
    issuer,
    accounts,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A browser's cookie jar over fetch: follows the OP's redirects until one leaves for `stopAt`, and returns that URL. */
export function browser() {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  async function request(url: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader() },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    return res;
  }
  return {
    request,
    /** Follows redirects from `url` while they stay under `within`; returns the first Location outside it, or the last response. */
    async follow(url: string, within: string): Promise<{ left: string } | { res: Response; url: string }> {
      let at = url;
      for (let i = 0; i < 20; i++) {
        const res = await request(at);
        const loc = res.headers.get('location');
        if (!loc) return { res, url: at };
        const next = new URL(loc, at).href;
        if (!next.startsWith(within)) return { left: next };
        at = next;
      }
      throw new Error('too many redirects');
    },
  };
}
