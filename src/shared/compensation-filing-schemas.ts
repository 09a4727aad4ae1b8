/**
 * Claims the customer files on the public portal (issue 14): whether an incident takes claims there
 * (a public title, an optional closing time), and the files attached to a claim — by the customer on the
 * portal or by staff in the console — kept content-addressed with their SHA-256.
 */
import { z } from 'zod';
import { isoTime, nullableIso } from './api-schemas.js';

const Person = z.object({ id: z.string(), name: z.string().nullable() }).nullable();

/** Media types a claim's file may have (sniffed from its bytes, never taken from the upload's word). */
export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf', 'text/plain'] as const;
/** Per file and per claim. */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
export const ATTACHMENTS_PER_UPLOAD = 5;
export const ATTACHMENTS_PER_CLAIM = 20;

export const ClaimAttachment = z.object({
  id: z.string(),
  claimId: z.string(),
  /** The name the file had on the uploader's machine (cleaned), for display and download only. */
  fileName: z.string(),
  mediaType: z.enum(ATTACHMENT_TYPES),
  bytes: z.number().int(),
  sha256: z.string(),
  /** null: the customer, on the portal. */
  uploadedBy: Person,
  channel: z.enum(['portal', 'console']),
  createdAt: isoTime,
});
export type ClaimAttachment = z.infer<typeof ClaimAttachment>;
export const ClaimAttachmentList = z.object({ items: z.array(ClaimAttachment) });
export type ClaimAttachmentList = z.infer<typeof ClaimAttachmentList>;

/** Whether customers can file claims for an incident on the portal, and under which public title. */
export const PortalFiling = z.object({
  open: z.boolean(),
  titleZh: z.string(),
  titleEn: z.string(),
  /** After this the portal takes no new claims (null: until closed by hand). */
  closesAt: nullableIso,
  openedAt: nullableIso,
  openedBy: Person,
  /** Claims customers filed on the portal for this incident. */
  filed: z.number().int(),
});
export type PortalFiling = z.infer<typeof PortalFiling>;

/** Open (titles required; `closesAt` optional) or close (`open: false`, nothing else needed). */
export const PortalFilingBody = z
  .strictObject({
    open: z.boolean(),
    titleZh: z.string().trim().min(1).max(200).optional(),
    titleEn: z.string().trim().min(1).max(200).optional(),
    closesAt: isoTime.nullable().optional(),
  })
  .superRefine((b, ctx) => {
    if (!b.open) return;
    for (const k of ['titleZh', 'titleEn'] as const)
      if (!b[k]) ctx.addIssue({ code: 'custom', path: [k], message: 'a public title is needed to open the portal' });
  });
export type PortalFilingBody = z.infer<typeof PortalFilingBody>;
