/** A bare Fastify app serving the public site of a snapshot the test controls (src/site tests). */
import Fastify, { type FastifyInstance } from 'fastify';
import { createLocalBus, type Bus } from '../../src/server/platform/bus.js';
import { createPublicSite, installPublicPages, type PublicSite } from '../../src/site/index.js';
import type { StatusSnapshot } from '../../src/shared/status-site.js';
import { statusSnapshot } from './status-snapshot.js';

export interface SiteHarness {
  app: FastifyInstance;
  site: PublicSite;
  bus: Bus;
  /** The snapshot the site reads next; change it and call `changed()`. */
  snap: StatusSnapshot;
  /** Publishes `status.changed` on the bus, as the status module does after a commit, and waits for the render. */
  changed(): Promise<void>;
  close(): Promise<void>;
}

export async function siteHarness(prefix = '/status', snap: StatusSnapshot = statusSnapshot()): Promise<SiteHarness> {
  const bus = createLocalBus();
  const h = { snap } as SiteHarness;
  const site = createPublicSite({ site: { snapshot: async () => h.snap }, bus, prefixes: [prefix] });
  site.start();
  await site.settled();
  const app = Fastify();
  await installPublicPages(app, { site, prefix });
  return Object.assign(h, {
    app,
    site,
    bus,
    async changed() {
      bus.publish({
        event: 'status.changed' as never,
        incidentKey: null,
        audience: { restricted: false, memberIds: [] },
      });
      await site.settled();
    },
    async close() {
      site.stop();
      await app.close();
    },
  });
}
