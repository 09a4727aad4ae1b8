/** Inquiry module: customer questions from the help portal, the call centre and staff; the staff inbox; CSAT. */
import type { SubscribeThrottle } from '../subscription/index.js';
import { createIntake, type InquiryDeps } from './inquiry-context.js';
import { createInquiryInbox } from './inquiry-inbox.service.js';
import { createInquiryPortal } from './inquiry-portal.service.js';

export { createInquiryKeys } from './inquiry-keys.js';
export { inquiryPortalRoutes } from './inquiry-portal.routes.js';
export { inquiryRoutes } from './inquiry.routes.js';
export {
  type CustomerLookup,
  DEFAULT_SLA,
  type InquirySla,
  NO_CUSTOMERS,
  type PortalTopics,
} from './inquiry-context.js';

/** Wires the module (compose-inquiries.ts). */
export function createInquiries(deps: InquiryDeps, throttles: { ask: SubscribeThrottle; check: SubscribeThrottle }) {
  const intake = createIntake(deps);
  return {
    inbox: createInquiryInbox(deps, intake),
    portal: createInquiryPortal(deps, intake, throttles),
  };
}
