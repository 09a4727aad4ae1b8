/**
 * Customer module (issue 12): customers with sealed personal data, imports, the CRM sync API, reveal.
 * For other modules: `customers.findByContact({ phone?, email? })` (the inquiry portal) and
 * `customers.contactsOf(ids)` (campaigns; clear values for sending, never to be logged); `directory`
 * (customer-directory.ts) for the rest: masked cards, keyset pages of a selection, accounts' customers.
 */
export { createCustomerModule } from './customer.module.js';
/** How a phone or an email is normalized (what is hashed) and masked, for modules that keep contacts of their own. */
export { maskEmail, maskPhone, normalizeEmail, normalizePhone } from './pii.js';
export type { CustomerCard, CustomerDirectory } from './customer-directory.js';
export type { Payee } from './customer.service.js';
