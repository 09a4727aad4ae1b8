/** Wires the customer module: the sealer over the secret box and a keyed hash, the services and the import job. */
import type { Store } from '../../platform/db/connect.js';
import type { Clock } from '../../platform/ids.js';
import type { JobRunner } from '../../platform/jobs/job-runner.js';
import { createKeyedHash } from '../../platform/keyed-hash.js';
import type { SecretBox } from '../../platform/secret-box.js';
import type { AuditService } from '../audit/index.js';
import { createCustomerService } from './customer.service.js';
import { createCustomerDirectory } from './customer-directory.js';
import { createSealer } from './customer-seal.js';
import { createImportService } from './import.service.js';
import { createRekey } from './rekey.service.js';

export function createCustomerModule(deps: {
  store: Store;
  audit: AuditService;
  clock: Clock;
  jobs: JobRunner;
  secretBox: SecretBox;
  /** The secret keys (current first), for the keyed hashes; called once, when first needed. */
  secretKeys: () => Buffer[];
}) {
  const { store, audit, clock, jobs, secretBox: box } = deps;
  const sealer = createSealer(box, createKeyedHash(deps.secretKeys, 'tocsin-customers.pii-hash.v1'));
  const customers = createCustomerService({ store, audit, clock, sealer });
  return {
    customers,
    /** What other modules read of customers (masked cards, keyset pages of a selection, accounts' customers). */
    directory: createCustomerDirectory(store),
    /** The sealed, hashed and masked columns of a customer's personal data (fixtures and bulk loads write rows with them). */
    seal: (customerId: string, pii: { phone?: string; email?: string; idNumber?: string; bankCard?: string }) =>
      sealer.seal(customerId, pii),
    imports: createImportService({ store, audit, clock, jobs, box, sealer }),
    rekey: createRekey({ store, audit, box, sealer }),
  };
}
export type CustomerModule = ReturnType<typeof createCustomerModule>;
