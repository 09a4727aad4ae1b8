/** Queries and mutations of post-incident reviews and action items (issue 16). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ActionItem,
  ActionItemCreate,
  ActionItemCreateBody,
  ActionItemDetail,
  ActionItemStatus,
  ActionItemUpdate,
} from '../../../shared/action-item-schemas.js';
import type { Review, ReviewSummary, ReviewUpdate } from '../../../shared/review-schemas.js';
import { api, qs } from '../../app/api.js';

export type { ActionItem, ActionItemCreate, ActionItemDetail, ActionItemStatus, Review, ReviewSummary };
export {
  ACTION_ITEM_PRIORITIES,
  ACTION_ITEM_TRANSITIONS,
} from '../../../shared/action-item-schemas.js';
export { FACTOR_CATEGORIES, REVIEW_SECTIONS } from '../../../shared/review-schemas.js';

const enc = encodeURIComponent;
const reviewKey = (key: string) => ['review', key] as const;
const base = (key: string) => `/incidents/${enc(key)}/review`;

export function useReview(key: string) {
  return useQuery({
    queryKey: reviewKey(key),
    queryFn: ({ signal }) => api<Review>(base(key), { signal }),
    retry: false,
  });
}

export function useReviewMutations(key: string) {
  const qc = useQueryClient();
  const done = {
    onSuccess: (r: Review) => {
      qc.setQueryData(reviewKey(key), r);
      void qc.invalidateQueries({ queryKey: ['action-items'] });
      void qc.invalidateQueries({ queryKey: ['reviews'] });
    },
  };
  return {
    open: useMutation({ mutationFn: () => api<Review>(base(key), { method: 'POST' }), ...done }),
    save: useMutation({
      mutationFn: (body: ReviewUpdate) => api<Review>(base(key), { method: 'PUT', body }),
      ...done,
    }),
    step: useMutation({
      mutationFn: (step: 'submit' | 'close') => api<Review>(`${base(key)}/${step}`, { method: 'POST' }),
      ...done,
    }),
    addItem: useMutation({
      mutationFn: (body: ActionItemCreate) => api<Review>(`${base(key)}/action-items`, { method: 'POST', body }),
      ...done,
    }),
  };
}

export function useReviews(filter: { overdue?: boolean; state?: string }) {
  return useQuery({
    queryKey: ['reviews', filter],
    queryFn: ({ signal }) =>
      api<{ items: ReviewSummary[] }>(
        `/reviews${qs({ overdue: filter.overdue ? 'true' : undefined, state: filter.state })}`,
        { signal },
      ),
    select: (r) => r.items,
  });
}

/** Action items; `source` and `sourceId` pick those made from one thing (a drill: `drill` and its id). */
export function useActionItems(
  filter: { mine?: boolean; overdue?: boolean; status?: string; source?: string; sourceId?: string },
  enabled = true,
) {
  return useQuery({
    queryKey: ['action-items', filter],
    queryFn: ({ signal }) =>
      api<{ items: ActionItem[] }>(
        `/action-items${qs({
          owner: filter.mine ? 'me' : undefined,
          overdue: filter.overdue ? 'true' : undefined,
          status: filter.status,
          source: filter.source,
          sourceId: filter.sourceId,
        })}`,
        { signal },
      ),
    select: (r) => r.items,
    enabled,
  });
}

/** Creating, editing and moving action items; the lists and reviews are read again after each. */
export function useActionItemMutations() {
  const qc = useQueryClient();
  const done = {
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['action-items'] });
      void qc.invalidateQueries({ queryKey: ['review'] });
      void qc.invalidateQueries({ queryKey: ['reviews'] });
    },
  };
  return {
    create: useMutation({
      mutationFn: (body: ActionItemCreateBody) => api<ActionItemDetail>('/action-items', { method: 'POST', body }),
      ...done,
    }),
    update: useMutation({
      mutationFn: ({ id, body }: { id: string; body: ActionItemUpdate }) =>
        api<ActionItemDetail>(`/action-items/${enc(id)}`, { method: 'PATCH', body }),
      ...done,
    }),
    transition: useMutation({
      mutationFn: ({ id, to, reason }: { id: string; to: ActionItemStatus; reason?: string }) =>
        api<ActionItemDetail>(`/action-items/${enc(id)}/transitions`, { method: 'POST', body: { to, reason } }),
      ...done,
    }),
  };
}
