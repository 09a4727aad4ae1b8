/**
 * Indicators of compromise of an incident (issue 15, docs/iocs.md): IP addresses, domains, URLs, file
 * hashes, accounts and e-mail addresses, with a confidence (0-100) and a TLP 2.0 marking; shared as STIX
 * 2.1, MISP event JSON and over a read-only TAXII 2.1 collection (TLP:CLEAR and GREEN only).
 */
import { z } from 'zod';
import { isoTime } from './api-schemas.js';

export const IOC_TYPES = ['ipv4', 'ipv6', 'domain', 'url', 'sha256', 'md5', 'sha1', 'account', 'email'] as const;
export type IocType = (typeof IOC_TYPES)[number];

export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

export const IOC_SOURCES = ['alert', 'analyst', 'import'] as const;

/** Largest STIX bundle an import reads (bytes of JSON). */
export const STIX_IMPORT_MAX_BYTES = 10 * 1024 * 1024;

export const Ioc = z.object({
  id: z.string(),
  incidentKey: z.string(),
  type: z.enum(IOC_TYPES),
  value: z.string(),
  confidence: z.number().int(),
  tlp: z.enum(TLP_LEVELS),
  source: z.enum(IOC_SOURCES),
  alertId: z.string().nullable(),
  description: z.string(),
  firstSeen: isoTime,
  lastSeen: isoTime,
  createdBy: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
  revoked: z.boolean(),
});
export type Ioc = z.infer<typeof Ioc>;

const Confidence = z.number().int().min(0).max(100);
const Description = z.string().max(2000);

export const IocCreate = z.strictObject({
  type: z.enum(IOC_TYPES),
  value: z.string().min(1).max(2048),
  confidence: Confidence.default(50),
  tlp: z.enum(TLP_LEVELS).default('amber'),
  description: Description.default(''),
});

export const IocUpdate = z
  .strictObject({
    confidence: Confidence.optional(),
    tlp: z.enum(TLP_LEVELS).optional(),
    description: Description.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'change at least one of confidence, tlp, description' });

export const IocRevoke = z.strictObject({ reason: z.string().min(1).max(500) });

export const IocListQuery = z.strictObject({
  revoked: z.enum(['true', 'false']).optional(),
});

export const IocExtractResult = z.object({ created: z.number().int(), seen: z.number().int(), items: z.array(Ioc) });

export const StixImportResult = z.object({
  created: z.number().int(),
  existing: z.number().int(),
  /** How many objects were not taken (the list names the first 1000 with the reason). */
  skippedTotal: z.number().int(),
  skipped: z.array(z.object({ id: z.string(), type: z.string(), reason: z.string() })),
});

/** A STIX 2.1 bundle as an import reads it: the envelope strictly, its objects loosely (each checked alone). */
export const StixBundleIn = z.object({
  type: z.literal('bundle'),
  id: z.string().regex(/^bundle--[0-9a-f-]{36}$/),
  objects: z.array(z.record(z.string(), z.unknown())).max(100_000),
});

/** An indicator as an import takes it (other properties ignored). */
export const StixIndicatorIn = z.object({
  type: z.literal('indicator'),
  id: z.string().max(200),
  pattern: z.string().max(10_000),
  pattern_type: z.string().max(100),
  confidence: z.number().int().min(0).max(100).optional(),
  description: z.string().max(2000).optional(),
  name: z.string().max(2000).optional(),
  valid_from: z.string().max(64).optional(),
  object_marking_refs: z.array(z.string().max(200)).max(50).optional(),
  revoked: z.boolean().optional(),
});

// --- IOCs back into detection (docs/iocs.md "Detection") ---

/** What to turn into detection rules: types (default: all but accounts), the least confidence (default 50), the alerts' level. */
export const IocDetectionRequest = z.strictObject({
  types: z.array(z.enum(IOC_TYPES)).min(1).max(IOC_TYPES.length).optional(),
  minConfidence: z.number().int().min(0).max(100).optional(),
  level: z.enum(['medium', 'high', 'critical']).optional(),
});
export type IocDetectionRequest = z.infer<typeof IocDetectionRequest>;

/** An incident's IOC rules as loaded now, with their hits. */
export const IocDetection = z.object({
  incidentKey: z.string(),
  rules: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      enabled: z.boolean(),
      hits: z.number().int(),
      lastHitAt: isoTime.nullable(),
    }),
  ),
  /** IOCs put into the rules by this call (0 when only read). */
  iocs: z.number().int(),
  /** IOCs that qualified but were left out (over the per-rule cap). */
  leftOut: z.number().int(),
});
export type IocDetection = z.infer<typeof IocDetection>;
