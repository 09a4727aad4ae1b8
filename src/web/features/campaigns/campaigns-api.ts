/** Queries and mutations of customer campaigns (issue 12). */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Campaign,
  CampaignCreate,
  CampaignMessagePage,
  CampaignPreview,
} from '../../../shared/campaign-schemas.js';
import type { Statement } from '../../../shared/statement-schemas.js';
import { api, qs } from '../../app/api.js';

export type { Campaign, CampaignMessagePage, CampaignPreview };

const enc = encodeURIComponent;
const KEYS = {
  all: ['campaigns'] as const,
  incident: (key: string) => ['campaigns', 'incident', key] as const,
  one: (id: string) => ['campaigns', 'one', id] as const,
  messages: (id: string) => ['campaigns', 'messages', id] as const,
  list: (id: string, status: string) => ['campaigns', 'message-list', id, status] as const,
  notices: (key: string) => ['campaigns', 'notices', key] as const,
};

export function useIncidentCampaigns(key: string) {
  return useQuery({
    queryKey: KEYS.incident(key),
    queryFn: ({ signal }) => api<{ items: Campaign[] }>(`/incidents/${enc(key)}/campaigns`, { signal }),
    select: (d) => d.items,
  });
}

/** The incident's approved or published customer notices (what a campaign may send). */
export function useApprovedNotices(key: string) {
  return useQuery({
    queryKey: KEYS.notices(key),
    queryFn: ({ signal }) =>
      api<{ items: Statement[] }>(`/incidents/${enc(key)}/statements${qs({ limit: 50 })}`, { signal }),
    select: (d) =>
      d.items.filter((s) => s.kind === 'customer_notice' && (s.state === 'approved' || s.state === 'published')),
  });
}

export function useCampaign(id: string) {
  return useQuery({
    queryKey: KEYS.one(id),
    queryFn: ({ signal }) => api<Campaign>(`/campaigns/${enc(id)}`, { signal }),
    refetchInterval: 2000,
  });
}

/** Counts per channel and state, refreshed every 2 s while the page is open. */
export function useCampaignMessages(id: string) {
  return useQuery({
    queryKey: KEYS.messages(id),
    queryFn: ({ signal }) => api<CampaignMessagePage>(`/campaigns/${enc(id)}/messages${qs({ limit: 20 })}`, { signal }),
    refetchInterval: 2000,
  });
}

/** The per-customer message list, 50 at a time (keyset pages), filtered by status ('' for all). */
export function useMessageList(id: string, status: string) {
  return useInfiniteQuery({
    queryKey: KEYS.list(id, status),
    queryFn: ({ pageParam, signal }) =>
      api<CampaignMessagePage>(
        `/campaigns/${enc(id)}/messages${qs({ limit: 50, status: status || undefined, cursor: pageParam })}`,
        { signal },
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    refetchInterval: 5000,
  });
}

export function useCreateCampaign(incidentKey: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Partial<CampaignCreate>) =>
      api<Campaign>(`/incidents/${enc(incidentKey)}/campaigns`, { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: KEYS.all }),
  });
}

export function useCampaignStep(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (step: 'launch' | 'pause' | 'resume' | 'cancel') =>
      api<Campaign>(`/campaigns/${enc(id)}/${step}`, { method: 'POST' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: KEYS.all }),
  });
}

export function usePreview() {
  return useMutation({
    mutationFn: (q: { id: string; customerNo: string }) =>
      api<CampaignPreview>(`/campaigns/${enc(q.id)}/preview${qs({ customerNo: q.customerNo })}`),
  });
}
