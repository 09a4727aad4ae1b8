/**
 * Queries and mutations of the evidence locker (issue 15): an incident's items, one item's custody, the
 * upload (with progress), legal hold, deletion, one-click snapshots, and the export packages.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { EvidencePackage, EvidencePackageList } from '../../../shared/evidence-package-schemas.js';
import type { CustodyHistory, EvidenceItem, EvidenceList } from '../../../shared/evidence-schemas.js';
import type { InvestigationRequest } from '../../../shared/investigation-schemas.js';
import { API, api, ApiError, currentCsrfToken, qs } from '../../app/api.js';
import type { Problem } from '../../app/types.js';

export type { CustodyHistory, EvidenceItem, EvidencePackage, InvestigationRequest };

const enc = encodeURIComponent;
const LOCKER = ['evidence'] as const;
const lockerKey = (key: string) => [...LOCKER, 'incident', key];

export function useEvidenceList(key: string) {
  return useQuery({
    queryKey: lockerKey(key),
    queryFn: ({ signal }) => api<EvidenceList>(`/incidents/${enc(key)}/evidence`, { signal }),
  });
}

/** One item; fetching it is a view, an entry of its chain of custody. */
export function useEvidenceItem(id: string) {
  return useQuery({
    queryKey: [...LOCKER, 'item', id],
    queryFn: ({ signal }) => api<EvidenceItem>(`/evidence/${enc(id)}`, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** The item's chain of custody (asked once the view that opened it is recorded). */
export function useCustody(id: string, enabled: boolean) {
  return useQuery({
    queryKey: [...LOCKER, 'custody', id],
    enabled,
    queryFn: ({ signal }) => api<CustodyHistory>(`/evidence/${enc(id)}/custody`, { signal }),
  });
}

/** The URLs of an item's bytes (a download) and safe preview. */
export const contentUrl = (id: string) => `${API}/evidence/${enc(id)}/content`;
export const previewUrl = (id: string) => `${API}/evidence/${enc(id)}/preview`;
export const packageUrl = (id: string) => `${API}/evidence-packages/${enc(id)}/content`;

/** The types the server previews (pictures re-encoded, text as text). */
export const previewKind = (mediaType: string): 'image' | 'text' | null =>
  /^image\/(jpeg|png|webp|gif|tiff)$/.test(mediaType)
    ? 'image'
    : mediaType === 'text/plain' || mediaType === 'application/json'
      ? 'text'
      : null;

/** The safe preview: a blob URL of the re-encoded PNG, or the text; the fetch is a custody entry. */
export function usePreview(item: EvidenceItem, enabled: boolean) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: [...LOCKER, 'preview', item.id],
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    queryFn: async ({ signal }): Promise<{ image: string } | { text: string; truncated: boolean }> => {
      const res = await fetch(previewUrl(item.id), { credentials: 'same-origin', signal });
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as Partial<Problem>;
        throw new ApiError({ type: 'about:blank', title: res.statusText, ...body, status: body.status ?? res.status });
      }
      void qc.invalidateQueries({ queryKey: [...LOCKER, 'custody', item.id] });
      if ((res.headers.get('content-type') ?? '').startsWith('image/png'))
        return { image: URL.createObjectURL(await res.blob()) };
      return { text: await res.text(), truncated: res.headers.get('x-tocsin-preview-truncated') === 'true' };
    },
  });
}

export interface UploadFields {
  description: string;
  sourceSystem: string;
  acquisitionMethod: string;
  acquirerSha256: string;
}

/** Sends the form (fields first, then the file) with XMLHttpRequest for its upload progress (0..1). */
function sendUpload(key: string, fields: UploadFields, file: File, onProgress: (f: number) => void) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v.trim()) fd.append(k, v.trim());
  fd.append('file', file, file.name);
  return new Promise<EvidenceItem>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${API}/incidents/${enc(key)}/evidence`);
    xhr.setRequestHeader('Accept', 'application/json');
    const csrf = currentCsrfToken();
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError({ type: 'tocsin:network', title: 'network', status: 0 }));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: a proxy's page
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as EvidenceItem);
      else {
        const p = (body ?? {}) as Partial<Problem>;
        reject(new ApiError({ type: 'about:blank', title: xhr.statusText, ...p, status: p.status ?? xhr.status }));
      }
    };
    xhr.send(fd);
  });
}

export function useUploadEvidence(key: string, onProgress: (f: number) => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ fields, file }: { fields: UploadFields; file: File }) => sendUpload(key, fields, file, onProgress),
    onSuccess: () => qc.invalidateQueries({ queryKey: lockerKey(key) }),
  });
}

/** After a change of one item: the list, the item's custody, the attack timeline that shows items. */
function useRefresh(key: string) {
  const qc = useQueryClient();
  return (id?: string) => {
    void qc.invalidateQueries({ queryKey: lockerKey(key) });
    if (id) void qc.invalidateQueries({ queryKey: [...LOCKER, 'custody', id] });
    void qc.invalidateQueries({ queryKey: ['attack-timeline', key] });
  };
}

export function useHold(key: string) {
  const qc = useQueryClient();
  const refresh = useRefresh(key);
  return useMutation({
    mutationFn: ({ id, hold, reason }: { id: string; hold: boolean; reason: string }) =>
      api<EvidenceItem>(`/evidence/${enc(id)}/hold`, { method: 'PUT', body: { hold, reason } }),
    onSuccess: (item) => {
      qc.setQueryData([...LOCKER, 'item', item.id], item);
      refresh(item.id);
    },
  });
}

export function useDeleteEvidence(key: string) {
  const refresh = useRefresh(key);
  return useMutation({
    mutationFn: (id: string) => api<void>(`/evidence/${enc(id)}`, { method: 'DELETE' }),
    onSuccess: (_v, id) => refresh(id),
  });
}

/** One-click snapshots: an alert with its events, the attack timeline, an action's connector response. */
export type Snapshot = { alertId: string } | { timeline: true } | { actionId: string };

export function usePreserve(key: string) {
  const refresh = useRefresh(key);
  return useMutation({
    mutationFn: (what: Snapshot) =>
      api<EvidenceItem>(
        `/incidents/${enc(key)}/evidence/${
          'alertId' in what
            ? `alerts/${enc(what.alertId)}`
            : 'actionId' in what
              ? `actions/${enc(what.actionId)}`
              : 'timeline'
        }`,
        { method: 'POST' },
      ),
    onSuccess: (item) => refresh(item.id),
  });
}

export function usePackages(key: string, enabled = true) {
  return useQuery({
    queryKey: [...LOCKER, 'packages', key],
    enabled,
    retry: false,
    queryFn: ({ signal }) => api<EvidencePackageList>(`/incidents/${enc(key)}/evidence/packages`, { signal }),
  });
}

export function useIncidentRequests(key: string, enabled: boolean) {
  return useQuery({
    queryKey: ['investigation-requests', 'incident', key],
    enabled,
    queryFn: ({ signal }) =>
      api<{ items: InvestigationRequest[] }>(`/investigation-requests${qs({ incident: key })}`, { signal }),
  });
}

export function useExportPackage(key: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { itemIds: string[]; recipient: string; requestId?: string; purpose?: string }) =>
      api<EvidencePackage>(`/incidents/${enc(key)}/evidence/packages`, { method: 'POST', body }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: [...LOCKER, 'packages', key] });
      void qc.invalidateQueries({ queryKey: lockerKey(key) });
    },
  });
}
