/**
 * Evidence export packages (issue 15): Tocsin's signing key and the packages made for the police, a
 * regulator or a court.
 *
 * `signing_keys`: one Ed25519 key per purpose (`evidence`), created on first need by whichever process
 * needs it first (the primary key on `purpose` makes a second insert lose, and it reads the winner's);
 * the private key is sealed with the secret box (TOCSIN_SECRET_KEY), bound to the key's fingerprint.
 *
 * `evidence_packages`: one row per package; the ZIP itself is in the blob store by its SHA-256.
 * Which items went out is in the package's manifest and in the audit chain (`evidence.export`).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('signing_keys')
    .addColumn('purpose', 'text', (c) => c.primaryKey())
    .addColumn('algorithm', 'text', (c) => c.notNull())
    /** SHA-256 of the DER SubjectPublicKeyInfo, hex. */
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('public_key_pem', 'text', (c) => c.notNull())
    /** The PKCS#8 PEM, sealed with the secret box (associated data: the fingerprint). */
    .addColumn('private_key_sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('evidence_packages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.references('investigation_requests.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('item_count', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('key_fingerprint', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('evidence_packages_incident')
    .on('evidence_packages')
    .columns(['incident_id', 'created_at'])
    .execute();
  await db.schema.createIndex('evidence_packages_request').on('evidence_packages').column('request_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('evidence_packages').execute();
  await db.schema.dropTable('signing_keys').execute();
}
