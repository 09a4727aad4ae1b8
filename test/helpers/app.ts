/** buildApp() + inject() with signed-in users of any role, on a fresh store. */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse as LightResponse } from 'fastify';
import type { UserRole } from '../../src/shared/enums.js';
import { compose, type ComposeOptions, type Services } from '../../src/server/compose.js';
import { buildApp } from '../../src/server/http/app.js';
import { testConfig } from './store.js';

export const PASSWORD = 'correct-horse-battery-staple';

export interface Session {
  cookie: string;
  csrf: string;
  userId: string;
}

export interface TestApp {
  app: FastifyInstance;
  s: Services;
  /** Creates a user of `role` (admin-created) and signs in. */
  login(role: UserRole, email?: string): Promise<Session>;
  /** inject() as a signed-in session (adds cookie and CSRF header). */
  as(session: Session | null, opts: InjectOptions): Promise<LightResponse>;
  close(): Promise<void>;
}

let counter = 0;

export async function createTestApp(
  kind: 'sqlite' | 'postgres' = 'sqlite',
  env: Record<string, string> = {},
  opts: ComposeOptions = {},
): Promise<TestApp> {
  const { config, drop } = testConfig(kind, env);
  const s = await compose(config, opts);
  const app = await buildApp(s);
  const system = { id: null, label: 'test' };
  async function login(role: UserRole, email?: string): Promise<Session> {
    const addr = email ?? `${role}-${++counter}@test.example`;
    const u = await s.users.create(system, { email: addr, name: `${role} ${counter}`, role, password: PASSWORD });
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: addr, password: PASSWORD },
    });
    if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
    const cookie = res.cookies.find((c) => c.name === 'tocsin_session')!;
    return { cookie: `tocsin_session=${cookie.value}`, csrf: res.json().csrfToken, userId: u.id };
  }
  return {
    app,
    s,
    login,
    as(session, o) {
      const headers = { ...(o.headers ?? {}) } as Record<string, string>;
      if (session) {
        headers.cookie = session.cookie;
        headers['x-csrf-token'] = session.csrf;
      }
      return app.inject({ ...o, headers });
    },
    async close() {
      await app.close();
      await s.close();
      await drop();
    },
  };
}
