/** Subscription module: email (double opt-in) and webhook subscribers of the public status site, told on every publication. */
export { createSubscriptionService } from './subscription.service.js';
export { createSubscriptionAdmin } from './subscription-admin.service.js';
export {
  createSubscribeThrottle,
  type SubscribeThrottle,
  type SubscribeThrottlePolicy,
} from './subscription-throttle.js';
export { createSubscriptionKeys } from './subscription-keys.js';
export { createMailer } from './subscription-mail.js';
export { wireSubscriptionJobs } from './subscription-notify.js';
export { subscriptionPublicRoutes } from './subscription-public.routes.js';
/** @public the port compose wires to the status module, and the event the status module publishes */
export type {
  AnnouncementEvents,
  AnnouncementForSubscribers,
  AnnouncementReader,
} from './announcement-reader.js';
