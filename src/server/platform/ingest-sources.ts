/**
 * The ingest sources file (TOCSIN_SOURCES_FILE, YAML or JSON): each source's Sigma log source, time
 * field and format, field-name mapping and input format. Validated once at start, every problem listed.
 */
import { z } from 'zod';
import { readConfigFile } from './config-file.js';

/** How a source's records are read: as they are, or mapped from a collector's schema to Sigma field names. */
export const INGEST_FORMATS = ['json', 'zeek-conn', 'goflow2', 'pmacct', 'firewall'] as const;
export type IngestFormat = (typeof INGEST_FORMATS)[number];

/** How the time field is read; `auto`: a number is epoch ms, a string ISO-8601 (or digits: epoch ms). */
export const TIME_FORMATS = ['auto', 'iso8601', 'epoch_ms', 'epoch_s'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

const fieldName = z
  .string()
  .min(1)
  .max(200)
  .refine((n) => n !== '__proto__', 'must not be __proto__');
const logsourceValue = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (at most 64)');

const LogSourceSchema = z.strictObject({
  product: logsourceValue.optional(),
  category: logsourceValue.optional(),
  service: logsourceValue.optional(),
});

const SourceSchema = z.strictObject({
  name: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9_.-]{0,63}$/,
      'lowercase letters, digits, _ . - (at most 64), starting with a letter or digit',
    ),
  logsource: LogSourceSchema.optional(),
  format: z.enum(INGEST_FORMATS).default('json'),
  timeField: fieldName.optional(),
  timeFormat: z.enum(TIME_FORMATS).default('auto'),
  /** The source's own field name (a dotted path reaches into objects) -> the Sigma field name it becomes. */
  fieldMap: z.record(fieldName, fieldName).default({}),
  /** Catalog services (keys) the source's events concern: alerts from them, and incidents declared for those, name them. */
  services: z
    .array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a catalog service key: lowercase letters, digits and dashes'))
    .max(50)
    .default([]),
});

const FileSchema = z.strictObject({ sources: z.array(SourceSchema).max(1000) });

/** Names given to more than one source (checked apart from the schema, so it is reported with the rest). */
function duplicateNames(data: unknown): string[] {
  const list = (data as { sources?: unknown } | null)?.sources;
  if (!Array.isArray(list)) return [];
  const seen = new Set<unknown>();
  const out: string[] = [];
  list.forEach((s: unknown, i) => {
    const name = (s as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') return;
    if (seen.has(name)) out.push(`sources.${i}.name: "${name}" is configured twice`);
    seen.add(name);
  });
  return out;
}

/** A source as read (`services` optional for sources built in code: the built-in ones name none). */
export type IngestSourceConfig = Omit<z.infer<typeof SourceSchema>, 'services'> & { services?: string[] };

/** Reads and validates the sources file; returns the sources or the list of problems (each naming the file). */
export function loadSourcesFile(file: string): { sources: IngestSourceConfig[] } | { problems: string[] } {
  const read = readConfigFile(file, 'TOCSIN_SOURCES_FILE');
  if ('problems' in read) return read;
  const { data, where } = read;
  const r = FileSchema.safeParse(data ?? {});
  const problems = [
    ...(r.success ? [] : r.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`)),
    ...duplicateNames(data),
  ];
  if (problems.length || !r.success) return { problems: problems.map((p) => `${where}: ${p}`) };
  return { sources: r.data.sources };
}
