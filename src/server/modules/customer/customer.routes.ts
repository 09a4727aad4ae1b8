/** HTTP routes of customers: the list and record (masked), reveal, the CRM sync API and the import wizard. */
import { z } from 'zod';
import {
  Customer,
  CustomerImport,
  CustomerNo,
  CustomerPage,
  CustomerQuery,
  CustomerSyncBatch,
  CustomerSyncResult,
  CustomerUpsert,
  ImportCheckBody,
  ImportUploadQuery,
  Revealed,
  RevealBody,
} from '../../../shared/customer-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { invalid } from '../../platform/errors.js';
import type { CustomerModule } from './customer.module.js';
import { IMPORT_LIMITS } from './customer-file.js';

const tags = ['customers'];
const NoParams = z.strictObject({ customerNo: CustomerNo });
const IdParams = z.strictObject({ id: z.string().min(1).max(64) });

export function customerRoutes(deps: { customers: CustomerModule }): AnyRoute[] {
  const { customers, imports } = deps.customers;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/customers',
      summary:
        'Customers in customer-number order (masked); q: a customer no. or name prefix, or an exact phone, email or ID number',
      tags,
      access: 'customer.read',
      query: CustomerQuery,
      response: { status: 200, schema: CustomerPage },
      handler: ({ principal, query }) => customers.list(principal, query),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/customers/sync',
      summary:
        'CRM sync: upsert up to 1,000 customers by customer no.; a result per item (created, updated, unchanged, rejected)',
      tags,
      access: 'customer.manage',
      body: CustomerSyncBatch,
      response: { status: 200, schema: CustomerSyncResult },
      handler: ({ principal, body }) => customers.sync(principal, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/customers/imports',
      summary:
        'Upload a customer file (CSV in UTF-8 or GB18030, or XLSX) as the body, named by ?filename=; answers the header and a suggested mapping',
      tags,
      access: 'customer.manage',
      query: ImportUploadQuery,
      raw: {
        bodyLimit: IMPORT_LIMITS.maxBytes,
        content: { 'application/octet-stream': undefined, 'text/csv': undefined },
      },
      response: { status: 201, schema: CustomerImport },
      handler: ({ principal, query, req }) => {
        if (!Buffer.isBuffer(req.body)) throw invalid('send the file as the request body');
        return imports.upload(principal, query.filename, req.body);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/customers/imports/:id',
      summary: 'An import: its state, header, mapping, report and progress (rows done of the total)',
      tags,
      access: 'customer.manage',
      params: IdParams,
      response: { status: 200, schema: CustomerImport },
      handler: ({ principal, params }) => imports.get(principal, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/customers/imports/:id/check',
      summary:
        'The dry run with a mapping: every bad row with its line and reasons, and the counts new / updated / unchanged / bad',
      tags,
      access: 'customer.manage',
      params: IdParams,
      body: ImportCheckBody,
      response: { status: 200, schema: CustomerImport },
      handler: ({ principal, params, body }) => imports.check(principal, params.id, body.mapping),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/customers/imports/:id/commit',
      summary:
        'Commit a checked import (good rows only); large files continue in the background: follow GET .../imports/:id',
      tags,
      access: 'customer.manage',
      params: IdParams,
      response: { status: 202, schema: CustomerImport },
      handler: ({ principal, params }) => imports.commit(principal, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/customers/:customerNo',
      summary: 'One customer (contact and identity masked) with their accounts',
      tags,
      access: 'customer.read',
      params: NoParams,
      response: { status: 200, schema: Customer },
      handler: ({ principal, params }) => customers.get(principal, params.customerNo),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/customers/:customerNo',
      summary: 'CRM sync: create or replace one customer (absent fields are cleared)',
      tags,
      access: 'customer.manage',
      params: NoParams,
      body: CustomerUpsert,
      response: { status: 200, schema: Customer },
      handler: ({ principal, params, body }) => customers.put(principal, params.customerNo, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/customers/:customerNo/reveal',
      summary: "A customer's clear contact and identity values, for a stated reason (audited)",
      tags,
      access: 'customer.reveal',
      params: NoParams,
      body: RevealBody,
      response: { status: 200, schema: Revealed },
      handler: ({ principal, params, body }) => customers.reveal(principal, params.customerNo, body),
    }),
  ];
}
