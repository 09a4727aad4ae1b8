/**
 * Vulnerabilities (issue 16): findings from scanner imports, deduplicated by (asset, finding key) — kept
 * as `ident`, a SHA-256 of the two — their CVEs, their status history, the imports and their results, the
 * asset -> service mapping rules, the SLA days per severity, and the CISA KEV and EPSS feeds.
 * Scores are kept as integers: CVSS in tenths, EPSS and its percentile in 1/100,000.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('vuln_findings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ident', 'text', (c) => c.notNull().unique())
    .addColumn('asset', 'text', (c) => c.notNull())
    .addColumn('finding_key', 'text', (c) => c.notNull())
    .addColumn('scanner', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('service_key', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('port', 'text')
    /** JSON array of CVE ids (also rows of vuln_finding_cves). */
    .addColumn('cves', 'text', (c) => c.notNull())
    .addColumn('cvss_version', 'text')
    .addColumn('cvss_vector', 'text')
    .addColumn('cvss_score10', 'integer')
    /** critical | high | medium | low | info */
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('severity_rank', 'integer', (c) => c.notNull())
    /** open | in_remediation | fixed | accepted_risk | false_positive */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('accepted_reason', 'text')
    .addColumn('accepted_until', 'bigint')
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('solution', 'text', (c) => c.notNull())
    .addColumn('first_seen', 'bigint', (c) => c.notNull())
    .addColumn('last_seen', 'bigint', (c) => c.notNull())
    .addColumn('due_at', 'bigint')
    .addColumn('kev', 'integer', (c) => c.notNull())
    .addColumn('kev_due', 'bigint')
    .addColumn('epss_e5', 'integer')
    .addColumn('epss_percentile_e5', 'integer')
    .addColumn('last_import_id', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('vuln_findings_scan')
    .on('vuln_findings')
    .columns(['scanner', 'scope', 'status'])
    .execute();
  await db.schema.createIndex('vuln_findings_status_due').on('vuln_findings').columns(['status', 'due_at']).execute();
  await db.schema
    .createIndex('vuln_findings_order')
    .on('vuln_findings')
    .columns(['severity_rank', 'first_seen'])
    .execute();
  await db.schema
    .createTable('vuln_finding_cves')
    .addColumn('finding_id', 'text', (c) => c.notNull().references('vuln_findings.id'))
    .addColumn('cve', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('vuln_finding_cves_pk', ['finding_id', 'cve'])
    .execute();
  await db.schema.createIndex('vuln_finding_cves_cve').on('vuln_finding_cves').column('cve').execute();
  await db.schema
    .createTable('vuln_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('finding_id', 'text', (c) => c.notNull().references('vuln_findings.id'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('import_id', 'text')
    .execute();
  await db.schema.createIndex('vuln_history_finding').on('vuln_history').columns(['finding_id', 'at']).execute();
  await db.schema
    .createTable('vuln_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('scanner', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .addColumn('encoding', 'text', (c) => c.notNull())
    /** running | done | failed */
    .addColumn('state', 'text', (c) => c.notNull())
    /** JSON: {new, updated, reopened, closed, rejected} */
    .addColumn('counts', 'text', (c) => c.notNull())
    /** JSON: the first 200 rejections [{ref, reason}] */
    .addColumn('rejections', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('vuln_imports_started').on('vuln_imports').column('started_at').execute();
  await db.schema
    .createTable('vuln_asset_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pattern', 'text', (c) => c.notNull())
    .addColumn('service_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('vuln_sla')
    .addColumn('severity', 'text', (c) => c.primaryKey())
    .addColumn('days', 'integer', (c) => c.notNull())
    .execute();
  await db
    .insertInto('vuln_sla' as never)
    .values([
      { severity: 'critical', days: 7 },
      { severity: 'high', days: 30 },
      { severity: 'medium', days: 90 },
      { severity: 'low', days: 180 },
    ] as never)
    .execute();
  await db.schema
    .createTable('vuln_kev')
    .addColumn('cve', 'text', (c) => c.primaryKey())
    .addColumn('due_at', 'bigint')
    .execute();
  await db.schema
    .createTable('vuln_epss')
    .addColumn('cve', 'text', (c) => c.primaryKey())
    .addColumn('epss_e5', 'integer', (c) => c.notNull())
    .addColumn('percentile_e5', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'vuln_epss',
    'vuln_kev',
    'vuln_sla',
    'vuln_asset_rules',
    'vuln_imports',
    'vuln_history',
    'vuln_finding_cves',
    'vuln_findings',
  ])
    await db.schema.dropTable(t).ifExists().execute();
}
