/** Queries and mutations of customer inquiries: the inbox, one inquiry, canned answers, the war room's numbers. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CustomerInquiry, CustomerInquiryDetail, InquiryStats } from '../../../shared/inquiry-schemas.js';
import { api, qs } from '../../app/api.js';

export type { CustomerInquiry, CustomerInquiryDetail, InquiryStats };

const enc = encodeURIComponent;
const ROOT = ['customer-inquiries'] as const;

export interface InboxFilter {
  status?: string;
  incident?: string;
  assignee?: string;
  overdue?: boolean;
}

export function useInbox(f: InboxFilter, cursor: string | undefined) {
  return useQuery({
    queryKey: [...ROOT, 'list', f, cursor ?? ''],
    queryFn: ({ signal }) =>
      api<{ items: CustomerInquiry[]; next: string | null }>(
        `/inquiries${qs({ ...f, overdue: f.overdue ? 'true' : undefined, cursor, limit: 50 })}`,
        { signal },
      ),
  });
}

export function useInquiry(id: string | null) {
  return useQuery({
    queryKey: [...ROOT, 'one', id ?? ''],
    queryFn: ({ signal }) => api<CustomerInquiryDetail>(`/inquiries/${enc(id!)}`, { signal }),
    enabled: id !== null,
  });
}

export function useCannedAnswers(id: string) {
  return useQuery({
    queryKey: [...ROOT, 'canned', id],
    queryFn: ({ signal }) =>
      api<{ items: { id: string; question: string; answer: string }[] }>(`/inquiries/${enc(id)}/canned-answers`, {
        signal,
      }),
    select: (d) => d.items,
  });
}

export function useInquiryStats(key: string) {
  return useQuery({
    queryKey: [...ROOT, 'stats', key],
    queryFn: ({ signal }) => api<InquiryStats>(`/incidents/${enc(key)}/inquiry-stats`, { signal }),
  });
}

type Change =
  | { kind: 'assign'; assigneeId: string | null }
  | { kind: 'answer'; text?: string; faqId?: string }
  | { kind: 'note'; body: string }
  | { kind: 'close' };

/** A change of one inquiry: everything of the inbox is fetched again. */
export function useChangeInquiry(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (c: Change) => {
      const url = `/inquiries/${enc(id)}`;
      if (c.kind === 'assign') return api(`${url}/assign`, { method: 'POST', body: { assigneeId: c.assigneeId } });
      if (c.kind === 'answer')
        return api(`${url}/answer`, { method: 'POST', body: c.faqId ? { faqId: c.faqId } : { text: c.text } });
      if (c.kind === 'note') return api(`${url}/notes`, { method: 'POST', body: { body: c.body } });
      return api(`${url}/close`, { method: 'POST' });
    },
    onSuccess: () => void qc.invalidateQueries({ queryKey: ROOT }),
  });
}
