/**
 * Safe YAML reading for rule files: a size limit, a limit on alias expansion (YAML bombs), a
 * limit on documents per file. Multi-document files (a correlation with its rules, `---`) are
 * read document by document; a bad document never hides the good ones.
 */
import YAML, { type ScalarTag } from 'yaml';

export interface YamlLimits {
  /** Largest rule file, bytes. */
  maxFileBytes: number;
  /** Largest number of alias expansions in one document. */
  maxAliasCount: number;
  /** Most documents in one file. */
  maxDocuments: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = { maxFileBytes: 1024 * 1024, maxAliasCount: 50, maxDocuments: 100 };

export interface YamlDoc {
  index: number;
  value: unknown;
}
export interface YamlResult {
  docs: YamlDoc[];
  errors: { index?: number; reason: string }[];
}

// Hexadecimal and octal integers (0x10, 0o7) stay strings: event fields hold them as text
// (status codes such as 0xC000006D), and a number would no longer match that text.
const keepRadixAsText = (tags: YAML.Tags): YAML.Tags =>
  tags.map((t) => {
    const tag = t as ScalarTag;
    return typeof tag === 'object' && (tag.format === 'HEX' || tag.format === 'OCT')
      ? { ...tag, resolve: (s: string) => s }
      : t;
  });

/** Parses rule YAML text (one or more documents) within limits. */
export function parseRuleYaml(text: string | Buffer, limits: YamlLimits = DEFAULT_YAML_LIMITS): YamlResult {
  const bytes = typeof text === 'string' ? Buffer.byteLength(text) : text.length;
  if (bytes > limits.maxFileBytes)
    return {
      docs: [],
      errors: [{ reason: `file is ${bytes} bytes, larger than the ${limits.maxFileBytes}-byte limit for rule files` }],
    };
  const src = typeof text === 'string' ? text : text.toString('utf8');
  if (src.includes('\uFFFD') && typeof text !== 'string')
    return { docs: [], errors: [{ reason: 'file is not valid UTF-8' }] };
  let all: YAML.Document.Parsed[];
  try {
    all = YAML.parseAllDocuments(src, {
      customTags: keepRadixAsText,
      uniqueKeys: true,
      prettyErrors: false,
    }) as YAML.Document.Parsed[];
  } catch (e) {
    return { docs: [], errors: [{ reason: `YAML: ${(e as Error).message.split('\n')[0]}` }] };
  }
  if (!Array.isArray(all)) return { docs: [], errors: [{ reason: 'file holds no YAML document' }] };
  if (all.length > limits.maxDocuments)
    return {
      docs: [],
      errors: [{ reason: `file holds ${all.length} YAML documents, more than ${limits.maxDocuments}` }],
    };
  const out: YamlResult = { docs: [], errors: [] };
  all.forEach((doc, index) => {
    const err = doc.errors[0];
    if (err) {
      out.errors.push({ index, reason: `YAML: ${err.message.split('\n')[0]}` });
      return;
    }
    try {
      const value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
      if (value === null || value === undefined) return; // an empty document (a trailing `---`)
      out.docs.push({ index, value });
    } catch (e) {
      const msg = (e as Error).message;
      out.errors.push({
        index,
        reason: /alias/i.test(msg)
          ? `YAML aliases expand too much (a "YAML bomb"; limit ${limits.maxAliasCount})`
          : `YAML: ${msg.split('\n')[0]}`,
      });
    }
  });
  return out;
}

const sameLimits = (a: YamlLimits, b: YamlLimits) =>
  a.maxFileBytes === b.maxFileBytes && a.maxAliasCount === b.maxAliasCount && a.maxDocuments === b.maxDocuments;

function deepFreeze(v: unknown): void {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const x of Object.values(v)) deepFreeze(x);
}

/** Files parsed, by the rule source object that holds the text (while that object lives and its text is the same). */
const parsedSources = new WeakMap<object, { text: string | Buffer; limits: YamlLimits; result: YamlResult }>();

/**
 * `parseRuleYaml` of a rule source, parsed once however many engines and correlators compile it (a worker
 * owning several partitions builds a correlator for each from the same sources). The values are frozen:
 * compiling only reads them.
 */
export function parseRuleSource(src: { text: string | Buffer }, limits: YamlLimits = DEFAULT_YAML_LIMITS): YamlResult {
  const cached = parsedSources.get(src);
  if (cached && cached.text === src.text && sameLimits(cached.limits, limits)) return cached.result;
  const result = parseRuleYaml(src.text, limits);
  for (const d of result.docs) deepFreeze(d.value);
  parsedSources.set(src, { text: src.text, limits: { ...limits }, result });
  return result;
}
