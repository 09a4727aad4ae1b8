/**
 * Status module: the public status site's domain — which services are shown and their states (probes,
 * overrides, maintenance), 90-day uptime bars, scheduled maintenance, and announcements, which only
 * publishing an approved statement (or an approved investigation report's public summary) writes (`StatusPublisher`). `StatusSite.snapshot()` is the read model
 * the public pages render (src/shared/status-site.ts).
 */
import type { Bus } from '../../platform/bus.js';
import type { Store } from '../../platform/db/connect.js';
import type { Clock } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import { createAnnouncementReader } from './announcement-read.js';
import { createMaintenanceService } from './maintenance.service.js';
import type { StatusEventSink } from './status-events.js';
import { createStatusPublisher } from './status-publisher.js';
import type { PublicFacts } from '../media/index.js';
import { createStatusSite, type SiteSettings } from './status-site.service.js';
import { createStatusAdmin } from './status.service.js';

export type { StatusEvents } from './status-events.js';
/** @public the contract with the statement module (publishing an approved statement) */
export type { StatusPublisher, StatusPublishRequest } from './status-publisher.js';
/** @public the contract with the public site (its read model) */
export type { StatusSite } from './status-site.service.js';

/** Wires the status module (compose.ts). `facts`: the media module's PublicFacts (none: no fact checks or FAQ). */
export function createStatusModule(deps: {
  store: Store;
  audit: AuditService;
  bus: Bus;
  clock: Clock;
  events: StatusEventSink;
  site: SiteSettings;
  facts?: PublicFacts;
}) {
  const { store, audit, bus, clock, events, site, facts } = deps;
  return {
    admin: createStatusAdmin({ store, audit, bus, clock }),
    maintenances: createMaintenanceService({ store, audit, bus, clock }),
    announcements: createAnnouncementReader({ store, baseUrl: site.baseUrl }),
    publisher: createStatusPublisher({ audit, bus, clock, events, timeZone: site.timeZone }),
    site: createStatusSite({ store, clock, site, facts }),
  };
}

export type StatusModule = ReturnType<typeof createStatusModule>;
