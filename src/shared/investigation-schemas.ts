/**
 * Investigation (issue 15, docs/investigation.md): an incident's ATT&CK techniques (from its alerts' rules'
 * tags and analysts' word), the ATT&CK Navigator layer, the catalogue search, and the register of requests
 * from outside (the police, the CSRC and its local office, the CAC, courts, auditors). Inputs are strict.
 */
import { z } from 'zod';
import { isoTime, nullableIso } from './api-schemas.js';
import { label } from './text.js';

/** ATT&CK technique or sub-technique id, as written in the catalogue (T1110, T1110.004). */
export const TechniqueId = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(/^T\d{4}(\.\d{3})?$/, 'an ATT&CK technique id such as T1110 or T1110.004'));

export const AttackTactic = z.object({
  id: z.string(),
  shortname: z.string(),
  name: z.string(),
  nameZh: z.string(),
  url: z.string(),
});
export type AttackTactic = z.infer<typeof AttackTactic>;

export const AttackTechnique = z.object({
  id: z.string(),
  name: z.string(),
  /** Tactic shortnames (credential-access). */
  tactics: z.array(z.string()),
  platforms: z.array(z.string()),
  url: z.string(),
});
export type AttackTechnique = z.infer<typeof AttackTechnique>;

export const TechniqueSearch = z.strictObject({
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const TechniqueSearchResult = z.object({
  version: z.string(),
  items: z.array(AttackTechnique),
});

/** Where a technique of an incident came from: rules (with the alerts) or an analyst. */
export const TechniqueSource = z.object({
  rules: z.array(z.object({ ruleId: z.string(), ruleTitle: z.string(), alertIds: z.array(z.string()) })),
  analyst: z
    .object({ by: z.object({ id: z.string(), name: z.string() }).nullable(), at: isoTime, note: z.string().nullable() })
    .nullable(),
});

export const IncidentTechnique = AttackTechnique.extend({ source: TechniqueSource });
export type IncidentTechnique = z.infer<typeof IncidentTechnique>;

export const IncidentAttack = z.object({
  incidentKey: z.string(),
  version: z.string(),
  tactics: z.array(AttackTactic),
  techniques: z.array(IncidentTechnique),
  /** Techniques the rules named that analysts removed (with who and why). */
  removed: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      by: z.object({ id: z.string(), name: z.string() }).nullable(),
      at: isoTime,
      note: z.string().nullable(),
    }),
  ),
  /** Tactics the rules' tags named without a technique (attack.credential_access). */
  ruleTactics: z.array(z.string()),
});
export type IncidentAttack = z.infer<typeof IncidentAttack>;

export const TechniqueAdd = z.strictObject({
  techniqueId: TechniqueId,
  note: label(2000).optional(),
});

/** ATT&CK Navigator layer (format 4.5). */
export const NavigatorLayer = z.object({
  name: z.string(),
  versions: z.object({ attack: z.string(), navigator: z.string(), layer: z.string() }),
  domain: z.literal('enterprise-attack'),
  description: z.string(),
  techniques: z.array(
    z.object({
      techniqueID: z.string(),
      tactic: z.string().optional(),
      score: z.number(),
      color: z.string().optional(),
      comment: z.string(),
      enabled: z.boolean(),
    }),
  ),
  gradient: z.object({ colors: z.array(z.string()), minValue: z.number(), maxValue: z.number() }),
  legendItems: z.array(z.object({ label: z.string(), color: z.string() })),
});
export type NavigatorLayer = z.infer<typeof NavigatorLayer>;

// --- requests from outside ---

export const REQUESTER_KINDS = ['police', 'csrc', 'csrc_local', 'cac', 'court', 'auditor', 'other'] as const;
export const REQUEST_STATUSES = ['open', 'answered', 'withdrawn'] as const;

export const HandedOver = z.strictObject({
  /** evidence | export_package | document | other */
  kind: z.enum(['evidence', 'export_package', 'document', 'other']),
  ref: label(200).optional(),
  description: label(2000),
});

export const RequestCreate = z.strictObject({
  incidentKey: z
    .string()
    .regex(/^INC-\d{4}-\d{4,}$/, 'an incident key such as INC-2026-0001')
    .nullable()
    .optional(),
  requesterKind: z.enum(REQUESTER_KINDS),
  requesterName: label(200),
  reference: label(200).nullable().optional(),
  requested: label(10_000),
  receivedAt: isoTime,
  deadlineAt: isoTime.nullable().optional(),
});
export const RequestUpdate = z.strictObject({
  requesterKind: z.enum(REQUESTER_KINDS).optional(),
  requesterName: label(200).optional(),
  reference: label(200).nullable().optional(),
  requested: label(10_000).optional(),
  receivedAt: isoTime.optional(),
  deadlineAt: isoTime.nullable().optional(),
  /** Only `withdrawn` (answering is its own call) or back to `open`. */
  status: z.enum(['open', 'withdrawn']).optional(),
});
export const RequestAnswer = z.strictObject({
  handedOver: z.array(HandedOver).min(1).max(200),
  answeredAt: isoTime.optional(),
});
export const RequestListQuery = z.strictObject({
  status: z.enum(REQUEST_STATUSES).optional(),
  incident: z.string().max(40).optional(),
  requesterKind: z.enum(REQUESTER_KINDS).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const InvestigationRequest = z.object({
  id: z.string(),
  incidentKey: z.string().nullable(),
  requesterKind: z.enum(REQUESTER_KINDS),
  requesterName: z.string(),
  reference: z.string().nullable(),
  requested: z.string(),
  receivedAt: isoTime,
  deadlineAt: nullableIso,
  status: z.enum(REQUEST_STATUSES),
  /** Open past its deadline. */
  overdue: z.boolean(),
  answeredAt: nullableIso,
  answeredBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  handedOver: z.array(z.object({ kind: z.string(), ref: z.string().nullable(), description: z.string() })),
  createdBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type InvestigationRequest = z.infer<typeof InvestigationRequest>;
export const InvestigationRequestList = z.object({ items: z.array(InvestigationRequest) });
