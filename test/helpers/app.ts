/** buildApp() + inject() with signed-in users of any role, on a fresh store. */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse as LightResponse } from 'fastify';
import { authenticator } from 'otplib';
import { expect } from 'vitest';
import type { UserRole } from '../../src/shared/enums.js';
import { compose, type ComposeOptions, type Services } from '../../src/server/compose.js';
import { buildApp } from '../../src/server/http/app.js';
import { buildUser, PASSWORD } from './fixtures.js';
import { testConfig } from './store.js';

export { PASSWORD };

export interface Session {
  cookie: string;
  csrf: string;
  userId: string;
}

/** The session a sign-in answer (`POST /api/v1/session`) opened: its cookie, CSRF token and user. */
export function sessionOf(res: LightResponse): Session {
  const c = res.cookies.find((x) => x.name === 'tocsin_session')!;
  return { cookie: `tocsin_session=${c.value}`, csrf: res.json().csrfToken, userId: res.json().user.id };
}

export interface TestApp {
  app: FastifyInstance;
  s: Services;
  /** Creates a user of `role` (admin-created) and signs in. */
  login(role: UserRole, email?: string): Promise<Session>;
  /** `POST /api/v1/session` with `email` and `password` (PASSWORD unless given); `extra` adds to the request. */
  signIn(email: string, password?: string, extra?: Partial<InjectOptions>): Promise<LightResponse>;
  /** inject() as a signed-in session (adds cookie and CSRF header). */
  as(session: Session | null, opts: InjectOptions): Promise<LightResponse>;
  /** Enrols and confirms a TOTP second factor for the session's user; returns the secret. */
  enrolTotp(session: Session): Promise<string>;
  close(): Promise<void>;
}

export async function createTestApp(
  kind: 'sqlite' | 'postgres' = 'sqlite',
  env: Record<string, string> = {},
  opts: ComposeOptions = {},
): Promise<TestApp> {
  const { config, drop } = testConfig(kind, env, { migrated: true });
  const s = await compose(config, opts);
  const app = await buildApp(s);
  const signIn = (email: string, password = PASSWORD, extra: Partial<InjectOptions> = {}) =>
    app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password }, ...extra });
  const as = (session: Session | null, o: InjectOptions) => {
    const headers = { ...(o.headers ?? {}) } as Record<string, string>;
    if (session) {
      headers.cookie = session.cookie;
      headers['x-csrf-token'] = session.csrf;
    }
    return app.inject({ ...o, headers });
  };
  return {
    app,
    s,
    async login(role, email) {
      const u = await buildUser(s, { role, ...(email ? { email } : {}) });
      const res = await signIn(u.email);
      if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
      return sessionOf(res);
    },
    signIn,
    as,
    async enrolTotp(session) {
      const { secret } = (await as(session, { method: 'POST', url: '/api/v1/me/mfa/enrol' })).json() as {
        secret: string;
      };
      const res = await as(session, {
        method: 'POST',
        url: '/api/v1/me/mfa/verify',
        payload: { code: authenticator.generate(secret) },
      });
      expect(res.statusCode, res.body).toBe(204);
      return secret;
    },
    async close() {
      await app.close();
      await s.close();
      await drop();
    },
  };
}
