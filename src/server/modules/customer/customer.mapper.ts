/** Customers and imports as the API shows them: personal data masked, reports without values. */
import type { Customer, CustomerImport, ImportMapping, ImportReport } from '../../../shared/customer-schemas.js';
import { iso } from '../../platform/ids.js';
import type { CustomerRow, ImportRow } from './customer.repository.js';
import { suggestMapping } from './customer-rows.js';

export function toCustomer(r: CustomerRow, accounts: string[]): Customer {
  return {
    id: r.id,
    customerNo: r.customer_no,
    name: r.name,
    phone: r.phone_masked,
    email: r.email_masked,
    idNumber: r.id_number_masked,
    bankCard: r.bank_card_masked,
    language: r.language as Customer['language'],
    channel: r.channel as Customer['channel'],
    branch: r.branch,
    tier: r.tier,
    accountManager: r.account_manager,
    accounts,
    optOuts: JSON.parse(r.opt_outs) as string[],
    source: r.source,
    version: Number(r.version),
    createdAt: iso(Number(r.created_at)),
    updatedAt: iso(Number(r.updated_at)),
  };
}

export function toImport(r: ImportRow): CustomerImport {
  const header = JSON.parse(r.header) as string[];
  return {
    id: r.id,
    fileName: r.file_name,
    encoding: r.encoding,
    state: r.state as CustomerImport['state'],
    header,
    rowCount: Number(r.row_count),
    rowsDone: Number(r.rows_done),
    suggestedMapping: suggestMapping(header),
    mapping: r.mapping ? (JSON.parse(r.mapping) as ImportMapping) : null,
    report: r.report ? (JSON.parse(r.report) as ImportReport) : null,
    createdAt: iso(Number(r.created_at)),
    updatedAt: iso(Number(r.updated_at)),
  };
}
