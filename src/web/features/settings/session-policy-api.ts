/** The session policy (administrators) and signing out everywhere (oneself, or a person by an administrator). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SessionPolicy, SessionPolicyView } from '../../../shared/session-policy-schemas.js';
import { api } from '../../app/api.js';
import { qk } from '../../app/query-keys.js';
import { applySession } from '../../app/session.js';

export function useSessionPolicy(enabled: boolean) {
  return useQuery({
    queryKey: qk.sessionPolicy,
    queryFn: ({ signal }) => api<SessionPolicyView>('/settings/session-policy', { signal }),
    enabled,
  });
}

export function useSaveSessionPolicy() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SessionPolicy) => api<SessionPolicyView>('/settings/session-policy', { method: 'PUT', body }),
    onSuccess: (data) => qc.setQueryData(qk.sessionPolicy, data),
  });
}

/** Ends every session of the signed-in person, this one included: the console then shows the sign-in page. */
export function useSignOutEverywhere() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ ended: number }>('/me/sessions', { method: 'DELETE' }),
    onSuccess: () => applySession(qc, null),
  });
}

/** An administrator ends every session of a person. */
export function useSignOutUser() {
  return useMutation({
    mutationFn: (id: string) =>
      api<{ ended: number }>(`/users/${encodeURIComponent(id)}/sessions`, { method: 'DELETE' }),
  });
}
