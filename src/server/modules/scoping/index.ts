/** Scoping module: the account-activity index and the affected-customer sets of incidents (issue 12). */
export { createScoping } from './scoping.service.js';
export { indexingSink } from './activity-sink.js';
export { SCOPE_PHASES } from './affected-set.service.js';
export { ipKey } from '../../platform/ip-key.js';
