/** Queries of the access review (issue 17, docs/access-review.md) and the administrators' security notices. */
import { useQuery } from '@tanstack/react-query';
import type { AccessReview } from '../../../shared/access-review-schemas.js';
import type { SecurityNotice } from '../../../shared/identity-schemas.js';
import { API, api, qs } from '../../app/api.js';
import { qk } from '../../app/query-keys.js';

export function useAccessReview(dormantDays: string) {
  return useQuery({
    queryKey: qk.accessReview(dormantDays),
    queryFn: ({ signal }) => api<AccessReview>(`/access-review${qs({ dormantDays })}`, { signal }),
  });
}

/** The CSV of the same review, headers in the console's language. */
export const accessReviewCsvUrl = (dormantDays: string, language: string) =>
  `${API}/access-review.csv${qs({ dormantDays, lang: language.startsWith('zh') ? 'zh' : 'en' })}`;

/** Break-glass sign-ins the server told this administrator of, newest first. */
export function useSecurityNotices(enabled: boolean) {
  return useQuery({
    enabled,
    queryKey: qk.securityNotices,
    queryFn: ({ signal }) => api<{ items: SecurityNotice[] }>('/auth/security-notices', { signal }),
    select: (r) => r.items,
    staleTime: 60_000,
  });
}
