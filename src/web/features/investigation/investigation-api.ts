/** Queries and mutations of an incident's ATT&CK techniques and the catalogue search. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AttackTechnique, IncidentAttack } from '../../../shared/investigation-schemas.js';
import { api } from '../../app/api.js';

export type { AttackTechnique, IncidentAttack };

const enc = encodeURIComponent;
const ATTACK_KEY = ['attack'] as const;

export function useIncidentAttack(key: string) {
  return useQuery({
    queryKey: [...ATTACK_KEY, 'incident', key],
    queryFn: ({ signal }) => api<IncidentAttack>(`/incidents/${enc(key)}/attack`, { signal }),
  });
}

export function useTechniqueSearch(q: string) {
  return useQuery({
    queryKey: [...ATTACK_KEY, 'search', q],
    queryFn: ({ signal }) =>
      api<{ version: string; items: AttackTechnique[] }>(`/attack/techniques?limit=20&q=${enc(q)}`, { signal }),
    enabled: q.trim().length > 0,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useAddTechnique(key: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { techniqueId: string; note?: string }) =>
      api<IncidentAttack>(`/incidents/${enc(key)}/attack`, { method: 'POST', body }),
    onSuccess: (data) => qc.setQueryData([...ATTACK_KEY, 'incident', key], data),
  });
}

export function useRemoveTechnique(key: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ techniqueId, note }: { techniqueId: string; note?: string }) =>
      api<IncidentAttack>(`/incidents/${enc(key)}/attack/${enc(techniqueId)}${note ? `?note=${enc(note)}` : ''}`, {
        method: 'DELETE',
      }),
    onSuccess: (data) => qc.setQueryData([...ATTACK_KEY, 'incident', key], data),
  });
}

/** The URL of the incident's ATT&CK Navigator layer (a download). */
export const navigatorUrl = (key: string) => `/api/v1/incidents/${enc(key)}/attack/navigator`;
