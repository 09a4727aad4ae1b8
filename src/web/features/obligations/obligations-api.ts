/** Queries and mutations of the regulatory obligation clocks: an incident's clocks and facts, the firm profile. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  FirmProfile,
  FirmProfileView,
  IncidentObligations,
  ObligationClock,
  RegulatoryFactsPatch,
} from '../../../shared/obligation-clock-schemas.js';
import { api } from '../../app/api.js';

export type { FirmProfile, FirmProfileView, IncidentObligations, ObligationClock, RegulatoryFactsPatch };

const enc = encodeURIComponent;
/** Every obligation query lives under this key: the stream's `obligation.changed` refetches them. */
export const OBLIGATIONS_KEY = ['obligations'] as const;

export function useIncidentObligations(key: string) {
  return useQuery({
    queryKey: [...OBLIGATIONS_KEY, 'incident', key],
    queryFn: ({ signal }) => api<IncidentObligations>(`/incidents/${enc(key)}/obligations`, { signal }),
  });
}

export function usePatchFacts(key: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RegulatoryFactsPatch) =>
      api<IncidentObligations>(`/incidents/${enc(key)}/obligations/facts`, { method: 'PATCH', body }),
    onSuccess: (data) => qc.setQueryData([...OBLIGATIONS_KEY, 'incident', key], data),
  });
}

export function useFirmProfile(enabled: boolean) {
  return useQuery({
    queryKey: [...OBLIGATIONS_KEY, 'firm'],
    queryFn: ({ signal }) => api<FirmProfileView>('/firm-profile', { signal }),
    enabled,
  });
}

export function useSaveFirmProfile() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: FirmProfile & { version: number }) =>
      api<FirmProfileView>('/firm-profile', { method: 'PUT', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: OBLIGATIONS_KEY }),
  });
}
