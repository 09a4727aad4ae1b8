/** The connector module's entry (the connector service joins it; paging needs only the kind contract). */
export type {
  ChannelKindSpec,
  ChannelMessage,
  ConnectorContext,
  OutboundRequest,
  OutboundResponse,
} from './connector-kind.js';
