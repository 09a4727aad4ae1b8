/** Request and response schemas of the detection-rule API (GET/PATCH/POST/DELETE /api/v1/rules). */
import { z } from 'zod';
import { ALERT_LEVELS } from './enums.js';
import { Pagination } from './api-schemas.js';
import { UserRef } from './user-schemas.js';

/** What a rule document is: a detection rule, a correlation rule or a filter (Sigma 2.1). */
export const RULE_KINDS = ['detection', 'correlation', 'filter'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];
/** Where a rule comes from: a rule folder (`TOCSIN_RULES_DIRS`, read-only) or an upload through the API. */
export const RULE_ORIGINS = ['file', 'uploaded'] as const;

/** Largest YAML text one upload may hold (characters). */
export const MAX_RULE_UPLOAD_CHARS = 512 * 1024;

const isoTime = z.iso.datetime({ offset: true });

export const RuleLogsource = z.object({
  product: z.string().optional(),
  category: z.string().optional(),
  service: z.string().optional(),
});

export const RuleSummary = z.object({
  /** The id alerts, suppressions and hit counts use: the rule's `id`, else its `name`, else `file:title`. */
  id: z.string(),
  /** The rule's `name` (what correlations and filters may refer to it by). */
  name: z.string().nullable(),
  /** The rule's `title` (English in our own rules). */
  title: z.string(),
  /** The zh-CN title: our own rules start their description with it, followed by " — ". */
  titleZh: z.string().nullable(),
  level: z.enum(ALERT_LEVELS).nullable(),
  kind: z.enum(RULE_KINDS),
  logsource: RuleLogsource,
  tags: z.array(z.string()),
  /** `file` (a rule folder) or `uploaded` (through the API). */
  origin: z.enum(RULE_ORIGINS),
  /** The rule file: its path for a rule folder, the uploaded file name for an upload. */
  file: z.string(),
  enabled: z.boolean(),
  /**
   * Whether its matches become alerts. False for a rule only a correlation uses (and for a correlation
   * only another correlation uses) unless that correlation asks to `generate` them.
   */
  reported: z.boolean(),
  hits: z.number().int(),
  lastHitAt: isoTime.nullable(),
  /** Why the rule did not compile in the current rule set (null: compiled, or disabled and not compiled). */
  error: z.string().nullable(),
});
export type RuleSummary = z.infer<typeof RuleSummary>;

/** A rule another rule refers to (a correlation's rules, a filter's rules) or is referred by. */
export const RuleRef = z.object({
  /** The id or name as written in the referring rule. */
  ref: z.string(),
  /** The rule it resolves to; null when no loaded rule has that id or name. */
  id: z.string().nullable(),
  title: z.string().nullable(),
  titleZh: z.string().nullable(),
  kind: z.enum(RULE_KINDS).nullable(),
  enabled: z.boolean().nullable(),
});
export type RuleRef = z.infer<typeof RuleRef>;

export const RuleDetail = RuleSummary.extend({
  description: z.string().nullable(),
  status: z.string().nullable(),
  /** The rule's own YAML document, as written. */
  yaml: z.string(),
  /** For a correlation: the rules it correlates; for a filter: the rules it applies to (empty: any rule of its log source). */
  references: z.array(RuleRef),
  /** Correlations and filters that refer to this rule. */
  usedBy: z.array(RuleRef),
  uploaded: z.object({ by: UserRef.nullable(), at: isoTime }).nullable(),
  /** Who last enabled or disabled it (null: never switched). */
  changed: z.object({ by: UserRef.nullable(), at: isoTime }).nullable(),
});
export type RuleDetail = z.infer<typeof RuleDetail>;

export const RuleListQuery = Pagination.extend({
  /** Words in the title (either language), id, name, tags or file. */
  q: z.string().max(200).optional(),
  level: z.enum(ALERT_LEVELS).optional(),
  kind: z.enum(RULE_KINDS).optional(),
  enabled: z.enum(['true', 'false']).optional(),
  origin: z.enum(RULE_ORIGINS).optional(),
});
export type RuleListQuery = z.infer<typeof RuleListQuery>;

export const RuleUpdate = z.strictObject({ enabled: z.boolean() });

export const RuleUpload = z.strictObject({
  /** Shown as the rule's file; a plain name such as `local-filters.yml`. */
  fileName: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^/\\\u0000-\u001f]+$/, 'a file name without slashes or control characters'),
  /** One or more YAML documents (`---` between them): detection rules, correlations, filters. Each needs an `id`. */
  yaml: z.string().min(1).max(MAX_RULE_UPLOAD_CHARS),
});
export type RuleUpload = z.infer<typeof RuleUpload>;

export const RuleCompileError = z.object({
  file: z.string(),
  origin: z.enum(RULE_ORIGINS).nullable(),
  ruleId: z.string().nullable(),
  title: z.string().nullable(),
  reason: z.string(),
});
export type RuleCompileError = z.infer<typeof RuleCompileError>;

export const RuleSetStatus = z.object({
  /** Detection rules, correlations and filters compiled into the live engine. */
  compiled: z.number().int(),
  /** Rules switched off. */
  disabled: z.number().int(),
  errors: z.array(RuleCompileError),
  /** When the live engine was built (null: not yet). */
  loadedAt: isoTime.nullable(),
  /** A change is stored but the engine with it is still being built (effective within seconds). */
  pending: z.boolean(),
});
export type RuleSetStatus = z.infer<typeof RuleSetStatus>;

export const RuleUploadResult = z.object({ items: z.array(RuleSummary) });
