/** Paging module: pages with escalation, staff channel kinds, acknowledge links, contact routes. */
export { createPagingService } from './paging.js';
export type { ChannelResolver } from './paging.service.js';
export { CHANNEL_KINDS } from './channels/index.js';
/** The signed webhook's signature (`X-Tocsin-Signature`), reused by the status site's webhook subscribers. */
export { webhookSignature } from './channels/webhook.js';
