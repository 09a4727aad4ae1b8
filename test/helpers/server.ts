/** A real Tocsin server on a random port with a fresh store, for HTTP and browser tests. */
import path from 'node:path';
import { serve, type Running, type ServeOptions } from '../../src/server/serve.js';
import { PASSWORD } from './fixtures.js';
import { testConfig } from './store.js';

export interface TestServer {
  url: string;
  adminEmail: string;
  adminPassword: string;
  running: Running;
  stop(): Promise<void>;
}

export async function startTestServer(
  opts: { kind?: 'sqlite' | 'postgres'; env?: Record<string, string>; serve?: ServeOptions } = {},
): Promise<TestServer> {
  const adminEmail = 'admin@test.example';
  const adminPassword = PASSWORD;
  const { config, drop } = testConfig(
    opts.kind ?? 'sqlite',
    {
      TOCSIN_ADMIN_EMAIL: adminEmail,
      TOCSIN_ADMIN_PASSWORD: adminPassword,
      TOCSIN_WEB_DIR: path.resolve('dist/web'),
      ...opts.env,
    },
    { migrated: true },
  );
  const running = await serve(config, () => {}, opts.serve);
  return {
    url: running.url,
    adminEmail,
    adminPassword,
    running,
    async stop() {
      // Test clients may leave keep-alive sockets half-read; do not wait for them.
      const closing = running.stop();
      running.app.server.closeAllConnections();
      await closing;
      await drop();
    },
  };
}
