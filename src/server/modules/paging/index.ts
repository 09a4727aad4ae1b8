/** Paging module: pages with escalation, staff channel kinds, acknowledge links, contact routes. */
export { createPagingService } from './paging.js';
export type { ChannelResolver } from './paging.service.js';
export { CHANNEL_KINDS } from './channels/index.js';
