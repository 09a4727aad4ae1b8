/** The signed-in user's API tokens. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TokenScope } from '../../../shared/enums.js';
import { api } from '../../app/api.js';
import { qk } from '../../app/query-keys.js';
import type { ApiToken, ApiTokenCreated, Page } from '../../app/types.js';

export function useTokens() {
  return useQuery({
    queryKey: qk.tokens,
    queryFn: ({ signal }) => api<Page<ApiToken> | ApiToken[]>('/tokens', { signal }),
    // tolerate either a page or a bare array
    select: (data) => (Array.isArray(data) ? data : data.items),
  });
}

export function useCreateToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; scopes: TokenScope[]; expiresAt?: string }) =>
      api<ApiTokenCreated>('/tokens', { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.tokens }),
  });
}

export function useRevokeToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.tokens }),
  });
}
