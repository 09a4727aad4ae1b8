/**
 * Customers and their accounts (issue 12). Contact and identity data are personal information: phone,
 * email, ID number and bank card are sealed together (secret box, AES-256-GCM, bound to the customer's
 * id; re-sealed on key rotation), found by keyed hashes (HMAC of the normalized value) and shown
 * masked in lists. The name stays readable: staff must be able to address the customer.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('customers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** The firm's customer number (客户号): the key of imports and CRM sync. */
    .addColumn('customer_no', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    /** Sealed JSON bound to the id: { phone?, email?, idNumber?, bankCard? }. */
    .addColumn('pii_sealed', 'text', (c) => c.notNull())
    /** Keyed hashes of the normalized values (lookup); null when absent. */
    .addColumn('phone_hash', 'text')
    .addColumn('email_hash', 'text')
    .addColumn('id_number_hash', 'text')
    .addColumn('bank_card_hash', 'text')
    /** Masked for lists: `138****1234`, `z***@example.com`, `1101**********1234`, `6222 **** **** 1234`. */
    .addColumn('phone_masked', 'text')
    .addColumn('email_masked', 'text')
    .addColumn('id_number_masked', 'text')
    .addColumn('bank_card_masked', 'text')
    /** zh-CN | en */
    .addColumn('language', 'text', (c) => c.notNull())
    /** Preferred channel: sms | email | push | phone; null: the firm's default order. */
    .addColumn('channel', 'text')
    .addColumn('branch', 'text')
    /** Risk tier / VIP level as the firm names it (e.g. vip, gold, standard). */
    .addColumn('tier', 'text')
    /** The account manager as the CRM names them (staff email or number); resolved to a user when owners are assigned. */
    .addColumn('account_manager', 'text')
    /** JSON array of opted-out channels or `marketing`. Mandatory service notices ignore `marketing`. */
    .addColumn('opt_outs', 'text', (c) => c.notNull())
    /** import | api | demo */
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  for (const col of ['phone_hash', 'email_hash', 'id_number_hash', 'bank_card_hash', 'branch', 'tier'])
    await db.schema.createIndex(`customers_${col}`).on('customers').columns([col]).execute();

  await db.schema
    .createTable('customer_accounts')
    /** The firm's account number (资金账号 / 证券账号). */
    .addColumn('account_no', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customer_accounts_customer').on('customer_accounts').columns(['customer_id']).execute();

  /** Uploaded import files: parsed rows sealed until committed, the mapping, the dry run's and the commit's report. */
  await db.schema
    .createTable('customer_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('file_name', 'text', (c) => c.notNull())
    /** utf-8 | utf-8-bom | gb18030 | xlsx */
    .addColumn('encoding', 'text', (c) => c.notNull())
    /** JSON array of the header cells. */
    .addColumn('header', 'text', (c) => c.notNull())
    .addColumn('row_count', 'integer', (c) => c.notNull())
    /** Sealed JSON (bound to the id) of the data rows, string[][]; '' once committed. */
    .addColumn('rows_sealed', 'text', (c) => c.notNull())
    /** JSON: field -> header column index; null until checked. */
    .addColumn('mapping', 'text')
    /** uploaded | checked | committing | committed */
    .addColumn('state', 'text', (c) => c.notNull())
    /** JSON of the dry run's (checked) or the commit's (committed) report: counts and bad rows; no PII. */
    .addColumn('report', 'text')
    .addColumn('rows_done', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('committed_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['customer_imports', 'customer_accounts', 'customers'])
    await db.schema.dropTable(t).ifExists().execute();
}
