/** Inquiry module: customer questions from the help portal, the call centre and staff; the staff inbox; CSAT. */
import type { SubscribeThrottle } from '../subscription/index.js';
import { createIntake, type InquiryDeps } from './inquiry-context.js';
import { createInquiryInbox } from './inquiry-inbox.service.js';
import { createInquiryPortal } from './inquiry-portal.service.js';
import { createInquiryEmail, type InquiryMailOptions } from './inquiry-email.service.js';
import { createInquiryEscalation } from './inquiry-escalation.service.js';

export { createInquiryKeys } from './inquiry-keys.js';
export { inquiryPortalRoutes } from './inquiry-portal.routes.js';
export { inquiryRoutes } from './inquiry.routes.js';
export { startInboundSmtp } from './inbound-smtp.js';
export type { InquiryMailOptions } from './inquiry-email.service.js';
export {
  type CustomerLookup,
  DEFAULT_SLA,
  type InquiryEscalationPort,
  type InquirySla,
  NO_CUSTOMERS,
  type PortalTopics,
} from './inquiry-context.js';

/** Wires the module (compose-inquiries.ts). */
export function createInquiries(
  deps: InquiryDeps,
  throttles: { ask: SubscribeThrottle; check: SubscribeThrottle },
  mail: InquiryMailOptions,
) {
  const intake = createIntake(deps);
  const email = createInquiryEmail(deps, intake, mail);
  return {
    inbox: createInquiryInbox(deps, intake, email.mailAnswer),
    portal: createInquiryPortal(deps, intake, throttles),
    /** Inquiries by email: `receive(raw)` for the inbound listener; answers mailed back by a durable job. */
    email,
    /** Overdue inquiries to the customer's owner (`sweep`, by the scheduler `customer-escalation`). */
    escalation: createInquiryEscalation(deps),
  };
}
export { createInquiryKpi } from './inquiry-kpi.repository.js';
