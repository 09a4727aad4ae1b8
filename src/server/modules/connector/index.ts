/** Connector module: configured connectors (kinds, sealed secrets, guarded outbound calls) and containment action runs. */
/** @public the contract of staff channels, for the paging module (wired in at compose time) */
export type {
  ChannelKindSpec,
  ChannelMessage,
  ConnectorContext,
  ConnectorKindSpec,
  OutboundRequest,
  OutboundResponse,
} from './connector-kind.js';
export { createConnectorService } from './connector.service.js';
/** @public for plan activation and paging */
export type { ConnectorService } from './connector.service.js';
export { createActionService } from './action.service.js';
/** @public for plan activation: `actions.request(tx, ...)` */
export type { ActionRequest, ActionService } from './action.service.js';
export { BUILTIN_ACTION_KINDS } from './kinds/builtin.js';
/** @public for containment kinds added at wiring time (besides the built-in ones) */
export { ActionFailure, type ActionContext, type ActionDef, type ActionKindSpec } from './action-kind.js';
export type { ActionEvents } from './action-events.js';
/** @public guarded outbound HTTP, for webhook subscribers of the status site */
export { guardedRequest } from './outbound-http.js';
