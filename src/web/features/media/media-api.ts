/** Queries and mutations of the media desk: the rumor-vs-fact register, media inquiries, FAQ entries. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  FactEntry,
  FactEntryCreate,
  FactEntryPatch,
  FactEntryVersion,
  FaqCreate,
  FaqItem,
  FaqPatch,
  MediaInquiry,
  MediaInquiryCreate,
  MediaInquiryPatch,
  MediaSummary,
} from '../../../shared/media-schemas.js';
import { api, qs } from '../../app/api.js';
import { qk } from '../../app/query-keys.js';

export type { FactEntry, FactEntryVersion, FaqItem, MediaInquiry, MediaSummary };

const enc = encodeURIComponent;
const incident = (key: string) => `/incidents/${enc(key)}`;

/** An incident's register, the site-wide one (`key` null), or with `all` every entry the reader may see. */
export function useFacts(key: string | null, all = false) {
  const url = key ? `${incident(key)}/facts` : all ? '/facts?scope=all' : '/facts';
  return useQuery({
    queryKey: qk.facts(key ?? (all ? '*' : '')),
    queryFn: ({ signal }) => api<{ items: FactEntry[] }>(url, { signal }),
    select: (d) => d.items,
  });
}

export function useFactVersions(id: string, enabled: boolean) {
  return useQuery({
    queryKey: qk.factVersions(id),
    queryFn: ({ signal }) => api<{ items: FactEntryVersion[] }>(`/facts/${enc(id)}/versions`, { signal }),
    enabled,
    select: (d) => d.items,
  });
}

export function useInquiries(status: string | undefined) {
  return useQuery({
    queryKey: qk.mediaInquiries({ status }),
    queryFn: ({ signal }) => api<{ items: MediaInquiry[] }>(`/media-inquiries${qs({ status })}`, { signal }),
    select: (d) => d.items,
  });
}

export function useIncidentInquiries(key: string) {
  return useQuery({
    queryKey: qk.incidentInquiries(key),
    queryFn: ({ signal }) => api<{ items: MediaInquiry[] }>(`${incident(key)}/media-inquiries`, { signal }),
    select: (d) => d.items,
  });
}

export function useMediaSummary(key: string) {
  return useQuery({
    queryKey: qk.mediaSummary(key),
    queryFn: ({ signal }) => api<MediaSummary>(`${incident(key)}/media-summary`, { signal }),
  });
}

export function useFaq(key: string) {
  return useQuery({
    queryKey: qk.faq(key),
    queryFn: ({ signal }) => api<{ items: FaqItem[] }>(`${incident(key)}/faq`, { signal }),
    select: (d) => d.items,
  });
}

/** A write of the media desk: everything of it is fetched again (summaries count across lists). */
function useMediaMutation<V, R>(call: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.media }),
  });
}

type Input<C, P> = { id: null; body: C } | { id: string; body: P };

/** Adds an entry to a register (`key` null: site-wide) or changes one: every change is a new version. */
export const useSaveFact = (key: string | null) =>
  useMediaMutation((v: Input<FactEntryCreate, FactEntryPatch>) =>
    v.id === null
      ? api<FactEntry>(key ? `${incident(key)}/facts` : '/facts', { method: 'POST', body: v.body })
      : api<FactEntry>(`/facts/${enc(v.id)}`, { method: 'PATCH', body: v.body }),
  );

export const useSaveInquiry = (key: string) =>
  useMediaMutation((v: Input<MediaInquiryCreate, MediaInquiryPatch>) =>
    v.id === null
      ? api<MediaInquiry>(`${incident(key)}/media-inquiries`, { method: 'POST', body: v.body })
      : api<MediaInquiry>(`/media-inquiries/${enc(v.id)}`, { method: 'PATCH', body: v.body }),
  );

export const useSaveFaq = (key: string) =>
  useMediaMutation((v: Input<FaqCreate, FaqPatch>) =>
    v.id === null
      ? api<FaqItem>(`${incident(key)}/faq`, { method: 'POST', body: v.body })
      : api<FaqItem>(`${incident(key)}/faq/${enc(v.id)}`, { method: 'PATCH', body: v.body }),
  );
