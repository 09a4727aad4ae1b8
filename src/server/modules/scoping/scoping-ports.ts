/** What scoping reads of customers: the customer module's directory, through the port compose fills. */
import type { CustomerDirectory } from '../customer/index.js';

/** The customer directory (read when first used: the customer module is wired after scoping). */
export interface ScopingCustomers {
  readonly directory: Pick<
    CustomerDirectory,
    'cardsByIds' | 'cardsByNos' | 'cardsInSegment' | 'customerIdsOfAccounts' | 'customerNosOfAccounts'
  >;
}
