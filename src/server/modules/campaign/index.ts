/** Campaign module (issue 12): targeted customer notifications through a transactional outbox of messages. */
export { createCampaigns } from './campaign-module.js';
/** @public the ports the customer and scoping modules implement at merge */
export type { AudiencePort, ContactPort, CustomerContact } from './campaign-ports.js';
export type { NoticePort } from './campaign-context.js';
export { signPayload } from './notify-gateway.js';
/** The notify gateway's client, for other customer messages (compensation notices and one-time codes). */
export { createGatewayClient } from './notify-gateway.js';
/** Quiet hours (pure), for the other customer messages that wait for them (compensation notices by SMS). */
export { inQuietHours, quietHoursEnd } from './quiet-hours.js';
export { createCampaignKpi } from './campaign-kpi.repository.js';
