/**
 * What detection writes, in both console languages: an alert's rule title in Chinese beside the English
 * one, and an incident's title and summary as detection wrote them (JSON), kept until a person edits them.
 * Older rows get nulls: the console then shows the text as stored (the English title).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('alerts').addColumn('rule_title_zh', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('title_i18n', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('summary_i18n', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('incidents').dropColumn('summary_i18n').execute();
  await db.schema.alterTable('incidents').dropColumn('title_i18n').execute();
  await db.schema.alterTable('alerts').dropColumn('rule_title_zh').execute();
}
