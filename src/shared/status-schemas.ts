/**
 * Request and response schemas of the staff API of the public status site (`/api/v1/status/...`):
 * which services are shown and how, state overrides, groups, scheduled maintenance, and the
 * announcements (read-only here: only publishing an approved statement writes them). The public read
 * model itself is `status-site.ts`.
 */
import { z } from 'zod';
import { isoTime, nullableIso } from './api-schemas.js';
import { ANNOUNCEMENT_IMPACTS, ANNOUNCEMENT_STATUSES, COMPONENT_STATES } from './status-site.js';
import { label } from './text.js';

const key = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes');

/** A one-line text in both languages; English may be empty (the public page falls back to Chinese). */
const BilingualLabel = (max: number) => z.strictObject({ zh: label(max), en: z.string().trim().max(max) });
/** Markdown in both languages (rendered by the one renderer, platform/markdown.ts). */
const BilingualMarkdown = (max: number) => z.strictObject({ zh: z.string().max(max), en: z.string().max(max) });
const Bilingual = z.object({ zh: z.string(), en: z.string() });

export const ComponentState = z.enum(COMPONENT_STATES);

export const StatusKeyParams = z.strictObject({ key });
export const StatusIdParams = z.strictObject({ id: z.string().min(1).max(64) });
export const AnnouncementSlugParams = z.strictObject({ slug: z.string().regex(/^\d{4}-\d{4,}$/) });

/** A catalog service with its public settings and the state the public sees now. */
export const StatusComponent = z.object({
  key: z.string(),
  name: Bilingual,
  public: z.boolean(),
  group: z.string().nullable(),
  position: z.number().int(),
  description: Bilingual,
  state: ComponentState,
  source: z.enum(['probe', 'manual']),
  since: isoTime,
  /** The probes' verdict (probe module's health state). */
  health: z.enum(['up', 'degraded', 'down', 'unknown']),
  override: z.object({ state: ComponentState, reason: z.string(), by: z.string(), since: isoTime }).nullable(),
});
export type StatusComponent = z.infer<typeof StatusComponent>;

export const StatusComponentUpdate = z
  .strictObject({
    public: z.boolean(),
    group: key.nullable(),
    position: z.int().min(0).max(10_000),
    /** Plain text (the public page escapes it). */
    description: z.strictObject({ zh: z.string().trim().max(500), en: z.string().trim().max(500) }),
  })
  .partial();
export type StatusComponentUpdate = z.infer<typeof StatusComponentUpdate>;

export const StatusOverrideInput = z.strictObject({ state: ComponentState, reason: label(500) });

export const StatusGroup = z.object({ key: z.string(), name: Bilingual, position: z.number().int() });
export type StatusGroup = z.infer<typeof StatusGroup>;
export const StatusGroupCreate = z.strictObject({
  key,
  name: BilingualLabel(120),
  position: z.int().min(0).max(10_000).default(0),
});
export const StatusGroupUpdate = z
  .strictObject({ name: BilingualLabel(120), position: z.int().min(0).max(10_000) })
  .partial();

export const StatusMaintenance = z.object({
  id: z.string(),
  title: Bilingual,
  /** Markdown as written. */
  body: Bilingual,
  services: z.array(z.string()),
  startsAt: isoTime,
  endsAt: isoTime,
  state: z.enum(['scheduled', 'in_progress', 'completed']),
  updatedAt: isoTime,
});
export type StatusMaintenance = z.infer<typeof StatusMaintenance>;
const maintenanceFields = {
  title: BilingualLabel(200),
  body: BilingualMarkdown(20_000),
  services: z.array(key).min(1).max(100),
  startsAt: isoTime,
  endsAt: isoTime,
};
const endsAfterStart = (m: { startsAt?: string; endsAt?: string }) =>
  !m.startsAt || !m.endsAt || Date.parse(m.endsAt) > Date.parse(m.startsAt);
export const StatusMaintenanceCreate = z
  .strictObject({ ...maintenanceFields, body: maintenanceFields.body.default({ zh: '', en: '' }) })
  .refine(endsAfterStart, { message: 'endsAt must be after startsAt', path: ['endsAt'] });
export const StatusMaintenanceUpdate = z
  .strictObject(maintenanceFields)
  .partial()
  .refine(endsAfterStart, { message: 'endsAt must be after startsAt', path: ['endsAt'] });
export const StatusMaintenanceQuery = z.strictObject({
  /** `current`: scheduled and in progress; `all`: also completed ones, newest first. */
  which: z.enum(['current', 'all']).default('current'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** An announcement as staff see it: the public shape's facts in Markdown as published, with its incident. */
export const StatusAnnouncementSummary = z.object({
  id: z.string(),
  slug: z.string(),
  incidentId: z.string(),
  title: Bilingual,
  status: z.enum(ANNOUNCEMENT_STATUSES),
  impact: z.enum(ANNOUNCEMENT_IMPACTS),
  publishedAt: isoTime,
  updatedAt: isoTime,
  resolvedAt: nullableIso,
  /** The public page (`/status/incidents/<slug>`), under the site's base URL. */
  url: z.string(),
});
export type StatusAnnouncementSummary = z.infer<typeof StatusAnnouncementSummary>;

export const StatusAnnouncementDetail = StatusAnnouncementSummary.extend({
  startedAt: nullableIso,
  detectedAt: nullableIso,
  nextUpdateAt: nullableIso,
  cause: Bilingual,
  measures: Bilingual,
  customerAction: Bilingual,
  services: z.array(z.string()),
  customerGroups: z.array(Bilingual),
  regions: z.array(Bilingual),
  investigation: z.object({ body: Bilingual, at: isoTime }).nullable(),
  updates: z.array(
    z.object({
      id: z.string(),
      statementId: z.string(),
      kind: z.enum(['opened', 'updated', 'investigation', 'resolved']),
      status: z.enum(ANNOUNCEMENT_STATUSES),
      body: Bilingual,
      at: isoTime,
    }),
  ),
});
export type StatusAnnouncementDetail = z.infer<typeof StatusAnnouncementDetail>;

export const StatusAnnouncementQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The slug of the last announcement of the previous page (newest first). */
  cursor: z.string().max(200).optional(),
});
