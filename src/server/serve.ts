/** Starts the server: store, migrations, first administrator, HTTP. */
import type { FastifyInstance } from 'fastify';
import { compose, type Services } from './compose.js';
import type { Config } from './platform/config.js';
import { createLogger } from './platform/logger.js';
import { buildApp } from './http/app.js';

export interface Running {
  app: FastifyInstance;
  services: Services;
  url: string;
  stop(): Promise<void>;
}

/** Starts Tocsin; `onFirstAdmin` receives a generated one-time password (never logged). */
export async function serve(config: Config, onFirstAdmin: (email: string, password: string | null) => void): Promise<Running> {
  const logger = createLogger(config.logLevel);
  const services = await compose(config);
  const first = await services.users.ensureFirstAdmin(config.admin);
  if (first) onFirstAdmin(first.email, first.password);
  const app = await buildApp(services, { logger, webDir: config.webDir });
  await app.listen({ port: config.port, host: config.host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, store: config.database.kind }, 'Tocsin is listening');
  let stopping = false;
  return {
    app,
    services,
    url,
    async stop() {
      if (stopping) return;
      stopping = true;
      await app.close();
      await services.close();
    },
  };
}
