/**
 * The risk register (issue 16, docs/risk.md): risks scored by likelihood × impact (1–5 each), their level,
 * owner, status, review date, linked incidents (by key) and vulnerabilities (text ids), the residual
 * scores after treatment, and the history of changes; the 5×5 heat map. Inputs are strict.
 */
import { z } from 'zod';
import { isoTime } from './api-schemas.js';
import { IncidentKey } from './incident-schemas.js';
import { label } from './text.js';

export const RISK_CATEGORIES = [
  'cyber',
  'operational',
  'technology',
  'third_party',
  'compliance',
  'people',
  'other',
] as const;
export const RiskCategory = z.enum(RISK_CATEGORIES);
export type RiskCategory = z.infer<typeof RiskCategory>;

export const RISK_STATUSES = ['open', 'treating', 'accepted', 'closed'] as const;
export const RiskStatus = z.enum(RISK_STATUSES);
export type RiskStatus = z.infer<typeof RiskStatus>;

export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/**
 * The level of a score (likelihood × impact, 1–25): low 1–4, medium 5–9, high 10–16, critical 20–25
 * (the products 17–19 do not occur). The thresholds are documented in docs/risk.md.
 */
export function riskLevel(score: number): RiskLevel {
  if (score >= 20) return 'critical';
  if (score >= 10) return 'high';
  if (score >= 5) return 'medium';
  return 'low';
}
/** The lowest score of each level (list filters by level use these). */
export const LEVEL_RANGES: Record<RiskLevel, [number, number]> = {
  low: [1, 4],
  medium: [5, 9],
  high: [10, 16],
  critical: [20, 25],
};

const Rating = z.number().int().min(1).max(5);
const Day = z.iso.date();
const VulnerabilityId = z.string().trim().min(1).max(100);

export const RiskInput = z.strictObject({
  title: label(200),
  description: z.string().max(10_000).default(''),
  category: RiskCategory,
  likelihood: Rating,
  impact: Rating,
  ownerId: z.string().min(1).max(64).nullable().default(null),
  status: RiskStatus.default('open'),
  reviewOn: Day.nullable().default(null),
  incidentKeys: z.array(IncidentKey).max(100).default([]),
  vulnerabilityIds: z.array(VulnerabilityId).max(200).default([]),
  residualLikelihood: Rating.nullable().default(null),
  residualImpact: Rating.nullable().default(null),
});
export type RiskInput = z.infer<typeof RiskInput>;

/** An update: the fields given change; `version` is the one read (409 if it changed meanwhile). */
export const RiskUpdate = z.strictObject({
  version: z.number().int().min(1),
  title: label(200).optional(),
  description: z.string().max(10_000).optional(),
  category: RiskCategory.optional(),
  likelihood: Rating.optional(),
  impact: Rating.optional(),
  ownerId: z.string().min(1).max(64).nullable().optional(),
  status: RiskStatus.optional(),
  reviewOn: Day.nullable().optional(),
  incidentKeys: z.array(IncidentKey).max(100).optional(),
  vulnerabilityIds: z.array(VulnerabilityId).max(200).optional(),
  residualLikelihood: Rating.nullable().optional(),
  residualImpact: Rating.nullable().optional(),
});
export type RiskUpdate = z.infer<typeof RiskUpdate>;

export const RiskListQuery = z.strictObject({
  status: RiskStatus.optional(),
  category: RiskCategory.optional(),
  level: z.enum(RISK_LEVELS).optional(),
  ownerId: z.string().max(64).optional(),
  likelihood: z.coerce.number().int().min(1).max(5).optional(),
  impact: z.coerce.number().int().min(1).max(5).optional(),
  /** Leave closed risks out (as the heat map does unless asked). */
  notClosed: z.enum(['true', 'false']).optional(),
  /** Risks whose review date is before today (in the firm's time zone). */
  reviewDue: z.enum(['true', 'false']).optional(),
  q: z.string().max(200).optional(),
});
export type RiskListQuery = z.infer<typeof RiskListQuery>;

const Person = z.object({ id: z.string(), name: z.string().nullable() });

export const Risk = z.object({
  id: z.string(),
  key: z.string(),
  title: z.string(),
  description: z.string(),
  category: RiskCategory,
  likelihood: z.number(),
  impact: z.number(),
  score: z.number(),
  level: z.enum(RISK_LEVELS),
  residualLikelihood: z.number().nullable(),
  residualImpact: z.number().nullable(),
  residualScore: z.number().nullable(),
  residualLevel: z.enum(RISK_LEVELS).nullable(),
  owner: Person.nullable(),
  status: RiskStatus,
  reviewOn: z.string().nullable(),
  reviewDue: z.boolean(),
  incidentKeys: z.array(z.string()),
  vulnerabilityIds: z.array(z.string()),
  version: z.number(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type Risk = z.infer<typeof Risk>;

export const RiskChange = z.object({
  at: isoTime,
  by: z.object({ id: z.string().nullable(), label: z.string() }),
  /** Field -> [before, after]; a new risk has every field with null before. */
  changes: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])),
});
export type RiskChange = z.infer<typeof RiskChange>;

export const RiskDetail = Risk.extend({ history: z.array(RiskChange) });
export type RiskDetail = z.infer<typeof RiskDetail>;

export const RiskHeatMapQuery = z.strictObject({
  /** Residual scores instead of the inherent ones (risks without residual ratings are left out). */
  residual: z.enum(['true', 'false']).optional(),
  /** Closed risks are left out unless asked for. */
  includeClosed: z.enum(['true', 'false']).optional(),
});
export const RiskHeatMap = z.object({
  residual: z.boolean(),
  /** One cell per likelihood × impact with at least one risk. */
  cells: z.array(
    z.object({ likelihood: z.number(), impact: z.number(), count: z.number(), level: z.enum(RISK_LEVELS) }),
  ),
  total: z.number(),
});
export type RiskHeatMap = z.infer<typeof RiskHeatMap>;
