/**
 * Claims customers file on the public portal (issue 14): whether an incident's portal takes claims (open,
 * public titles, closing time), and the files attached to a claim — listed, downloaded (each download
 * audited), uploaded by staff as multipart/form-data.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  ATTACHMENT_MAX_BYTES,
  ATTACHMENTS_PER_CLAIM,
  ATTACHMENTS_PER_UPLOAD,
  type ClaimAttachment,
  type ClaimAttachmentList,
  type PortalFiling,
  type PortalFilingBody,
} from '../../../shared/compensation-filing-schemas.js';
import { API, api } from '../../app/api.js';

export type { ClaimAttachment, PortalFiling, PortalFilingBody };

const enc = encodeURIComponent;
const portalPath = (key: string) => `/incidents/${enc(key)}/compensation/portal`;
const attachmentsPath = (claimId: string) => `/compensation/claims/${enc(claimId)}/attachments`;

/** Under the compensation key: any compensation change refetches these too (and these refetch the rest). */
const ALL = ['compensation'] as const;
const KEYS = {
  portal: (key: string) => [...ALL, 'portal', key] as const,
  attachments: (claimId: string) => [...ALL, 'attachments', claimId] as const,
};

export function usePortalFiling(key: string) {
  return useQuery({
    queryKey: KEYS.portal(key),
    queryFn: ({ signal }) => api<PortalFiling>(portalPath(key), { signal }),
  });
}

/** Whether the portal takes claims now: open, and its closing time (if any) not passed. */
export function takingClaims(f: PortalFiling, now = Date.now()): boolean {
  return f.open && (f.closesAt === null || Date.parse(f.closesAt) > now);
}

/** Opens the portal for claims (with its public titles and closing time) or closes it. */
export function useSetPortalFiling(key: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PortalFilingBody) => api<PortalFiling>(portalPath(key), { method: 'PUT', body }),
    onSuccess: (filing) => {
      qc.setQueryData(KEYS.portal(key), filing);
      void qc.invalidateQueries({ queryKey: ALL });
    },
  });
}

export function useClaimAttachments(claimId: string) {
  return useQuery({
    queryKey: KEYS.attachments(claimId),
    queryFn: ({ signal }) => api<ClaimAttachmentList>(attachmentsPath(claimId), { signal }),
    select: (d) => d.items,
  });
}

/** Uploads files to a claim (parts named `file`); the answer is every attachment of the claim. */
export function useUploadAttachments(claimId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (files: File[]) => {
      const form = new FormData();
      for (const f of files) form.append('file', f, f.name);
      return api<ClaimAttachmentList>(attachmentsPath(claimId), { method: 'POST', form });
    },
    onSuccess: (list) => {
      qc.setQueryData(KEYS.attachments(claimId), list);
      // The claim's log gains an evidence event.
      void qc.invalidateQueries({ queryKey: ALL });
    },
  });
}

/** The address of one attachment's bytes (the session cookie goes with it; the server audits the download). */
export const attachmentUrl = (claimId: string, attachmentId: string) =>
  `${API}${attachmentsPath(claimId)}/${enc(attachmentId)}`;

/** Why a choice of files would be refused before sending it (the server checks again, and sniffs the types). */
export function uploadProblem(
  files: readonly { name: string; size: number }[],
  already: number,
): { key: 'tooMany' | 'tooManyForClaim' | 'tooLarge'; name?: string; max: number } | null {
  if (files.length > ATTACHMENTS_PER_UPLOAD) return { key: 'tooMany', max: ATTACHMENTS_PER_UPLOAD };
  if (already + files.length > ATTACHMENTS_PER_CLAIM) return { key: 'tooManyForClaim', max: ATTACHMENTS_PER_CLAIM };
  const big = files.find((f) => f.size > ATTACHMENT_MAX_BYTES);
  if (big) return { key: 'tooLarge', name: big.name, max: ATTACHMENT_MAX_BYTES / (1024 * 1024) };
  return null;
}

/** A file size for people: bytes, KB or MB (1024-based, one decimal), digits in the reader's locale. */
export function formatBytes(bytes: number, locale: string): string {
  const n = (v: number) => v.toLocaleString(locale, { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${n(bytes)} B`;
  if (bytes < 1024 * 1024) return `${n(bytes / 1024)} KB`;
  return `${n(bytes / (1024 * 1024))} MB`;
}
