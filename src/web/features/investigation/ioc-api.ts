/** Queries and mutations of an incident's IOCs and of their detection rules (docs/iocs.md). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Ioc, IocDetection, IocType, Tlp } from '../../../shared/ioc-schemas.js';
import { api } from '../../app/api.js';

export type { Ioc, IocDetection, IocType, Tlp };

const enc = encodeURIComponent;
const IOC_KEY = ['iocs'] as const;

export function useIncidentIocs(key: string) {
  return useQuery({
    queryKey: [...IOC_KEY, key, 'list'],
    queryFn: ({ signal }) => api<{ items: Ioc[] }>(`/incidents/${enc(key)}/iocs`, { signal }),
  });
}

export function useIocDetection(key: string, enabled: boolean) {
  return useQuery({
    queryKey: [...IOC_KEY, key, 'detection'],
    queryFn: ({ signal }) => api<IocDetection>(`/incidents/${enc(key)}/iocs/detection`, { signal }),
    enabled,
  });
}

function useIocMutation<B, R>(key: string, call: (body: B) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: () => qc.invalidateQueries({ queryKey: [...IOC_KEY, key] }),
  });
}

export const useAddIoc = (key: string) =>
  useIocMutation(key, (body: { type: IocType; value: string; confidence: number; tlp: Tlp }) =>
    api<Ioc>(`/incidents/${enc(key)}/iocs`, { method: 'POST', body }),
  );

export const useExtractIocs = (key: string) =>
  useIocMutation(key, (_: undefined) =>
    api<{ created: number; seen: number }>(`/incidents/${enc(key)}/iocs/extract`, { method: 'POST' }),
  );

export const useRevokeIoc = (key: string) =>
  useIocMutation(key, ({ id, reason }: { id: string; reason: string }) =>
    api<Ioc>(`/incidents/${enc(key)}/iocs/${enc(id)}/revoke`, { method: 'POST', body: { reason } }),
  );

export const useIocRules = (key: string) =>
  useIocMutation(key, (body: { types?: IocType[]; minConfidence?: number }) =>
    api<IocDetection>(`/incidents/${enc(key)}/iocs/detection`, { method: 'POST', body }),
  );

/** Downloads of the incident's IOCs: the STIX 2.1 bundle and the MISP event. */
export const stixUrl = (key: string) => `/api/v1/incidents/${enc(key)}/stix`;
export const mispUrl = (key: string) => `/api/v1/incidents/${enc(key)}/misp`;
